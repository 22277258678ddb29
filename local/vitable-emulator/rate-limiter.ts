const WINDOW_MS = 1000;

/**
 * A fixed 1 s window that opens at the first request after the previous one closed, so a burst right after
 * start always lets exactly `perSecond` requests through.
 */
export class FixedWindowLimiter {
  readonly #perSecond: number;
  readonly #now: () => number;
  #windowStart = Number.NEGATIVE_INFINITY;
  #count = 0;

  constructor(perSecond: number, now: () => number = Date.now) {
    this.#perSecond = perSecond;
    this.#now = now;
  }

  /** Counts one request; returns undefined when admitted, else the milliseconds until the window closes. */
  admit(): number | undefined {
    const now = this.#now();
    if (now >= this.#windowStart + WINDOW_MS) {
      this.#windowStart = now;
      this.#count = 0;
    }
    this.#count++;
    return this.#count > this.#perSecond ? this.#windowStart + WINDOW_MS - now : undefined;
  }
}
