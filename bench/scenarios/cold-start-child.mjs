// Runs under plain `node`, like the Lambda runtime: no TypeScript loader may sit between the timer and the bundle.
// Usage: node cold-start-child.mjs <spec.json>. Writes its measurements as JSON to spec.out.
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const bootMs = performance.now();
const spec = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));

const importStart = performance.now();
const importCpuStart = process.cpuUsage();
const { handler } = await import(pathToFileURL(spec.bundle).href);
const importMs = performance.now() - importStart;
const importCpu = process.cpuUsage(importCpuStart);
const rssAfterImportBytes = process.memoryUsage().rss;

let sequence = 0;
let lastInstantMs = 0;

/** The next batch: one rename per group, `batchSize` groups in turn, built from the parent's template. */
function nextBatch() {
  const records = [];
  for (let i = 0; i < spec.batchSize; i++) {
    const target = spec.groups[sequence % spec.groups.length];
    sequence += 1;
    lastInstantMs = Math.max(Date.now(), lastInstantMs + 1);
    const event = {
      ...spec.templateEvent,
      event_id: `${spec.runTag}-${sequence}`,
      occurred_at: new Date(lastInstantMs).toISOString(),
      group: { id: target.groupId },
      changes: { name: `Cold start ${spec.runTag} ${sequence}` },
    };
    records.push({
      ...spec.templateRecord,
      messageId: `${spec.runTag}-m${sequence}`,
      receiptHandle: `${spec.runTag}-r${sequence}`,
      body: JSON.stringify(event),
      attributes: {
        ...spec.templateRecord.attributes,
        MessageGroupId: target.messageGroupId,
        MessageDeduplicationId: event.event_id,
      },
    });
  }
  return { Records: records };
}

async function invoke() {
  const event = nextBatch();
  const end = Date.now() + spec.functionTimeoutMs;
  const started = performance.now();
  const response = await handler(event, { getRemainingTimeInMillis: () => end - Date.now() });
  return { ms: performance.now() - started, failed: response?.batchItemFailures?.length ?? 0 };
}

const first = await invoke();
const second = await invoke();
const invokeMs = [first.ms, second.ms];
let failed = first.failed + second.failed;
let invocations = 2;
// CPU of the steady state only: the first two invocations carry one-time costs (lazy loading, JIT).
const steadyCpu = process.cpuUsage();
while (invocations * spec.batchSize < spec.events) {
  const next = await invoke();
  failed += next.failed;
  invokeMs.push(next.ms);
  invocations += 1;
}
const steadyUsage = process.cpuUsage(steadyCpu);
const steadyEvents = (invocations - 2) * spec.batchSize;

writeFileSync(
  spec.out,
  JSON.stringify({
    bootMs,
    importMs,
    importCpuMs: (importCpu.user + importCpu.system) / 1000,
    firstInvokeMs: first.ms,
    secondInvokeMs: second.ms,
    invokeMs,
    events: invocations * spec.batchSize,
    failed,
    // All threads of the process (main, GC, compiler, libuv), as Lambda counts CPU.
    cpuMsPerSteadyEvent:
      steadyEvents > 0 ? (steadyUsage.user + steadyUsage.system) / 1000 / steadyEvents : null,
    rssAfterImportBytes,
    // Linux reports maxRSS in kilobytes.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
// Keep-alive sockets and SDK timers would keep the process up; the measurements are written.
process.exit(0);
