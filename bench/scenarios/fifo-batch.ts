import { DEFAULT_SETTINGS } from "../../infra/settings.ts";
import type { BatchHandler } from "../../local/runner/event-source-runner.ts";
import { eventsAcross, fifoRecord } from "../support/events.ts";
import {
  allAtOnceHandler,
  benchClient,
  ourHandler,
  powertoolsHandler,
  sequentialHandler,
} from "../support/handlers.ts";
import { derived, ensure, measured, type Scenario, type ScenarioOptions } from "../support/scenario.ts";
import { type BenchStack, startBenchStack } from "../support/stack.ts";
import { median, summarize } from "../support/stats.ts";
import { lambdaContext, timed } from "../support/timing.ts";

const GROUPS = 10;
/** The default before issue 14, kept as a line for comparison. */
const FORMER_API_CONCURRENCY = 5;
const FUNCTION_TIMEOUT_MS = DEFAULT_SETTINGS.timeoutSeconds * 1000;

interface Variant {
  key: string;
  label: string;
  handler: BatchHandler;
}

/** Scenario 1: one FIFO batch of 10 records across 10 groups, warm, against yardsticks. */
export const fifoBatchScenario: Scenario = {
  name: "fifo-batch",
  title: "1. FIFO batch of 10 records across 10 groups (warm invocation wall time)",
  run: async (options) => {
    const stack = await startBenchStack({ groups: GROUPS, latencyMs: options.latencyMs });
    try {
      return await measure(stack, options);
    } finally {
      await stack.stop();
    }
  },
};

async function measure(stack: BenchStack, options: ScenarioOptions) {
  const apiConcurrency = DEFAULT_SETTINGS.apiConcurrency;
  const variants: Variant[] = [
    { key: "ours", label: `ours (API_CONCURRENCY=${apiConcurrency}, deployed)`, handler: ourHandler(stack) },
    {
      key: "oursNarrow",
      label: `ours (API_CONCURRENCY=${FORMER_API_CONCURRENCY}, the former default)`,
      handler: ourHandler(stack, { environment: { API_CONCURRENCY: String(FORMER_API_CONCURRENCY) } }),
    },
    {
      key: "floor",
      label: `floor: ${GROUPS} bare PATCHes at once`,
      handler: allAtOnceHandler(stack, GROUPS),
    },
    { key: "sequential", label: "sequential baseline", handler: sequentialHandler(stack) },
    { key: "powertools", label: "Powertools SqsFifoPartialProcessor", handler: powertoolsHandler(stack) },
  ];
  const single = benchClient(stack);
  const singlePatch = () =>
    single.groups.update(stack.groupIds[0] as string, { name: `single ${Date.now()}` }).then(() => undefined);

  // Warm-up: connections opened and code compiled, as in a warm Lambda container.
  await singlePatch();
  for (const variant of variants) await runBatch(stack, variant);

  const samples: Record<string, number[]> = { ideal: [] };
  for (const variant of variants) samples[variant.key] = [];
  for (let rep = 0; rep < options.repetitions; rep++) {
    samples.ideal?.push((await timed(singlePatch)).ms);
    // Rotate the order so that drift in machine load does not favour whichever variant runs first.
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(rep + i) % variants.length] as Variant;
      samples[variant.key]?.push(await runBatch(stack, variant));
    }
    options.progress(`fifo-batch: repetition ${rep + 1}/${options.repetitions}`);
  }

  const m = (key: string) => median(samples[key] ?? [], key);
  const figures = [
    measured(
      "ideal: one PATCH round trip",
      "ms",
      summarize(samples.ideal ?? []),
      `${options.latencyMs} ms injected`,
    ),
    ...variants.map((variant) => measured(variant.label, "ms", summarize(samples[variant.key] ?? []))),
    derived(
      "ours (deployed) ÷ ideal",
      "×",
      m("ours") / m("ideal"),
      `≥ ⌈${GROUPS}/${apiConcurrency}⌉ round trips; goal ≤ 1.3`,
    ),
    derived(
      `ours (API_CONCURRENCY=${FORMER_API_CONCURRENCY}) ÷ ideal`,
      "×",
      m("oursNarrow") / m("ideal"),
      `≥ ⌈${GROUPS}/${FORMER_API_CONCURRENCY}⌉ round trips`,
    ),
    derived(`floor ÷ ideal`, "×", m("floor") / m("ideal"), "client and machine cost of 10 requests"),
    derived("ours (deployed) ÷ floor", "×", m("ours") / m("floor"), "our handler's own cost"),
    derived("Powertools ÷ ours", "×", m("powertools") / m("ours")),
    derived("sequential ÷ ours", "×", m("sequential") / m("ours")),
  ];
  return {
    name: fifoBatchScenario.name,
    title: fifoBatchScenario.title,
    figures,
    details: { groups: GROUPS, recordsPerBatch: GROUPS, apiConcurrency, samplesMs: samples },
  };
}

/** One batch through one variant; every record must succeed with exactly one PATCH, or the timing means nothing. */
async function runBatch(stack: BenchStack, variant: Variant): Promise<number> {
  const records = eventsAcross(stack.groupIds, GROUPS).map((event) =>
    fifoRecord(event, stack.queues.queueArn),
  );
  await stack.backend.clearJournal();
  const { ms, result } = await timed(() =>
    variant.handler({ Records: records }, lambdaContext(FUNCTION_TIMEOUT_MS)),
  );
  ensure(
    result.batchItemFailures.length === 0,
    `${variant.key}: ${result.batchItemFailures.length} records failed`,
  );
  const { patches, patchesApplied } = await stack.backend.journalStats();
  ensure(
    patches === GROUPS && patchesApplied === GROUPS,
    `${variant.key}: expected ${GROUPS} successful PATCHes, saw ${patchesApplied} of ${patches}`,
  );
  return ms;
}
