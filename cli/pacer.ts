export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface Pacer {
  /** Resolves when the next action may start. */
  wait(): Promise<void>;
}

/**
 * Spaces actions evenly at `perSecond`: the n-th starts no earlier than 1/perSecond after the one before. A slow
 * action is not made up for with a burst afterwards.
 */
export function createPacer(perSecond: number, clock: PacerClock): Pacer {
  const intervalMs = 1_000 / perSecond;
  let nextSlot: number | undefined;
  return {
    async wait() {
      const now = clock.now();
      const slot = nextSlot === undefined ? now : Math.max(nextSlot, now);
      nextSlot = slot + intervalMs;
      if (slot > now) await clock.sleep(slot - now);
    },
  };
}
