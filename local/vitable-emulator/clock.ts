/**
 * Issues ISO 8601 UTC timestamps with millisecond precision that strictly increase, even for several writes in
 * one millisecond: a tie is bumped 1 ms ahead, so `updated_at` always moves forward on every write.
 */
export class MonotonicClock {
  readonly #now: () => number;
  #last = Number.NEGATIVE_INFINITY;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  nextIso(): string {
    const next = Math.max(this.#now(), this.#last + 1);
    this.#last = next;
    return new Date(next).toISOString();
  }
}
