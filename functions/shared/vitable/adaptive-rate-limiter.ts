/**
 * Tuning of the adaptive limiter. Rates are requests per second of one container (one client).
 */
export interface AdaptiveRateLimiterOptions {
  /** The rate is multiplied by this at each throttle (multiplicative decrease), 0 < factor < 1. */
  decreaseFactor: number;
  /** Requests/s added to the rate per second without a throttle (additive increase). */
  increasePerSecond: number;
  /** The rate never drops below this, so a throttled container still makes progress. */
  minRatePerSecond: number;
  /**
   * How far, in ms of the schedule, sends may catch up on time left unused (the bucket's capacity): a container
   * idle between two batches may then start the next one with a few sends at once.
   */
  burstMs: number;
  /**
   * After this long without a 429 the learned rate is forgotten and sends are unlimited again. Most containers see
   * sparse renames: without it, one storm would pace a container's batches for the rest of its life.
   */
  forgetAfterMs: number;
}

/**
 * Tuned in the bench's storm scenario (5 containers, R = 100/s in fixed 1 s windows, 2,000 events; figures in
 * docs/performance.md). Against such a limit an overshooting fleet loses no throughput (the window fills anyway) but
 * pays about one 429 per container that sends after it filled, while an undershooting fleet loses throughput.
 */
export const DEFAULT_ADAPTIVE_RATE: Readonly<AdaptiveRateLimiterOptions> = Object.freeze({
  // Gentle cuts, since a container cuts at each episode it takes part in. Measured (5 repetitions each, median and
  // range of achieved ÷ R): a 10% cut with a 200 ms burst, 0.91 (0.88-0.95); a 3% cut with 500 ms, 0.96-0.97
  // (0.92-0.99) over three runs, 0.03-0.04 429s per event.
  decreaseFactor: 0.97,
  // The 429s per second grow with the climb; 0.25/s (with a 7% cut) left containers that learned a small share
  // slow for the whole run, 0.94 R. At 0.5/s the fleet of 5 took about one 429 per second once settled.
  increasePerSecond: 0.5,
  // Low enough for many containers at once, high enough that a 10-record batch fits well inside a 60 s timeout.
  minRatePerSecond: 1,
  // Catch-up for time a container spends between batches (receive, delete, ledger) or in a late timer on a busy
  // CPU: without it every gap is throughput lost for good.
  burstMs: 500,
  // Far above the seconds between 429s while a fleet presses on a limit (about one per container every few
  // seconds in the storm), so only a container whose traffic really stopped hitting the limit forgets it.
  forgetAfterMs: 60_000,
});

/** Sends and accepted answers are counted over this much time to measure this container's rates. */
const MEASURE_WINDOW_MS = 1000;
const MEASURE_BUCKETS = 20;
/** Without a throttle the rate may grow only to this multiple of the measured rate, so idle time earns nothing. */
const MAX_RATE_OVER_MEASURED = 2;

/**
 * A per-container request rate that adapts to the 429s this container receives: unlimited until the first one,
 * then a token schedule (one send per 1/rate seconds) whose rate follows additive increase / multiplicative
 * decrease. Every lane of the client shares it; nothing is coordinated between containers, yet each container's
 * cut after its own 429 brings the whole fleet back under the server's limit.
 */
export class AdaptiveRateLimiter {
  readonly #options: AdaptiveRateLimiterOptions;
  readonly #now: () => number;
  readonly #sent = new SlidingCount(MEASURE_WINDOW_MS, MEASURE_BUCKETS);
  readonly #accepted = new SlidingCount(MEASURE_WINDOW_MS, MEASURE_BUCKETS);
  #ratePerSecond = Number.POSITIVE_INFINITY;
  /** When the next reserved send may start (the token schedule). */
  #nextSendAt = Number.NEGATIVE_INFINITY;
  #grownAt = Number.NEGATIVE_INFINITY;
  #sendsStarted = 0;
  /** Sends numbered below this were in flight at the last cut: their 429s belong to the same episode. */
  #episodeStartsAt = 0;
  #lastCutAt = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<AdaptiveRateLimiterOptions> = {}, now: () => number = Date.now) {
    const merged = { ...DEFAULT_ADAPTIVE_RATE, ...options };
    if (!(merged.decreaseFactor > 0 && merged.decreaseFactor < 1)) {
      throw new RangeError("decreaseFactor must be between 0 and 1 (exclusive)");
    }
    if (!(merged.increasePerSecond >= 0 && Number.isFinite(merged.increasePerSecond))) {
      throw new RangeError("increasePerSecond must be a finite number >= 0");
    }
    if (!(merged.minRatePerSecond > 0 && Number.isFinite(merged.minRatePerSecond))) {
      throw new RangeError("minRatePerSecond must be a finite number > 0");
    }
    if (!(merged.burstMs >= 0 && Number.isFinite(merged.burstMs))) {
      throw new RangeError("burstMs must be a finite number >= 0");
    }
    if (!(merged.forgetAfterMs > 0)) {
      throw new RangeError("forgetAfterMs must be > 0 (Infinity never forgets)");
    }
    this.#options = merged;
    this.#now = now;
  }

  /** The current rate in requests/s; Infinity until the first throttle. */
  ratePerSecond(): number {
    this.#grow(this.#now());
    return this.#ratePerSecond;
  }

  /**
   * Reserves the next send slot and returns how long to wait for it (0 while unlimited). When that wait would be
   * `maxWaitMs` or more (the caller's deadline), reserves nothing and returns undefined.
   */
  reserve(maxWaitMs: number): number | undefined {
    const now = this.#now();
    this.#grow(now);
    if (this.#ratePerSecond === Number.POSITIVE_INFINITY) {
      return 0;
    }
    // The schedule may lag behind the clock by burstMs at most: that lag is the unused time sends may catch up on.
    const scheduledAt = Math.max(this.#nextSendAt, now - this.#options.burstMs);
    const waitMs = Math.max(0, scheduledAt - now);
    if (waitMs >= maxWaitMs) {
      return undefined;
    }
    this.#nextSendAt = scheduledAt + 1000 / this.#ratePerSecond;
    return waitMs;
  }

  /** Call right before a request leaves; pass the number it returns to the outcome below. */
  sendStarted(): number {
    this.#sent.add(this.#now());
    this.#sendsStarted += 1;
    return this.#sendsStarted;
  }

  /** The server answered something other than 429: it let the request through. */
  accepted(): void {
    this.#accepted.add(this.#now());
  }

  /**
   * The server answered 429 to send number `send`, and nothing may be sent before `resumeAt` (epoch ms, the pause
   * it asked for). The first such answer of an episode cuts the rate to `decreaseFactor` × the lower of the current
   * rate and the rate measured over the last second; 429s for requests already in flight at that cut are the same
   * episode and cut nothing more.
   */
  throttled(send: number, resumeAt = Number.NEGATIVE_INFINITY): void {
    const now = this.#now();
    // The pause is the server's time, not time this container left unused: no catch-up for it. Otherwise every
    // container that waited for a window's end would open the next one with a burst and overshoot it again.
    this.#nextSendAt = Math.max(this.#nextSendAt, resumeAt);
    if (send < this.#episodeStartsAt) {
      return;
    }
    this.#grow(now);
    // What the server let through over the last second is this container's share of the limit. A container that
    // came late to a full window got nothing through: half of what it sent stands in, or it would fall to the floor.
    // A second that holds an earlier cut also holds its pause, which would read as a share too small: the rate set
    // at that cut is the better measure then.
    const recentlyCut = now - this.#lastCutAt < MEASURE_WINDOW_MS;
    const measured = Math.max(this.#accepted.perSecond(now), this.#sent.perSecond(now) / 2);
    const base = recentlyCut ? this.#ratePerSecond : Math.min(this.#ratePerSecond, measured);
    this.#ratePerSecond = Math.max(this.#options.minRatePerSecond, base * this.#options.decreaseFactor);
    this.#lastCutAt = now;
    this.#grownAt = now;
    this.#episodeStartsAt = this.#sendsStarted + 1;
  }

  /** Additive increase for the time since the last look, capped by what this container actually gets through. */
  #grow(now: number): void {
    if (this.#ratePerSecond === Number.POSITIVE_INFINITY) {
      return;
    }
    if (now - this.#lastCutAt >= this.#options.forgetAfterMs) {
      this.#ratePerSecond = Number.POSITIVE_INFINITY;
      return;
    }
    const elapsedMs = Math.max(0, now - this.#grownAt);
    this.#grownAt = Math.max(this.#grownAt, now);
    const ceiling = Math.max(this.#ratePerSecond, MAX_RATE_OVER_MEASURED * this.#sent.perSecond(now));
    this.#ratePerSecond = Math.min(
      ceiling,
      this.#ratePerSecond + (this.#options.increasePerSecond * elapsedMs) / 1000,
    );
  }
}

/** Events counted in fixed buckets over a sliding window: constant memory whatever the rate. */
class SlidingCount {
  readonly #bucketMs: number;
  readonly #counts: number[];
  readonly #bucketIds: number[];

  constructor(windowMs: number, buckets: number) {
    this.#bucketMs = windowMs / buckets;
    this.#counts = new Array<number>(buckets).fill(0);
    this.#bucketIds = new Array<number>(buckets).fill(Number.NEGATIVE_INFINITY);
  }

  add(nowMs: number): void {
    const id = Math.floor(nowMs / this.#bucketMs);
    const slot = mod(id, this.#counts.length);
    if (this.#bucketIds[slot] !== id) {
      this.#bucketIds[slot] = id;
      this.#counts[slot] = 0;
    }
    this.#counts[slot] = (this.#counts[slot] ?? 0) + 1;
  }

  /** Events in the window ending now, as a per-second rate. */
  perSecond(nowMs: number): number {
    const newest = Math.floor(nowMs / this.#bucketMs);
    const oldest = newest - this.#counts.length + 1;
    let total = 0;
    for (let slot = 0; slot < this.#counts.length; slot++) {
      const id = this.#bucketIds[slot] ?? Number.NEGATIVE_INFINITY;
      if (id >= oldest && id <= newest) {
        total += this.#counts[slot] ?? 0;
      }
    }
    return (total * 1000) / (this.#bucketMs * this.#counts.length);
  }
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}
