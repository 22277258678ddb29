import { randomUUID } from "node:crypto";
import { type Command, Option } from "commander";
import { type AuditLog, defaultAuditPath, openAuditLog, resolveAuditPath } from "../audit-log.ts";
import type { ConnectionOptions } from "../connection.ts";
import type { CommandContext } from "../context.ts";
import { approximateMessageCount } from "../dlq/dlq-scanner.ts";
import { type FilterOptions, filterFromOptions } from "../dlq/filters.ts";
import { createReplayOutput } from "../dlq/replay-output.ts";
import { failedCount, summaryLines } from "../dlq/replay-report.ts";
import { type ReplayResult, runReplay } from "../dlq/replay-run.ts";
import { describeError, EXIT, type ExitCode, UsageError } from "../errors.ts";
import {
  addConnectionOptions,
  addFilterOptions,
  addQueueOptions,
  positiveIntegerOption,
  positiveNumberOption,
} from "../options.ts";
import type { QueueOptions } from "../queues.ts";
import { countOf } from "../table.ts";
import { replayNative } from "./dlq-replay-native.ts";
import type { CommandRegistry } from "./registry.ts";

export interface ReplayOptions extends FilterOptions, QueueOptions, ConnectionOptions {
  max?: number;
  dryRun?: boolean;
  rate?: number;
  dropInvalid?: boolean;
  yes?: boolean;
  strict?: boolean;
  audit?: string;
  native?: boolean;
}

export function registerDlqReplay(dlq: Command, registry: CommandRegistry): void {
  const command = dlq
    .command("replay")
    .description(
      "move DLQ messages back to the source queue: each is re-validated, sent, and only then deleted from the DLQ",
    );
  addFilterOptions(command);
  command
    .addOption(positiveIntegerOption("--max <n>", "act on at most this many matching messages"))
    .option("--dry-run", "print what would move and change nothing")
    .addOption(positiveNumberOption("--rate <n>", "send at most this many messages per second"))
    .option(
      "--drop-invalid",
      "delete messages that fail validation (asks first; the audit file keeps their bodies)",
    )
    .option("-y, --yes", "do not ask before --drop-invalid")
    .option("--strict", "exit 1 when invalid messages were kept")
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
  });
  context.out(`${dryRun ? "dry run: " : ""}replaying from ${dlq} to ${source}`);

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
  for (const id of result.notReleased) {
    context.err(`warning: DLQ message ${id} stays hidden until its hold ends, then is visible again`);
  }
  if (dryRun && approximateTotal > result.examined) {
    context.out(
      `note: the DLQ holds about ${approximateTotal} messages and ${result.examined} could be read without ` +
        "moving any; in a FIFO queue the others wait behind the first message(s) of their message group, and a " +
        "real replay reaches them as it moves the ones ahead.",
    );
  } else if (!dryRun) {
    // Only a report: a failing count must not turn a finished replay into an error.
    const remaining = await approximateMessageCount(sqs, dlq).catch(() => undefined);
    if (remaining !== undefined) context.out(`the DLQ now holds about ${countOf(remaining, "message")}`);
  }
  audit?.write({ type: "finish", at: io.now().toISOString(), run_id: runId, counts: result.counts });
  audit?.close();
  if (audit) context.out(`audit: ${audit.path}`);

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
