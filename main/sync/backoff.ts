// Exponential backoff with full jitter (each wait uniformly random below a doubling cap), so many
// desks coming back after the same outage do not hit the server in step.
export interface Backoff {
  /** The wait before the next attempt after one more failure. */
  next(): number;
  reset(): void;
  readonly failures: number;
}

export function createBackoff(options: { baseMs?: number; maxMs?: number; random?: () => number } = {}): Backoff {
  const baseMs = options.baseMs ?? 1_000;
  const maxMs = options.maxMs ?? 5 * 60_000;
  const random = options.random ?? Math.random;
  let failures = 0;
  return {
    next() {
      const cap = Math.min(maxMs, baseMs * 2 ** Math.min(failures, 30));
      failures++;
      return Math.round(baseMs / 2 + random() * Math.max(0, cap - baseMs / 2));
    },
    reset() { failures = 0; },
    get failures() { return failures; },
  };
}
