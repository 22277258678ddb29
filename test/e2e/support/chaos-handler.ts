import type { BatchHandler } from "../../../local/runner/event-source-runner.ts";

export interface ChaosRates {
  /** The invocation dies before doing anything (e.g. an init error). */
  crashBefore: number;
  /** The first half of the batch is processed, then the invocation dies: its side effects stay, its acks do not. */
  crashMidBatch: number;
  /** The batch is processed, then the invocation runs past the function timeout: the runner abandons it. */
  timeoutAfterWork: number;
  /** The handler is told it has only `squeezedMs` left, so its own deadline cuts the batch short. */
  squeezed: number;
  squeezedMs: number;
}

export interface ChaosCounters {
  invocations: number;
  crashedBefore: number;
  crashedMidBatch: number;
  timedOut: number;
  squeezed: number;
}

export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = "SimulatedCrash";
  }
}

/**
 * Wraps the real sync handler with seeded misfortune per invocation. A timed-out invocation only sleeps once its
 * work is done: a real Lambda is frozen at its timeout, so nothing it started may keep running alongside the
 * redelivery, and an abandoned in-process promise would.
 */
export function chaosHandler(random: () => number, rates: ChaosRates) {
  const counters: ChaosCounters = {
    invocations: 0,
    crashedBefore: 0,
    crashedMidBatch: 0,
    timedOut: 0,
    squeezed: 0,
  };
  const wrap =
    (handler: BatchHandler): BatchHandler =>
    async (event, context) => {
      counters.invocations += 1;
      const roll = random();
      let threshold = rates.crashBefore;
      if (roll < threshold) {
        counters.crashedBefore += 1;
        throw new SimulatedCrash("before the batch");
      }
      threshold += rates.crashMidBatch;
      if (roll < threshold) {
        counters.crashedMidBatch += 1;
        const half = Math.ceil(event.Records.length / 2);
        await handler({ Records: event.Records.slice(0, half) }, context);
        throw new SimulatedCrash("in the middle of the batch");
      }
      threshold += rates.timeoutAfterWork;
      if (roll < threshold) {
        counters.timedOut += 1;
        const response = await handler(event, context);
        await new Promise((resolve) => setTimeout(resolve, context.getRemainingTimeInMillis() + 100));
        return response;
      }
      threshold += rates.squeezed;
      if (roll < threshold) {
        counters.squeezed += 1;
        const end = Date.now() + rates.squeezedMs;
        return handler(event, {
          getRemainingTimeInMillis: () => Math.min(context.getRemainingTimeInMillis(), end - Date.now()),
        });
      }
      return handler(event, context);
    };
  return { counters, wrap };
}
