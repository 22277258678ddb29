import { writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { coalescingScenario } from "./scenarios/coalescing.ts";
import { coldStartScenario } from "./scenarios/cold-start.ts";
import { cpuShareScenario } from "./scenarios/cpu-share.ts";
import { fifoBatchScenario } from "./scenarios/fifo-batch.ts";
import { rateLimitStormScenario } from "./scenarios/rate-limit-storm.ts";
import { reconcileScenario } from "./scenarios/reconcile.ts";
import { sustainedLoadScenario } from "./scenarios/sustained-load.ts";
import { parseMemorySizes } from "./support/cpu-cgroup.ts";
import { describeMachine } from "./support/machine.ts";
import type { Scenario, ScenarioResult } from "./support/scenario.ts";
import { formatTable } from "./support/table.ts";

/** Every scenario, in the order of the issue. */
export const SCENARIOS: readonly Scenario[] = [
  fifoBatchScenario,
  coalescingScenario,
  sustainedLoadScenario,
  rateLimitStormScenario,
  coldStartScenario,
  reconcileScenario,
  cpuShareScenario,
];

export const LATENCY_MS = 25;
/** Lambda memory sizes the cpu-share scenario measures by default: 256 MB, the 1024 MB default, and the step between. */
export const DEFAULT_MEMORY_SIZES_MB: readonly number[] = [256, 512, 1024];
const RESULTS_FILE = new URL("./results.json", import.meta.url);

export interface RunOptions {
  only: string[];
  quick: boolean;
  repetitions: number;
  memorySizesMb: readonly number[];
}

export function parseRunOptions(argv: string[]): RunOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string", multiple: true },
      quick: { type: "boolean", default: false },
      repetitions: { type: "string" },
      "memory-sizes": { type: "string" },
    },
  });
  const quick = values.quick ?? false;
  const repetitions = values.repetitions === undefined ? (quick ? 3 : 7) : Number(values.repetitions);
  if (!Number.isInteger(repetitions) || repetitions < 1)
    throw new Error("--repetitions must be a positive integer");
  const only = (values.only ?? []).flatMap((name) => name.split(","));
  const unknown = only.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown scenario ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`,
    );
  }
  const memorySizesMb =
    values["memory-sizes"] === undefined ? DEFAULT_MEMORY_SIZES_MB : parseMemorySizes(values["memory-sizes"]);
  return { only, quick, repetitions, memorySizesMb };
}

async function main(): Promise<void> {
  const options = parseRunOptions(process.argv.slice(2));
  quietAwsAndPowertools();
  const machine = describeMachine();
  const selected = SCENARIOS.filter(
    (scenario) => options.only.length === 0 || options.only.includes(scenario.name),
  );
  console.log(
    `vitable-group-sync bench: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}` +
      `, load ${machine.loadAverageAtStart}${options.quick ? ", --quick" : ""}, ${options.repetitions} repetitions`,
  );
  const results: ScenarioResult[] = [];
  for (const scenario of selected) {
    const startedAt = Date.now();
    const result = await scenario.run({
      quick: options.quick,
      repetitions: options.repetitions,
      latencyMs: LATENCY_MS,
      memorySizesMb: options.memorySizesMb,
      progress: (message) => console.error(`  … ${message}`),
    });
    result.details.scenarioWallSeconds = (Date.now() - startedAt) / 1000;
    results.push(result);
    console.log(formatTable([result]));
  }
  const report = {
    machine,
    options: {
      quick: options.quick,
      repetitions: options.repetitions,
      latencyMs: LATENCY_MS,
      memorySizesMb: options.memorySizesMb,
    },
    scenarios: Object.fromEntries(results.map((result) => [result.name, result])),
  };
  await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${RESULTS_FILE.pathname}`);
}

/** Dummy credentials (nothing leaves loopback), no SDK version nag, no EMF metrics over the table. */
function quietAwsAndPowertools(): void {
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "bench";
  process.env.AWS_SECRET_ACCESS_KEY ??= "bench";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    // Stray keep-alive sockets or SDK timers must not hold the process once the report is written.
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
