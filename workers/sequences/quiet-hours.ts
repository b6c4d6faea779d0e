export const DEFAULT_QUIET_START = "21:00";
export const DEFAULT_QUIET_END = "08:00";

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseHhmm(value: string): number | null {
  const m = HHMM.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Minutes since local midnight of `at` in `timeZone` (IANA), via Intl so DST is the platform's. */
export function localMinuteOfDay(at: number, timeZone: string): number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  } catch {
    // The API validates zones; one the runtime no longer knows must not stall every sequence: use UTC.
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}

function inWindow(minute: number, start: number, end: number): boolean {
  // A window that wraps midnight (21:00–08:00) is the usual case; 13:00–14:00 works too.
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * When a message due at `at` may go out: `at` itself outside quiet hours, else the end of the quiet
 * window (local time in the workspace's zone). No window (null or equal ends) = no quiet hours.
 */
export function deferPastQuietHours(
  at: number,
  timeZone: string,
  quietStart: string | null,
  quietEnd: string | null,
): number {
  const start = quietStart === null ? null : parseHhmm(quietStart);
  const end = quietEnd === null ? null : parseHhmm(quietEnd);
  if (start === null || end === null || start === end) return at;
  const minute = localMinuteOfDay(at, timeZone);
  if (!inWindow(minute, start, end)) return at;
  const startOfMinute = at - (at % 60_000);
  let candidate = startOfMinute + ((end - minute + 1440) % 1440) * 60_000;
  // A DST change during the night moves local time by the offset difference: correct once for it.
  const drift = localMinuteOfDay(candidate, timeZone) - end;
  if (drift !== 0 && Math.abs(drift) <= 120) candidate -= drift * 60_000;
  return candidate;
}
