import type { Bundle } from "../support/bundles.ts";
import { type ChildMeasurement, runChild } from "../support/child-run.ts";
import { type FunctionStack, findBundle, startFunctionStack } from "../support/function-stack.ts";
import { derived, type Figure, measured, type Scenario, type ScenarioOptions } from "../support/scenario.ts";
import { median, summarize } from "../support/stats.ts";

const FULL = { coldStarts: 10, memoryEvents: 10_000, groups: 1_000 };
const QUICK = { coldStarts: 3, memoryEvents: 1_000, groups: 100 };
const MB = 1024 * 1024;
/** bench/reference/sdk-floor-lambda.ts sends one UpdateItem and one PutItem per record. */
const FLOOR_LEDGER_CALLS_PER_EVENT = 2;

/** Scenario 5: bundle size, module initialisation, first invocation and peak memory, ours and the reference. */
export const coldStartScenario: Scenario = {
  name: "cold-start",
  title: "5. Cold start and memory (fresh `node` processes importing the bundles)",
  run: async (options) => {
    const load = options.quick ? QUICK : FULL;
    const functions = await startFunctionStack({ groups: load.groups, latencyMs: options.latencyMs });
    try {
      return await measure(functions, options, load);
    } finally {
      await functions.stop();
    }
  },
};

async function measure(functions: FunctionStack, options: ScenarioOptions, load: typeof FULL) {
  const { stack, workDir, bundles, ours, reference, floor, environment } = functions;

  const coldBundles = { ours, reference, floor } as const;
  const cold: Record<keyof typeof coldBundles, ChildMeasurement[]> = { ours: [], reference: [], floor: [] };
  for (let run = 0; run < load.coldStarts; run++) {
    // Interleaved, so that drifting machine load hits each alike.
    for (const key of Object.keys(coldBundles) as (keyof typeof coldBundles)[]) {
      cold[key].push(
        await runChild(stack, workDir, { bundle: coldBundles[key].file, events: 0, environment }),
      );
    }
    options.progress(`cold-start: fresh process ${run + 1}/${load.coldStarts}`);
  }
  options.progress(`cold-start: ${load.memoryEvents.toLocaleString("en-US")} events through each bundle`);
  await stack.backend.clearJournal();
  // All three at once: they wait on the API almost all the time, and peak RSS does not depend on the neighbours.
  const [oursMemory, referenceMemory, floorMemory] = (await Promise.all(
    [ours, reference, floor].map((bundle) =>
      runChild(stack, workDir, { bundle: bundle.file, events: load.memoryEvents, environment }),
    ),
  )) as [ChildMeasurement, ChildMeasurement, ChildMeasurement];
  // The reference calls no DynamoDB and the floor exactly two requests per event (its code): the rest are ours.
  const dynamoRequests =
    (await stack.backend.journalStats()).dynamoRequests - FLOOR_LEDGER_CALLS_PER_EVENT * floorMemory.events;

  const figures: Figure[] = [];
  for (const bundle of bundles) {
    figures.push(
      derived(`${bundle.name}: bundle size`, "kB", bundle.bytes / 1024),
      derived(`${bundle.name}: bundle size, gzip -9`, "kB", bundle.gzipBytes / 1024),
    );
  }
  for (const [key, label] of [
    ["ours", "group-sync"],
    ["reference", "powertools-reference"],
    ["floor", "sdk-floor"],
  ] as const) {
    const runs = cold[key];
    figures.push(
      measured(`${label}: module initialisation (import)`, "ms", summarize(runs.map((r) => r.importMs))),
      measured(`${label}: first invocation (10 records)`, "ms", summarize(runs.map((r) => r.firstInvokeMs))),
      measured(`${label}: second invocation (warm)`, "ms", summarize(runs.map((r) => r.secondInvokeMs))),
      measured(
        `${label}: first − second invocation`,
        "ms",
        summarize(runs.map((r) => r.firstInvokeMs - r.secondInvokeMs)),
        "one-time cost of the first call",
      ),
      measured(`${label}: RSS after import`, "MB", summarize(runs.map((r) => r.rssAfterImportBytes / MB))),
    );
  }
  figures.push(
    derived(
      `group-sync: peak RSS over ${oursMemory.events.toLocaleString("en-US")} events`,
      "MB",
      oursMemory.peakRssBytes / MB,
    ),
    derived(
      `powertools-reference: peak RSS over ${referenceMemory.events.toLocaleString("en-US")} events`,
      "MB",
      referenceMemory.peakRssBytes / MB,
    ),
    derived(
      `sdk-floor: peak RSS over ${floorMemory.events.toLocaleString("en-US")} events`,
      "MB",
      floorMemory.peakRssBytes / MB,
    ),
    derived(
      "group-sync: CPU per event, steady state",
      "ms",
      oursMemory.cpuMsPerSteadyEvent ?? Number.NaN,
      "DynamoDB ledger calls included",
    ),
    derived(
      "powertools-reference: CPU per event, steady state",
      "ms",
      referenceMemory.cpuMsPerSteadyEvent ?? Number.NaN,
    ),
    derived(
      "sdk-floor: CPU per event, steady state",
      "ms",
      floorMemory.cpuMsPerSteadyEvent ?? Number.NaN,
      "the reference plus two DynamoDB requests per event",
    ),
    derived("group-sync: DynamoDB calls per event (ledger)", "calls", dynamoRequests / oursMemory.events),
    ...ratioFigures(cold, { ours: oursMemory, reference: referenceMemory, floor: floorMemory }, bundles),
    measured(
      "node start-up before the script (both)",
      "ms",
      summarize([...cold.ours, ...cold.reference].map((r) => r.bootMs)),
    ),
  );
  for (const bundle of bundles) {
    for (const input of bundle.largestInputs) {
      figures.push(
        derived(
          `${bundle.name} holds ${input.source}`,
          "kB",
          input.bytesInOutput / 1024,
          `${((100 * input.bytesInOutput) / bundle.bytes).toFixed(1)}% of the bundle, ${input.files} files`,
        ),
      );
    }
  }
  return {
    name: coldStartScenario.name,
    title: coldStartScenario.title,
    figures,
    details: {
      ...load,
      ledger: "DynamoDbLedgerStore on dynalite (our function); the reference has no ledger",
      bundles: bundles.map(({ name, bytes, gzipBytes, largestInputs }) => ({
        name,
        bytes,
        gzipBytes,
        largestInputs,
      })),
      cold,
      memory: { ours: oursMemory, reference: referenceMemory, floor: floorMemory, dynamoRequests },
    },
  };
}

/**
 * The goals are ratios to the reference within one run: each is printed as one, beside the same ratio
 * for the SDK floor, which shows how much of the gap is the AWS SDK and the ledger's two requests per event.
 */
function ratioFigures(
  cold: Record<"ours" | "reference" | "floor", ChildMeasurement[]>,
  memory: Record<"ours" | "reference" | "floor", ChildMeasurement>,
  bundles: Bundle[],
): Figure[] {
  const importOf = (key: keyof typeof cold) => median(cold[key].map((r) => r.importMs));
  const cpuOf = (key: keyof typeof memory) => memory[key].cpuMsPerSteadyEvent ?? Number.NaN;
  const rssOf = (key: keyof typeof memory) => memory[key].peakRssBytes;
  const bytesOf = (name: string) => findBundle(bundles, name).bytes;
  const importFloor = "the least a function carrying its own AWS SDK costs";
  // Not a lower bound for CPU: the floor handles records one after another as the reference does, and waits on
  // each PATCH alone, which costs more event-loop turns than our lanes. It prices the two ledger requests.
  const ledgerFloor = "the reference plus the SDK and two ledger requests per event";
  return [
    derived(
      "group-sync ÷ reference: module initialisation",
      "×",
      importOf("ours") / importOf("reference"),
      "goal ≤ 1.5",
    ),
    derived(
      "sdk-floor ÷ reference: module initialisation",
      "×",
      importOf("floor") / importOf("reference"),
      importFloor,
    ),
    derived("group-sync ÷ sdk-floor: module initialisation", "×", importOf("ours") / importOf("floor")),
    derived("sdk-floor: bundle size ÷ group-sync's", "×", bytesOf("sdk-floor") / bytesOf("group-sync")),
    derived("group-sync ÷ reference: CPU per event", "×", cpuOf("ours") / cpuOf("reference"), "goal ≤ 1.3"),
    derived("sdk-floor ÷ reference: CPU per event", "×", cpuOf("floor") / cpuOf("reference"), ledgerFloor),
    derived("group-sync ÷ reference: peak RSS", "×", rssOf("ours") / rssOf("reference"), "goal ≤ 1.15"),
    derived("sdk-floor ÷ reference: peak RSS", "×", rssOf("floor") / rssOf("reference"), ledgerFloor),
  ];
}
