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

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "A time as HH:MM (00:00–24:00).");

/** `{ "1": [["09:00","17:00"]], … }`: weekday (0 = Sunday) → ranges in the rep's time zone. */
export const WorkingHoursSchema = z
  .partialRecord(
    z.enum(["0", "1", "2", "3", "4", "5", "6"]),
    z.array(z.tuple([HHMM, HHMM]).refine(([a, b]) => a < b, "Start must be before end.")).max(8),
  )
  .openapi({
    example: { "1": [["09:00", "17:00"]], "2": [["09:00", "17:00"]] },
    description: "weekday (0 = Sunday) → [start, end) ranges",
  });

/** Epoch ms or an ISO date / date-time, stored as epoch ms. */
export const Instant = z.union([
  z.number().int().min(0),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  z.iso.date().transform((s) => Date.parse(`${s}T00:00:00Z`)),
]);

export const VacationSchema = z
  .object({ from: Instant, to: Instant })
  .refine((v) => v.from < v.to, { message: "`from` must be before `to`.", path: ["to"] });
