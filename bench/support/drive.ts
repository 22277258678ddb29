import { performance } from "node:perf_hooks";
import type { GroupRenamedEvent } from "../../functions/shared/contract/group-renamed-event.ts";
import type { LedgerStore } from "../../functions/shared/ledger/ledger-store.ts";
import { DEFAULT_SETTINGS } from "../../infra/settings.ts";
import { containerPool } from "../../local/runner/container-pool.ts";
import {
  type BatchHandler,
  type InvocationReport,
  startEventSourceRunner,
} from "../../local/runner/event-source-runner.ts";
import { ourHandler } from "./handlers.ts";
import type { BenchStack } from "./stack.ts";
import { median } from "./stats.ts";

export interface DriveResult {
  wallMs: number;
  /** Records the handler finished (acked); equals the events sent when nothing had to be redelivered. */
  recordsDone: number;
  /** Records handed back for redelivery (batch item failures, crashes, timeouts). */
  recordsFailed: number;
  invocations: number;
  containers: number;
  /** Median wall time of one invocation of the handler. */
  medianInvocationMs: number;
  /** Handler busy time ÷ (wall time × maxConcurrency): below 1, the runner's receives kept containers waiting. */
  containerOccupancy: number;
  /** Share of the wall time this process's event loop was busy (the runner and every container share it). */
  eventLoopUtilization: number;
  /** CPU time of this process ÷ wall time (can exceed 1 with GC and I/O threads). */
  cpuPerWall: number;
}

export class DriveTimeoutError extends Error {
  constructor(done: number, expected: number, limitMs: number) {
    super(`only ${done} of ${expected} records were done after ${limitMs} ms`);
    this.name = "DriveTimeoutError";
  }
}

/**
 * Enqueues the events (untimed), then runs our handler behind the local event source runner with the deployed
 * batch size, concurrency and timeout, each concurrent invocation in its own container, until every event is done.
 */
export async function driveThroughRunner(
  stack: BenchStack,
  events: readonly GroupRenamedEvent[],
  options: { ledger: LedgerStore; limitMs: number },
): Promise<DriveResult> {
  await stack.useFreshQueues();
  await stack.enqueue(events);
  await stack.backend.clearJournal();
  const pool = containerPool(() => ourHandler(stack, { ledger: options.ledger }));
  const invocationMs: number[] = [];
  const handler: BatchHandler = async (event, context) => {
    const started = performance.now();
    try {
      return await pool.handler(event, context);
    } finally {
      invocationMs.push(performance.now() - started);
    }
  };
  let recordsDone = 0;
  let recordsFailed = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const onInvocation = (report: InvocationReport) => {
    recordsDone += report.records - report.failed;
    recordsFailed += report.failed;
    if (recordsDone >= events.length) allDone();
  };

  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const runner = startEventSourceRunner({
    sqs: stack.sqs,
    queueUrl: stack.queues.queueUrl,
    queueArn: stack.queues.queueArn,
    handler,
    batchSize: DEFAULT_SETTINGS.batchSize,
    maxConcurrency: DEFAULT_SETTINGS.maxConcurrency,
    functionTimeoutMs: DEFAULT_SETTINGS.timeoutSeconds * 1000,
    onInvocation,
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), options.limitMs);
  });
  let wallMs: number;
  let used: NodeJS.CpuUsage;
  let loop: number;
  try {
    const outcome = await Promise.race([finished, timedOut]);
    // Read before stop(): ending the runner's long poll is not part of the work.
    wallMs = performance.now() - start;
    used = process.cpuUsage(cpu);
    loop = performance.eventLoopUtilization(elu).utilization;
    if (outcome === "timeout") throw new DriveTimeoutError(recordsDone, events.length, options.limitMs);
  } finally {
    clearTimeout(timer);
    await runner.stop();
  }
  return {
    wallMs,
    recordsDone,
    recordsFailed,
    invocations: runner.invocations,
    containers: pool.size,
    medianInvocationMs: median(invocationMs, "invocation times"),
    containerOccupancy:
      invocationMs.reduce((sum, ms) => sum + ms, 0) / (wallMs * DEFAULT_SETTINGS.maxConcurrency),
    eventLoopUtilization: loop,
    cpuPerWall: (used.user + used.system) / 1000 / wallMs,
  };
}
