import { z } from "@hono/zod-openapi";

export const Country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, "Use an ISO 3166 alpha-2 country code, e.g. US.")
  .openapi({ example: "US" });

export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Unknown IANA time zone.")
  .openapi({ example: "America/New_York" });
