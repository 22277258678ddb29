import { randomUUID } from "node:crypto";
import { approximateMessageCount } from "../../functions/shared/sqs/approximate-message-count.ts";
import { defaultAuditPath, openAuditLog, resolveAuditPath } from "../audit-log.ts";
import type { CommandContext } from "../context.ts";
import { type MoveProgress, runNativeMove } from "../dlq/native-move.ts";
import { describeError, EXIT, type ExitCode, UsageError } from "../errors.ts";
import { createProgressBar, type ProgressBar, wantsBar } from "../progress.ts";
import { countOf } from "../table.ts";
import { terminalText } from "../terminal-text.ts";
import type { ReplayOptions } from "./replay-options.ts";

/** SQS caps MaxNumberOfMessagesPerSecond at 500. */
const MAX_NATIVE_RATE = 500;

/** Flags that select or check messages one by one; a native move cannot do either. */
const SELECTIVE_FLAGS: ReadonlyArray<[keyof ReplayOptions, string]> = [
  ["reason", "--reason"],
  ["group", "--group"],
  ["eventId", "--event-id"],
  ["olderThan", "--older-than"],
  ["newerThan", "--newer-than"],
  ["max", "--max"],
  ["dryRun", "--dry-run"],
  ["dropInvalid", "--drop-invalid"],
  ["strict", "--strict"],
];

/** `dlq replay --native`: SQS moves the whole DLQ itself; this follows the task until it ends. */
export async function replayNative(context: CommandContext, options: ReplayOptions): Promise<ExitCode> {
  const conflicts = SELECTIVE_FLAGS.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
  // commander sets `rotate` to true unless --no-rotate is given.
  if (options.rotate === false) conflicts.push("--no-rotate");
  if (conflicts.length > 0) {
    throw new UsageError(`--native moves the whole DLQ and cannot be combined with ${conflicts.join(", ")}`);
  }
  if (options.rate !== undefined && options.rate > MAX_NATIVE_RATE) {
    throw new UsageError(`--rate with --native is at most ${MAX_NATIVE_RATE} (an SQS limit)`);
  }
  const { io } = context;
  const { source, dlq } = await context.queues(options, ["source", "dlq"]);
  if (source === dlq) throw new UsageError("the source queue and the DLQ are the same queue");
  const sqs = context.sqs(options);
  const startedAt = io.now();
  const runId = randomUUID();
  const audit = openAuditLog(
    options.audit ? resolveAuditPath(io.cwd, options.audit) : defaultAuditPath(io.cwd, startedAt),
  );
  audit.write({
    type: "start",
    at: startedAt.toISOString(),
    run_id: runId,
    native: true,
    dlq_url: dlq,
    source_queue_url: source,
    rate: options.rate ?? null,
  });
  context.out(
    terminalText(`native move: SQS moves every message from ${dlq} to ${source}, without re-validating them`),
  );

  const useBar = wantsBar(io.stderr);
  let bar: ProgressBar | undefined;
  let lastLine = "";
  const onProgress = (progress: MoveProgress) => {
    if (useBar) {
      bar ??= createProgressBar(io.stderr, "move", progress.toMove ?? 0, ["moved"]);
      bar.update(progress.moved, { moved: progress.moved });
      return;
    }
    const line = progressLine(progress);
    if (line !== lastLine) context.out(line);
    lastLine = line;
  };

  let final: MoveProgress;
  try {
    final = await runNativeMove({
      sqs,
      dlqUrl: dlq,
      sourceQueueUrl: source,
      rate: options.rate,
      sleep: (ms) => io.sleep(ms),
      onStarted: (handle) => {
        audit.write({ type: "task_started", at: io.now().toISOString(), run_id: runId, task_handle: handle });
        context.out(
          terminalText(
            `task started; cancel it with: aws sqs cancel-message-move-task --task-handle ${handle}`,
          ),
        );
      },
      onProgress,
    });
  } catch (error) {
    bar?.stop();
    audit.write({ type: "aborted", at: io.now().toISOString(), run_id: runId, error: describeError(error) });
    audit.close();
    throw error;
  }
  bar?.stop();
  audit.write({
    type: "finish",
    at: io.now().toISOString(),
    run_id: runId,
    status: final.status,
    moved: final.moved,
    to_move: final.toMove ?? null,
    failure_reason: final.failureReason ?? null,
  });
  audit.close();
  if (useBar) context.out(progressLine(final));
  if (final.failureReason) context.out(terminalText(`failure reason: ${final.failureReason}`));
  context.out(`the DLQ now holds about ${countOf(await approximateMessageCount(sqs, dlq), "message")}`);
  context.out(`audit: ${audit.path}`);
  return final.status === "COMPLETED" ? EXIT.ok : EXIT.failed;
}

function progressLine(progress: MoveProgress): string {
  const total = progress.toMove === undefined ? "" : ` of ${progress.toMove}`;
  return terminalText(`${progress.status}: ${progress.moved}${total} moved`);
}
