export interface RepRotationState {
  repId: string;
  /** smooth-WRR "current weight" */
  current: number;
  /** sequence number of the rep's last assignment; -1 = never */
  lastSeq: number;
}

export interface Candidate {
  repId: string;
  weight: number;
  /** open leads now; the least-loaded strategy picks among the reps with the fewest */
  open?: number;
}

/**
 * Least-loaded: the rep with the fewest open leads; among equals the least recently assigned, then the
 * rep id — a strict rotation among ties, whatever the weights did before.
 */
export function leastLoaded(states: ReadonlyMap<string, RepRotationState>, candidates: Candidate[]): Candidate[] {
  const live = candidates.filter((c) => c.weight > 0);
  if (live.length === 0) return [];
  const key = (c: Candidate) => [c.open ?? 0, states.get(c.repId)?.lastSeq ?? -1] as const;
  const best = live.reduce((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return kb[0] < ka[0] || (kb[0] === ka[0] && (kb[1] < ka[1] || (kb[1] === ka[1] && b.repId < a.repId))) ? b : a;
  });
  return [best];
}

const EPSILON = 1e-9;

/**
 * Smooth weighted round robin (as in nginx) over the reps eligible right now.
 *
 * Each pick adds every candidate's weight to its current weight, takes the highest, and subtracts the
 * total from the winner. Over a fixed set this yields exact shares interleaved smoothly (3:1:1 → A B A C A).
 * The set changes as reps pause, leave or join, so before each step the candidates' current weights are
 * re-centred on zero and clamped to ±total: a rep who was away neither hoards a backlog of turns nor owes
 * any. Ties go to the least recently assigned rep, then to the rep id, so equals rotate strictly.
 */
export function pickNext(
  states: ReadonlyMap<string, RepRotationState>,
  candidates: Candidate[],
  seq: number,
): { repId: string; updated: RepRotationState[] } | null {
  const live = candidates.filter((c) => c.weight > 0);
  if (live.length === 0) return null;
  const total = live.reduce((sum, c) => sum + c.weight, 0);
  const rows = live.map((c) => ({
    ...(states.get(c.repId) ?? { repId: c.repId, current: 0, lastSeq: -1 }),
    weight: c.weight,
  }));

  const mean = rows.reduce((sum, r) => sum + r.current, 0) / rows.length;
  for (const r of rows) {
    r.current = Math.max(-total, Math.min(total, r.current - mean));
    if (Math.abs(r.current) < EPSILON) r.current = 0;
    r.current += r.weight;
  }
  let best = rows[0]!;
  for (const r of rows.slice(1)) {
    const diff = r.current - best.current;
    if (
      diff > EPSILON ||
      (Math.abs(diff) <= EPSILON && (r.lastSeq < best.lastSeq || (r.lastSeq === best.lastSeq && r.repId < best.repId)))
    ) {
      best = r;
    }
  }
  best.current -= total;
  best.lastSeq = seq;
  return { repId: best.repId, updated: rows.map(({ repId, current, lastSeq }) => ({ repId, current, lastSeq })) };
}
