/** Offset of `timeZone` from UTC at instant `t`, in ms (positive east of Greenwich). */
export function zoneOffset(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) starts in `timeZone`; checked twice so a DST change is honoured. */
export function zoneMidnight(ymd: string, timeZone: string): number {
  const naive = Date.parse(`${ymd}T00:00:00Z`);
  const first = naive - zoneOffset(naive, timeZone);
  return naive - zoneOffset(first, timeZone);
}

/** The calendar day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function zoneDay(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(t);
}

/** "4 min ago", "in 2 h", "3 days ago": for lists people scan; the exact time goes next to it. */
export function relativeTime(t: number, now: number): string {
  const diff = now - t;
  const abs = Math.abs(diff);
  const unit =
    abs < 60_000
      ? ""
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 86_400_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} days`;
  if (!unit) return "just now";
  return diff >= 0 ? `${unit} ago` : `in ${unit}`;
}
