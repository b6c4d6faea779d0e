import { z } from "@hono/zod-openapi";
import { ERROR_STATUS } from "../errors";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
      message: z.string(),
      requestId: z.string(),
      fields: z
        .record(z.string(), z.string())
        .optional()
        .openapi({ description: "field path → what is wrong with it" }),
    }),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorSchema } },
});

/** The error responses every authenticated route can give. */
export const commonErrors = {
  400: errorResponse("Malformed request (e.g. invalid JSON)"),
  401: errorResponse("Missing or invalid API key"),
  403: errorResponse("The key's scope (read, capture) or the caller's role does not allow this"),
  404: errorResponse("Not found in this workspace"),
  415: errorResponse("Body is not application/json"),
  422: errorResponse("Validation failed; `fields` names each bad field"),
  429: errorResponse("Too many failed keys from this address; retry after `Retry-After` seconds"),
  503: errorResponse("Database unavailable; retry"),
} as const;

export const conflictError = { 409: errorResponse("Conflicts with the resource's current state") } as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const IdParam = (name: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name: "id", in: "path" }, example: `${name}_…` }),
  });
