import { MemoryLedgerStore } from "../../functions/shared/ledger/memory-ledger-store.ts";
import { DEFAULT_SETTINGS } from "../../infra/settings.ts";
import { driveThroughRunner } from "../support/drive.ts";
import { eventsAcross } from "../support/events.ts";
import { derived, ensure, measured, type Scenario, type ScenarioOptions } from "../support/scenario.ts";
import { type BenchStack, startBenchStack } from "../support/stack.ts";
import { summarize } from "../support/stats.ts";

const RATE_LIMIT_PER_SECOND = 100;
const FULL = { events: 2_000, groups: 1_000, maxRepetitions: 5 };
const QUICK = { events: 500, groups: 250, maxRepetitions: 2 };

/** Scenario 4: the API admits R requests per second and answers 429 with Retry-After beyond that. */
export const rateLimitStormScenario: Scenario = {
  name: "rate-limit-storm",
  title: `4. 429 storm: the emulator admits R = ${RATE_LIMIT_PER_SECOND} requests/s`,
  run: async (options) => {
    const load = options.quick ? QUICK : FULL;
    const stack = await startBenchStack({
      groups: load.groups,
      latencyMs: options.latencyMs,
      rateLimit: { perSecond: RATE_LIMIT_PER_SECOND },
    });
    try {
      return await measure(stack, options, load);
    } finally {
      await stack.stop();
    }
  },
};

async function measure(stack: BenchStack, options: ScenarioOptions, load: typeof FULL) {
  const rateShare: number[] = [];
  const throttledPerEvent: number[] = [];
  const redeliveredPerEvent: number[] = [];
  const runs: unknown[] = [];
  const repetitions = Math.min(options.repetitions, load.maxRepetitions);
  for (let rep = 0; rep < repetitions; rep++) {
    const events = eventsAcross(stack.groupIds, load.events);
    const run = await driveThroughRunner(stack, events, {
      ledger: new MemoryLedgerStore(),
      limitMs: 15 * 60_000,
    });
    const journal = await stack.backend.journalStats();
    ensure(
      journal.patchesApplied >= load.events,
      `rate-limit-storm: only ${journal.patchesApplied} renames applied`,
    );
    const appliedPerSecond = journal.patchesApplied / (run.wallMs / 1000);
    rateShare.push(appliedPerSecond / RATE_LIMIT_PER_SECOND);
    throttledPerEvent.push(journal.rateLimited / load.events);
    redeliveredPerEvent.push(run.recordsFailed / load.events);
    runs.push({ ...run, ...journal, appliedPerSecond });
    options.progress(
      `rate-limit-storm: repetition ${rep + 1}/${repetitions}: ${appliedPerSecond.toFixed(1)} applied/s, ` +
        `${journal.rateLimited} × 429, ${run.recordsFailed} records redelivered`,
    );
  }
  const { maxConcurrency, apiConcurrency } = DEFAULT_SETTINGS;
  return {
    name: rateLimitStormScenario.name,
    title: `${rateLimitStormScenario.title}, ${load.events.toLocaleString("en-US")} events over ${load.groups.toLocaleString("en-US")} groups`,
    figures: [
      measured("achieved rate ÷ R (applied PATCHes/s over the run)", "×", summarize(rateShare), "bound 1"),
      measured("429s received per event", "429s", summarize(throttledPerEvent)),
      measured(
        "records handed back for redelivery, per event",
        "records",
        summarize(redeliveredPerEvent),
        "ideal 0",
      ),
      derived(
        "offered load without a limit",
        "calls/s",
        (maxConcurrency * apiConcurrency * 1000) / options.latencyMs,
        `${maxConcurrency} containers × ${apiConcurrency} ÷ ${options.latencyMs} ms`,
      ),
    ],
    details: { ...load, rateLimitPerSecond: RATE_LIMIT_PER_SECOND, rateShare, throttledPerEvent, runs },
  };
}
