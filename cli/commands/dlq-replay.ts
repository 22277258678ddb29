import { randomUUID } from "node:crypto";
import { type Command, Option } from "commander";
import { DEFAULT_EVENT_MAX_FUTURE_SECONDS } from "../../functions/shared/contract/future-bound.ts";
import { approximateMessageCount } from "../../functions/shared/sqs/approximate-message-count.ts";
import { type AuditLog, defaultAuditPath, openAuditLog, resolveAuditPath } from "../audit-log.ts";
import type { CommandContext } from "../context.ts";
import { filterFromOptions } from "../dlq/filters.ts";
import { createReplayOutput } from "../dlq/replay-output.ts";
import { failedCount, summaryLines } from "../dlq/replay-report.ts";
import { isFifoQueue, type ReplayResult, runReplay } from "../dlq/replay-run.ts";
import { describeError, EXIT, type ExitCode, UsageError } from "../errors.ts";
import {
  addConnectionOptions,
  addFilterOptions,
  addQueueOptions,
  positiveIntegerOption,
  positiveNumberOption,
} from "../options.ts";
import { countOf } from "../table.ts";
import { terminalText } from "../terminal-text.ts";
import { replayNative } from "./dlq-replay-native.ts";
import type { CommandRegistry } from "./registry.ts";
import type { ReplayOptions } from "./replay-options.ts";

export function registerDlqReplay(dlq: Command, registry: CommandRegistry): void {
  const command = dlq
    .command("replay")
    .description(
      "move DLQ messages back to the source queue: each is re-validated, sent, and only then deleted from the DLQ",
    );
  addFilterOptions(command);
  command
    .addOption(
      positiveIntegerOption(
        "--max <n>",
        "move (replay or drop) at most this many messages; kept and skipped ones do not count",
      ),
    )
    .option("--dry-run", "print what would move and change nothing")
    .addOption(positiveNumberOption("--rate <n>", "send at most this many messages per second"))
    .option(
      "--drop-invalid",
      "delete messages that fail validation (asks first; the audit file keeps their bodies)",
    )
    .option("-y, --yes", "do not ask before --drop-invalid")
    .option("--strict", "exit 1 when invalid messages were kept")
    .addOption(
      positiveIntegerOption(
        "--max-future-seconds <n>",
        "keep events whose occurred_at is further ahead than this, as the function's EVENT_MAX_FUTURE_SECONDS does",
      ).default(DEFAULT_EVENT_MAX_FUTURE_SECONDS),
    )
    .option(
      "--no-rotate",
      "on a FIFO DLQ, leave kept and skipped messages at the head of their message group (the ones behind stay unread)",
    )
    .option(
      "--audit <file>",
      "audit file, JSON Lines (default: audit-<timestamp>.jsonl here; none for --dry-run)",
    )
    .addOption(
      new Option(
        "--native",
        "let SQS move the whole DLQ (StartMessageMoveTask; AWS only, no filters, no re-validation)",
      ),
    );
  addQueueOptions(command, ["source", "dlq"]);
  addConnectionOptions(command);
  command.action(registry.action((options: ReplayOptions) => replay(registry.context, options)));
}

async function replay(context: CommandContext, options: ReplayOptions): Promise<ExitCode> {
  if (options.native) return replayNative(context, options);
  const { io } = context;
  const startedAt = io.now();
  const filter = filterFromOptions(options, startedAt);
  const dryRun = options.dryRun === true;
  if (options.dropInvalid && !dryRun && !options.yes && !(await confirmDrop(context))) {
    context.err("aborted: nothing changed");
    return EXIT.failed;
  }
  const { source, dlq } = await context.queues(options, ["source", "dlq"]);
  if (source === dlq) throw new UsageError("the source queue and the DLQ are the same queue");
  const sqs = context.sqs(options);
  const approximateTotal = await approximateMessageCount(sqs, dlq);
  const rotate = options.rotate !== false;

  const runId = randomUUID();
  const audit = openAudit(context, options, dryRun, startedAt);
  audit?.write({
    type: "start",
    at: startedAt.toISOString(),
    run_id: runId,
    dry_run: dryRun,
    dlq_url: dlq,
    source_queue_url: source,
    filter,
    max: options.max ?? null,
    rate: options.rate ?? null,
    drop_invalid: options.dropInvalid === true,
    rotate: rotate && !dryRun && isFifoQueue(dlq),
  });
  context.out(terminalText(`${dryRun ? "dry run: " : ""}replaying from ${dlq} to ${source}`));

  const output = createReplayOutput(context, {
    dryRun,
    estimatedTotal: Math.min(options.max ?? approximateTotal, approximateTotal),
    audit,
    runId,
  });

  let result: ReplayResult;
  try {
    result = await runReplay({
      sqs,
      dlqUrl: dlq,
      sourceQueueUrl: source,
      filter,
      max: options.max,
      dryRun,
      dropInvalid: options.dropInvalid === true,
      rotate,
      maxFutureMs: options.maxFutureSeconds * 1000,
      rate: options.rate,
      waitTimeSeconds: context.receiveWaitSeconds(options),
      now: () => io.now(),
      sleep: (ms) => io.sleep(ms),
      onDecision: (decision, counts) => output.decision(decision, counts),
    });
  } catch (error) {
    output.finish();
    audit?.write({ type: "aborted", at: io.now().toISOString(), run_id: runId, error: describeError(error) });
    audit?.close();
    throw error;
  }
  output.finish();
  for (const line of summaryLines(result.counts, dryRun)) context.out(line);
  if (result.returned > 0) {
    context.out(
      `${countOf(result.returned, "replayed message")} failed again and came back to the DLQ while the replay ` +
        "ran: left there, not replayed a second time.",
    );
  }
  for (const id of result.notReleased) {
    context.err(
      terminalText(`warning: DLQ message ${id} stays hidden until its hold ends, then is visible again`),
    );
  }
  const unread = approximateTotal > result.examined;
  if (unread && dryRun) {
    context.out(
      `note: the DLQ holds about ${approximateTotal} messages and ${result.examined} could be read without ` +
        "moving any; in a FIFO queue the others wait behind the first message(s) of their message group. A real " +
        "replay reaches them: it moves the ones ahead, and sends the ones it keeps or skips to the back of their " +
        "group (unless --no-rotate).",
    );
  } else if (
    unread &&
    !rotate &&
    isFifoQueue(dlq) &&
    result.counts.kept_invalid + result.counts.skipped > 0
  ) {
    context.out(
      `note: the DLQ held about ${approximateTotal} messages and ${result.examined} were read; in a FIFO queue ` +
        "the others wait behind a message of their message group that this run kept or skipped, and --no-rotate " +
        "leaves those where they are. Replay without --no-rotate to reach them.",
    );
  }
  if (!dryRun) {
    // Only a report: a failing count must not turn a finished replay into an error.
    const remaining = await approximateMessageCount(sqs, dlq).catch(() => undefined);
    if (remaining !== undefined) context.out(`the DLQ now holds about ${countOf(remaining, "message")}`);
  }
  audit?.write({
    type: "finish",
    at: io.now().toISOString(),
    run_id: runId,
    counts: result.counts,
    returned: result.returned,
  });
  audit?.close();
  if (audit) context.out(terminalText(`audit: ${audit.path}`));

  const failed = failedCount(result.counts) > 0;
  const strictFailure = options.strict === true && result.counts.kept_invalid > 0;
  return failed || strictFailure ? EXIT.failed : EXIT.ok;
}

/** A dry run writes an audit file only when asked to: it changes nothing, so there is nothing to account for. */
function openAudit(
  context: CommandContext,
  options: ReplayOptions,
  dryRun: boolean,
  startedAt: Date,
): AuditLog | undefined {
  if (dryRun && options.audit === undefined) return undefined;
  const path = options.audit
    ? resolveAuditPath(context.io.cwd, options.audit)
    : defaultAuditPath(context.io.cwd, startedAt);
  return openAuditLog(path);
}

async function confirmDrop(context: CommandContext): Promise<boolean> {
  if (!context.io.stdin.isTTY) {
    throw new UsageError(
      "--drop-invalid deletes invalid messages for good: confirm on a terminal or add --yes",
    );
  }
  return context.io.confirm(
    "Messages that fail validation will be deleted from the DLQ for good (the audit file keeps their bodies). Continue?",
  );
}
