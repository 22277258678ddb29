import { MemoryLedgerStore } from "../../functions/shared/ledger/memory-ledger-store.ts";
import { DEFAULT_SETTINGS } from "../../infra/settings.ts";
import { driveThroughRunner } from "../support/drive.ts";
import { eventsAcross } from "../support/events.ts";
import { derived, ensure, measured, type Scenario, type ScenarioOptions } from "../support/scenario.ts";
import { type BenchStack, startBenchStack } from "../support/stack.ts";
import { median, summarize } from "../support/stats.ts";

const FULL = { events: 10_000, groups: 1_000, maxRepetitions: 5 };
// 2 cores shared with other work cannot push 10,000 events through three times in a quick run.
const QUICK = { events: 1_000, groups: 100, maxRepetitions: 2 };

/** Scenario 3: sustained load through the local event source runner and fauxqs. */
export const sustainedLoadScenario: Scenario = {
  name: "sustained-load",
  title: "3. Sustained load through the local runner and fauxqs",
  run: async (options) => {
    const load = options.quick ? QUICK : FULL;
    const stack = await startBenchStack({ groups: load.groups, latencyMs: options.latencyMs });
    try {
      return await measure(stack, options, load);
    } finally {
      await stack.stop();
    }
  },
};

async function measure(stack: BenchStack, options: ScenarioOptions, load: typeof FULL) {
  const eventsPerSecond: number[] = [];
  const callsPerEvent: number[] = [];
  const cpuMsPerEvent: number[] = [];
  const loopBusy: number[] = [];
  const invocationMs: number[] = [];
  const occupancy: number[] = [];
  const runs: unknown[] = [];
  const repetitions = Math.min(options.repetitions, load.maxRepetitions);
  for (let rep = 0; rep < repetitions; rep++) {
    const events = eventsAcross(stack.groupIds, load.events);
    const run = await driveThroughRunner(stack, events, {
      ledger: new MemoryLedgerStore(),
      limitMs: 15 * 60_000,
    });
    const { patches, requests } = await stack.backend.journalStats();
    ensure(run.recordsFailed === 0, `sustained-load: ${run.recordsFailed} records failed`);
    eventsPerSecond.push(load.events / (run.wallMs / 1000));
    callsPerEvent.push(patches / load.events);
    cpuMsPerEvent.push((run.cpuPerWall * run.wallMs) / load.events);
    loopBusy.push(run.eventLoopUtilization);
    invocationMs.push(run.medianInvocationMs);
    occupancy.push(run.containerOccupancy);
    runs.push({ ...run, patches, requests });
    options.progress(
      `sustained-load: repetition ${rep + 1}/${repetitions}: ${Math.round(eventsPerSecond.at(-1) ?? 0)} events/s`,
    );
  }

  const { maxConcurrency, apiConcurrency } = DEFAULT_SETTINGS;
  const boundCallsPerSecond = (maxConcurrency * apiConcurrency * 1000) / options.latencyMs;
  const rate = median(eventsPerSecond);
  const calls = median(callsPerEvent);
  return {
    name: sustainedLoadScenario.name,
    title: `${sustainedLoadScenario.title}: ${load.events.toLocaleString("en-US")} events over ${load.groups.toLocaleString("en-US")} groups`,
    figures: [
      measured("throughput", "events/s", summarize(eventsPerSecond)),
      measured("API calls per event", "calls", summarize(callsPerEvent)),
      derived("API call rate", "calls/s", rate * calls),
      derived(
        "bound: maxConcurrency × API_CONCURRENCY ÷ latency",
        "calls/s",
        boundCallsPerSecond,
        `${maxConcurrency} × ${apiConcurrency} ÷ ${options.latencyMs} ms`,
      ),
      derived("API call rate ÷ bound", "×", (rate * calls) / boundCallsPerSecond),
      measured(
        "median invocation (10 records)",
        "ms",
        summarize(invocationMs),
        `ideal ⌈10/${apiConcurrency}⌉ × ${options.latencyMs} ms`,
      ),
      measured(
        "container occupancy (busy ÷ available)",
        "×",
        summarize(occupancy),
        "1 = never waiting on SQS",
      ),
      measured(
        "CPU per event in the bench process",
        "ms",
        summarize(cpuMsPerEvent),
        "runner + 5 containers, 1 thread",
      ),
      measured("event-loop utilisation of the bench process", "×", summarize(loopBusy), "1 = saturated"),
      derived(
        "single-thread ceiling ≈ throughput ÷ utilisation",
        "events/s",
        rate / median(loopBusy),
        "what this process could do at 100 %",
      ),
    ],
    details: { ...load, maxConcurrency, apiConcurrency, eventsPerSecond, callsPerEvent, cpuMsPerEvent, runs },
  };
}
