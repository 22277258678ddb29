import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { messageGroupIdFor } from "../../functions/shared/contract/fifo-ids.ts";
import { DEFAULT_SETTINGS } from "../../infra/settings.ts";
import { JOIN_FAILED_EXIT } from "./cpu-cgroup.ts";
import { fifoRecord, renameEvent } from "./events.ts";
import type { BenchStack } from "./stack.ts";

const CHILD_FILE = new URL("../scenarios/cold-start-child.mjs", import.meta.url).pathname;

/** What cold-start-child.mjs writes. */
export interface ChildMeasurement {
  /** Node's own start-up before the first line of the script ran. */
  bootMs: number;
  importMs: number;
  /** CPU (all threads) the import used: against importMs it shows the CPU share the process got. */
  importCpuMs: number;
  firstInvokeMs: number;
  secondInvokeMs: number;
  /** Every invocation's wall time, the first two included. */
  invokeMs: number[];
  events: number;
  failed: number;
  /** CPU ms per event after the first two invocations; null when only those two ran. */
  cpuMsPerSteadyEvent: number | null;
  rssAfterImportBytes: number;
  peakRssBytes: number;
}

export class ChildRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChildRunError";
  }
}

export interface ChildRun {
  bundle: string;
  /** At least two batches are always run (the cold one and a warm one). */
  events: number;
  /** Only the variables the deployed function gets, pointed at the local stack. */
  environment: Record<string, string>;
  /** A command the child is started through (`[…prefix, node, …]`), e.g. to join a CPU-limited cgroup. */
  launchPrefix?: readonly string[];
}

/** Runs one fresh `node` process that imports the bundle and invokes its handler, and returns what it measured. */
export async function runChild(stack: BenchStack, workDir: string, run: ChildRun): Promise<ChildMeasurement> {
  const runTag = `cold-${randomUUID().slice(0, 8)}`;
  const specFile = path.join(workDir, `${runTag}.json`);
  const out = path.join(workDir, `${runTag}.out.json`);
  const templateEvent = renameEvent(stack.groupIds[0] as string);
  await writeFile(
    specFile,
    JSON.stringify({
      bundle: run.bundle,
      out,
      runTag,
      events: run.events,
      batchSize: DEFAULT_SETTINGS.batchSize,
      functionTimeoutMs: DEFAULT_SETTINGS.timeoutSeconds * 1000,
      templateEvent,
      templateRecord: fifoRecord(templateEvent, stack.queues.queueArn),
      groups: stack.groupIds.map((groupId) => ({
        groupId,
        messageGroupId: messageGroupIdFor({ ...templateEvent, group: { id: groupId } }),
      })),
    }),
  );
  // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") are passed to the children's node.
  const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const [command, ...args] = [
    ...(run.launchPrefix ?? []),
    process.execPath,
    ...nodeArgs,
    CHILD_FILE,
    specFile,
  ];
  const child = spawn(command as string, args, {
    env: run.environment,
    // The function's logs and metrics are written (that cost is real) but not kept.
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
  if (code === JOIN_FAILED_EXIT && run.launchPrefix) {
    throw new ChildRunError(`the child for ${run.bundle} could not join its cgroup: ${stderr.trim()}`);
  }
  if (code !== 0)
    throw new ChildRunError(`the child for ${run.bundle} exited with ${code}: ${stderr.trim()}`);
  const measurement = JSON.parse(await readFile(out, "utf8")) as ChildMeasurement;
  if (measurement.failed > 0) {
    throw new ChildRunError(`${measurement.failed} records failed in the child for ${run.bundle}`);
  }
  return measurement;
}
