import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULT_API_KEY } from "../../local/vitable-emulator/index.ts";
import { benchGroupId } from "../support/events.ts";
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

const FULL = { groups: 10_000, rows: 10_000, bigRows: 50_000 };
const QUICK = { groups: 1_000, rows: 1_000, bigRows: 5_000 };
/** One row in a hundred names the group differently: 1% drift. */
const DRIFT_EVERY = 100;
const PAGE_SIZE = 100;
const AS_OF = "2026-03-01T00:00:00Z";
const CHILD_FILE = new URL("./reconcile-child.mjs", import.meta.url).pathname;
const MB = 1024 * 1024;

/** Scenario 6: `group-sync reconcile` of a snapshot against every Vitable group, in a fresh process. */
export const reconcileScenario: Scenario = {
  name: "reconcile",
  title: "6. Reconcile: 10,000 groups, 10,000-row snapshot, 1% drift (fresh `group-sync` processes)",
  run: async (options) => {
    const load = options.quick ? QUICK : FULL;
    const workDir = await mkdtemp(path.join(tmpdir(), "vitable-bench-reconcile-"));
    const stack = await startBenchStack({ groups: load.groups, latencyMs: options.latencyMs });
    try {
      return await measure(stack, workDir, options, load);
    } finally {
      await stack.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  },
};

interface ChildResult {
  exitCode: number;
  wallMs: number;
  peakRssBytes: number;
}

async function measure(stack: BenchStack, workDir: string, options: ScenarioOptions, load: typeof FULL) {
  const snapshot = path.join(workDir, "hr-groups.csv");
  const bigSnapshot = path.join(workDir, "hr-groups-big.csv");
  await writeFile(snapshot, snapshotCsv(load.rows));
  await writeFile(bigSnapshot, snapshotCsv(load.bigRows));
  const env = {
    PATH: process.env.PATH ?? "",
    VITABLE_CONNECT_BASE_URL: stack.backend.vitableUrl,
    VITABLE_CONNECT_API_KEY: DEFAULT_API_KEY,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const expectedPages = Math.ceil(load.groups / PAGE_SIZE);
  const expectedDrift = Math.ceil(load.rows / DRIFT_EVERY);

  const reconcile: ChildResult[] = [];
  const sequential: ChildResult[] = [];
  const big: ChildResult[] = [];
  const baseline: ChildResult[] = [];
  const calls: number[] = [];
  for (let rep = 0; rep < options.repetitions; rep++) {
    // Baseline: the same fresh process loading the CLI and printing its help, nothing listed or read.
    baseline.push(await runChild(workDir, env, ["reconcile", "--help"]));

    await stack.backend.clearJournal();
    const report = path.join(workDir, `report-${rep}.json`);
    const run = await runChild(workDir, env, [
      "reconcile",
      "--snapshot",
      snapshot,
      "--as-of",
      AS_OF,
      "--json",
      "--output",
      report,
    ]);
    const stats = await stack.backend.journalStats();
    ensure(run.exitCode === 3, `reconcile exited ${run.exitCode}, expected 3 (drift found)`);
    const counts = (JSON.parse(await readFile(report, "utf8")) as { counts: Record<string, number> }).counts;
    ensure(
      counts.name_differs === expectedDrift,
      `found ${counts.name_differs} name_differs, expected ${expectedDrift}`,
    );
    ensure(counts.in_sync === load.rows - expectedDrift, `in_sync ${counts.in_sync} is not every other row`);
    ensure(
      stats.requests === expectedPages,
      `${stats.requests} API calls, expected exactly ${expectedPages} list pages`,
    );
    calls.push(stats.requests);
    reconcile.push(run);

    // Reference: the same run with one request at a time, i.e. the pages read one after the other.
    await stack.backend.clearJournal();
    const sequentialArgs = ["reconcile", "--snapshot", snapshot, "--as-of", AS_OF, "--json"];
    sequential.push(await runChild(workDir, { ...env, API_CONCURRENCY: "1" }, sequentialArgs));
    ensure(
      (await stack.backend.journalStats()).requests === expectedPages,
      "the sequential run made other calls",
    );

    big.push(
      await runChild(workDir, env, ["reconcile", "--snapshot", bigSnapshot, "--as-of", AS_OF, "--json"]),
    );
    ensure(big[rep]?.exitCode === 3, `the ${load.bigRows}-row reconcile exited ${big[rep]?.exitCode}`);
    options.progress(`reconcile: repetition ${rep + 1}/${options.repetitions}`);
  }

  const wall = summarize(reconcile.map((run) => run.wallMs));
  const baseWall = summarize(baseline.map((run) => run.wallMs));
  const seqWall = summarize(sequential.map((run) => run.wallMs));
  const rss = summarize(reconcile.map((run) => run.peakRssBytes / MB));
  const baseRss = summarize(baseline.map((run) => run.peakRssBytes / MB));
  const bigRss = summarize(big.map((run) => run.peakRssBytes / MB));
  const figures: Figure[] = [
    measured(
      "API calls (list pages)",
      "calls",
      summarize(calls),
      `must be ceil(${load.groups}/100) = ${expectedPages}`,
    ),
    measured("reconcile wall time (process start to exit)", "ms", wall),
    measured("baseline: same process, `reconcile --help`", "ms", baseWall),
    derived(
      "reconcile wall time − baseline, per list page",
      "ms",
      (wall.median - baseWall.median) / expectedPages,
      `emulator latency ${options.latencyMs} ms per request`,
    ),
    measured("reference: pages one at a time (API_CONCURRENCY=1)", "ms", seqWall),
    derived("wall time ratio reconcile / one-at-a-time reference", "×", wall.median / seqWall.median),
    measured("reconcile peak RSS", "MiB", rss),
    measured("baseline peak RSS", "MiB", baseRss),
    derived("peak RSS ratio reconcile / baseline", "×", rss.median / baseRss.median),
    measured(`peak RSS with a ${load.bigRows.toLocaleString("en-US")}-row snapshot`, "MiB", bigRss),
    derived(
      `peak RSS ratio ${load.bigRows.toLocaleString("en-US")} rows / ${load.rows.toLocaleString("en-US")} rows`,
      "×",
      bigRss.median / rss.median,
    ),
  ];
  return {
    name: reconcileScenario.name,
    title: reconcileScenario.title,
    figures,
    details: { load, reconcile, sequential, big, baseline, calls },
  };
}

/**
 * A snapshot of `rows` rows against the bench groups (`Group i`, `hr_i`): every other row names its group by id,
 * the rest by reference; one row in a hundred has another name. Rows past the seeded groups are missing in Vitable.
 */
function snapshotCsv(rows: number): string {
  const lines = ["id,external_reference_id,name,cost_center"];
  for (let index = 0; index < rows; index++) {
    const id = index % 2 === 0 ? benchGroupId(index) : "";
    const name = index % DRIFT_EVERY === 0 ? `"Group ${index}, renamed in HR"` : `Group ${index}`;
    lines.push(`${id},hr_${index},${name},CC-${index % 37}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

async function runChild(workDir: string, env: Record<string, string>, argv: string[]): Promise<ChildResult> {
  const out = path.join(workDir, `child-${process.hrtime.bigint()}.json`);
  const child = spawn(process.execPath, [CHILD_FILE, out, ...argv], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  ensure(code === 0, `the group-sync child exited ${code}: ${stderr}`);
  return JSON.parse(await readFile(out, "utf8")) as ChildResult;
}
