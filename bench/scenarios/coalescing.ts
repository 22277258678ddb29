import { DEFAULT_SETTINGS } from "../../infra/settings.ts";
import type { BatchHandler } from "../../local/runner/event-source-runner.ts";
import { fifoRecord, renameEvent } from "../support/events.ts";
import { ourHandler, powertoolsHandler } from "../support/handlers.ts";
import {
  derived,
  ensure,
  type Figure,
  measured,
  type Scenario,
  type ScenarioOptions,
} from "../support/scenario.ts";
import { type BenchStack, startBenchStack } from "../support/stack.ts";
import { summarize } from "../support/stats.ts";
import { lambdaContext, timed } from "../support/timing.ts";

const UPDATES_PER_BATCH = [1, 2, 5, 10];
const FUNCTION_TIMEOUT_MS = DEFAULT_SETTINGS.timeoutSeconds * 1000;

/** Scenario 2: k renames of one group in one FIFO batch; how many PATCHes each event costs. */
export const coalescingScenario: Scenario = {
  name: "coalescing",
  title: "2. Batch with k updates to one group (API calls per event)",
  run: async (options) => {
    const stack = await startBenchStack({ groups: 1, latencyMs: options.latencyMs });
    try {
      return await measure(stack, options);
    } finally {
      await stack.stop();
    }
  },
};

async function measure(stack: BenchStack, options: ScenarioOptions) {
  const ours = ourHandler(stack);
  const reference = powertoolsHandler(stack);
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  let largestK = { k: 0, callsPerEvent: Number.NaN };
  for (const k of UPDATES_PER_BATCH) {
    const ourCalls: number[] = [];
    const referenceCalls: number[] = [];
    const ourMs: number[] = [];
    for (let rep = 0; rep < options.repetitions; rep++) {
      const run = await runBatch(stack, ours, k);
      ourCalls.push(run.patches / k);
      ourMs.push(run.ms);
      referenceCalls.push((await runBatch(stack, reference, k)).patches / k);
    }
    const ourSummary = summarize(ourCalls);
    largestK = { k, callsPerEvent: ourSummary.median };
    figures.push(
      measured(`k=${k}: ours, PATCHes per event`, "calls", ourSummary, `bound 1/k = ${(1 / k).toFixed(2)}`),
      measured(`k=${k}: Powertools reference, PATCHes per event`, "calls", summarize(referenceCalls)),
      measured(`k=${k}: ours, batch wall time`, "ms", summarize(ourMs)),
    );
    details[`k${k}`] = { ourCallsPerEvent: ourCalls, referenceCallsPerEvent: referenceCalls, ourMs };
  }
  figures.push(derived(`events per PATCH at k=${largestK.k} (ours)`, "events", 1 / largestK.callsPerEvent));
  options.progress("coalescing: done");
  return { name: coalescingScenario.name, title: coalescingScenario.title, figures, details };
}

async function runBatch(stack: BenchStack, handler: BatchHandler, k: number) {
  const groupId = stack.groupIds[0] as string;
  const events = Array.from({ length: k }, () => renameEvent(groupId));
  const records = events.map((event) => fifoRecord(event, stack.queues.queueArn));
  await stack.backend.clearJournal();
  const { ms, result } = await timed(() => handler({ Records: records }, lambdaContext(FUNCTION_TIMEOUT_MS)));
  ensure(result.batchItemFailures.length === 0, `k=${k}: ${result.batchItemFailures.length} records failed`);
  const { patches, patchesApplied } = await stack.backend.journalStats();
  ensure(patches === patchesApplied, `k=${k}: ${patches - patchesApplied} PATCHes failed`);
  const last = events[events.length - 1];
  // Coalescing is only a win if the last rename is what Vitable ends up with.
  const name = await stack.backend.groupName(groupId);
  ensure(name === last?.changes.name, `k=${k}: the newest name was not applied`);
  return { ms, patches };
}
