import type { Vacation, WorkingHours } from "../../db/schema";

export interface RepAvailability {
  id: string;
  active: boolean;
  paused: boolean;
  weight: number;
  maxOpenLeads: number | null;
  timezone: string | null;
  workingHours: WorkingHours | null;
  vacations: Vacation[];
}

export type SkipReason = "inactive" | "paused" | "zero-weight" | "on-vacation" | "off-hours" | "at-cap" | "passed";

const WEEKDAY: Record<string, string> = { Sun: "0", Mon: "1", Tue: "2", Wed: "3", Thu: "4", Fri: "5", Sat: "6" };

/** Weekday ("0" = Sunday) and minutes since midnight of `now` in `timeZone`. */
export function localTime(now: number, timeZone: string): { day: string; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(now));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "0";
  return { day: WEEKDAY[get("weekday")] ?? "0", minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Inside one of the day's [start, end) ranges; a rep without working hours is always on. */
export function isWithinWorkingHours(hours: WorkingHours | null, now: number, timeZone: string): boolean {
  if (!hours) return true;
  const { day, minutes } = localTime(now, timeZone);
  const ranges = hours[day as keyof WorkingHours] ?? [];
  return ranges.some(([start, end]) => minutes >= toMinutes(start) && minutes < toMinutes(end));
}

/** Why a rep cannot take a lead now, or null when they can. Order = what an owner would check first. */
export function skipReason(
  rep: RepAvailability,
  openLeads: number,
  now: number,
  workspaceTimeZone: string,
): SkipReason | null {
  if (!rep.active) return "inactive";
  if (rep.paused) return "paused";
  if (rep.weight <= 0) return "zero-weight";
  if (rep.vacations.some((v) => now >= v.from && now < v.to)) return "on-vacation";
  if (!isWithinWorkingHours(rep.workingHours, now, rep.timezone ?? workspaceTimeZone)) return "off-hours";
  if (rep.maxOpenLeads !== null && openLeads >= rep.maxOpenLeads) return "at-cap";
  return null;
}

export interface Eligibility {
  eligible: { repId: string; weight: number }[];
  skipped: Record<string, SkipReason>;
}

export function eligibleReps(
  reps: RepAvailability[],
  openLeads: ReadonlyMap<string, number>,
  now: number,
  workspaceTimeZone: string,
  exclude: ReadonlySet<string> = new Set(),
): Eligibility {
  const result: Eligibility = { eligible: [], skipped: {} };
  for (const rep of reps) {
    const reason = exclude.has(rep.id) ? "passed" : skipReason(rep, openLeads.get(rep.id) ?? 0, now, workspaceTimeZone);
    if (reason) result.skipped[rep.id] = reason;
    else result.eligible.push({ repId: rep.id, weight: rep.weight });
  }
  return result;
}
