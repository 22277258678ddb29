/**
 * A pause shared by every call of one client. When the server answers 429 with a delay, all calls wait for
 * it to end before their next attempt, instead of each discovering the limit with its own request.
 */
export class RateGate {
  #pausedUntil = Number.NEGATIVE_INFINITY;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  pauseFor(ms: number): void {
    this.pauseUntil(this.#now() + ms);
  }

  /** Extends the pause to `epochMs`; an earlier end never shortens a pause already in force. */
  pauseUntil(epochMs: number): void {
    if (epochMs > this.#pausedUntil) {
      this.#pausedUntil = epochMs;
    }
  }

  remainingPauseMs(): number {
    return Math.max(0, this.#pausedUntil - this.#now());
  }
}
