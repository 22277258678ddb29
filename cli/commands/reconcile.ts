import { createReadStream } from "node:fs";
import { stat, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { type Command, Option } from "commander";
import {
  type GroupRenamedEvent,
  messageDeduplicationIdFor,
  messageGroupIdFor,
  parseEventValue,
} from "../../functions/shared/contract/index.ts";
import {
  type AsOf,
  asOfFromDate,
  asOfFromText,
  compareSnapshot,
  InvalidAsOfError,
  listVitableGroups,
  needsAttention,
  type ReconcileReport,
  readSnapshot,
  reconcileEvents,
  reconcileReport,
  SNAPSHOT_FORMATS,
  type SnapshotFormat,
  SnapshotFormatError,
  snapshotFormatOf,
} from "../../functions/shared/reconcile/index.ts";
import type { ConnectionOptions } from "../connection.ts";
import type { CommandContext } from "../context.ts";
import { describeError, EXIT, type ExitCode, OperationError, UsageError } from "../errors.ts";
import { addConnectionOptions, addQueueOptions } from "../options.ts";
import { createProgressBar, type ProgressBar, wantsBar } from "../progress.ts";
import type { QueueOptions } from "../queues.ts";
import { reconcileText } from "../reconcile/reconcile-text.ts";
import { type OutgoingMessage, type SendOutcome, sendInBatches } from "../send-batches.ts";
import { countOf } from "../table.ts";
import { type VitableApiOptions, vitableClientFor } from "../vitable-api.ts";
import type { CommandRegistry } from "./registry.ts";

interface ReconcileOptions extends QueueOptions, ConnectionOptions, VitableApiOptions {
  snapshot: string;
  format?: SnapshotFormat;
  asOf?: string;
  json?: boolean;
  output?: string;
  apply?: boolean;
  yes?: boolean;
}

/** Messages per sendInBatches call, so the progress bar moves while sending. */
const SEND_SLICE = 100;

export function registerReconcileCommand(program: Command, registry: CommandRegistry): void {
  const command = program
    .command("reconcile")
    .description(
      "compare an HR snapshot of groups with every Vitable group, report what differs, and with --apply " +
        "send group.renamed events that repair it through the queue and the ledger",
    )
    .requiredOption("--snapshot <file>", "the HR snapshot: CSV, a JSON array or JSON Lines")
    .addOption(
      new Option("--format <format>", "snapshot format (default: from the file name)").choices(
        SNAPSHOT_FORMATS,
      ),
    )
    .option(
      "--as-of <time>",
      "the snapshot's instant, RFC 3339 with an offset (default: the file's modification time)",
    )
    .option("--json", "print one JSON document instead of the text report")
    .option("--output <file>", "also write the JSON report to this file")
    .option("--apply", "send one group.renamed event per name_differs / reference_differs row")
    .option("--yes", "with --apply: send without asking")
    .option(
      "--api-key-secret-arn <arn>",
      "read the Vitable API key from this Secrets Manager secret (default: VITABLE_CONNECT_API_KEY or " +
        "VITABLE_CONNECT_API_KEY_SECRET_ARN)",
    );
  addQueueOptions(command, ["source"]);
  addConnectionOptions(command);
  command.action(registry.action((options: ReconcileOptions) => reconcile(registry.context, options)));
}

async function reconcile(context: CommandContext, options: ReconcileOptions): Promise<ExitCode> {
  const { io } = context;
  if (options.yes && !options.apply) throw new UsageError("--yes goes with --apply");
  const path = isAbsolute(options.snapshot) ? options.snapshot : join(io.cwd, options.snapshot);
  const format = options.format ?? snapshotFormatOf(options.snapshot);
  if (format === undefined) {
    throw new UsageError("cannot tell the snapshot's format from its name: give --format csv, json or jsonl");
  }
  const asOf = await asOfFor(options, path);
  const client = vitableClientFor(io, options);
  // Found before the long listing: a missing queue is a usage error, not a failure after the work.
  const queueUrl = options.apply ? (await context.queues(options, ["source"])).source : undefined;
  const showBar = wantsBar(io.stderr) && !options.json;

  let listing: ProgressBar | undefined;
  let pages = 0;
  const groups = await listVitableGroups(client.groups, {
    onPage: (read, total) => {
      pages = read;
      if (!showBar) return;
      listing ??= createProgressBar(io.stderr, "listing Vitable", total, ["groups"]);
      listing.update(read, { groups: 0 });
    },
  }).finally(() => listing?.stop());

  const comparison = await compareSnapshot(readSnapshot(openSnapshot(path), format), groups).catch(
    (error: unknown) => {
      if (error instanceof SnapshotFormatError) throw new UsageError(`${options.snapshot}: ${error.message}`);
      throw error;
    },
  );
  const events = reconcileEvents(comparison.entries, asOf.instant);
  const sending =
    queueUrl === undefined ? undefined : await sendRepairs(context, options, queueUrl, events, showBar);
  const report = reconcileReport(comparison, asOf, sending === undefined ? null : sending.sent);

  if (options.output !== undefined) await writeReport(io.cwd, options.output, report);
  if (options.json) {
    context.out(JSON.stringify(report, null, 2));
  } else {
    for (const line of reconcileText(report, { groups: groups.length, pages })) context.out(line);
    context.out("");
    context.out(summaryLine(events.length, queueUrl, sending));
  }
  if (sending && sending.failed.length > 0) {
    for (const failure of sending.failed) context.err(`group-sync: send failed: ${failure}`);
    return EXIT.failed;
  }
  return needsAttention(report.counts) ? EXIT.drift : EXIT.ok;
}

async function asOfFor(options: ReconcileOptions, path: string): Promise<AsOf> {
  if (options.asOf !== undefined) {
    try {
      return asOfFromText(options.asOf);
    } catch (error) {
      if (error instanceof InvalidAsOfError) throw new UsageError(error.message);
      throw error;
    }
  }
  try {
    return asOfFromDate((await stat(path)).mtime, "file_modified_time");
  } catch (error) {
    throw unreadable(options.snapshot, error);
  }
}

function openSnapshot(path: string) {
  const stream = createReadStream(path);
  stream.on("error", () => {
    // Reported through the reader that consumes the stream.
  });
  return stream;
}

function unreadable(name: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  return new UsageError(`cannot read ${name}: ${code === "ENOENT" ? "no such file" : String(code ?? error)}`);
}

interface Sending {
  sent: number;
  failed: string[];
  declined: boolean;
}

async function sendRepairs(
  context: CommandContext,
  options: ReconcileOptions,
  queueUrl: string,
  events: readonly GroupRenamedEvent[],
  showBar: boolean,
): Promise<Sending> {
  if (events.length === 0) return { sent: 0, failed: [], declined: false };
  if (!options.yes) {
    const question = `Send ${countOf(events.length, "group.renamed event")} to ${queueUrl}?`;
    if (!(await context.io.confirm(question))) return { sent: 0, failed: [], declined: true };
  }
  const messages = events.map((event) => outgoing(event, queueUrl.endsWith(".fifo")));
  const bar = showBar
    ? createProgressBar(context.io.stderr, "sending", messages.length, ["failed"])
    : undefined;
  const outcomes: SendOutcome[] = [];
  try {
    for (let start = 0; start < messages.length; start += SEND_SLICE) {
      outcomes.push(
        ...(await sendInBatches(context.sqs(options), queueUrl, messages.slice(start, start + SEND_SLICE))),
      );
      bar?.update(outcomes.length, { failed: outcomes.filter((outcome) => !outcome.ok).length });
    }
  } finally {
    bar?.stop();
  }
  const failed = outcomes.flatMap((outcome, index) =>
    outcome.ok ? [] : [`event ${events[index]?.event_id} for ${events[index]?.group.id}: ${outcome.error}`],
  );
  return { sent: outcomes.length - failed.length, failed, declined: false };
}

/** As `group-sync send` puts an event on the queue: FIFO group and deduplication id from the event. */
function outgoing(event: GroupRenamedEvent, fifo: boolean): OutgoingMessage {
  // Rows passed the contract's field rules, so this holds; checked anyway because the queue must only get valid events.
  const checked = parseEventValue(event);
  if (!checked.ok)
    throw new OperationError(`built an invalid event for ${event.group.id}: ${checked.detail}`);
  return {
    body: JSON.stringify(event),
    ...(fifo
      ? {
          messageGroupId: messageGroupIdFor(event),
          deduplicationId: messageDeduplicationIdFor(event.event_id),
        }
      : {}),
  };
}

async function writeReport(cwd: string, file: string, report: ReconcileReport): Promise<void> {
  try {
    await writeFile(isAbsolute(file) ? file : join(cwd, file), `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    throw new OperationError(`could not write --output ${file}: ${describeError(error)}`, { cause: error });
  }
}

function summaryLine(repairs: number, queueUrl: string | undefined, sending: Sending | undefined): string {
  if (repairs === 0) return "nothing to repair";
  if (queueUrl === undefined || sending === undefined) {
    return `${countOf(repairs, "difference")} can be repaired: run again with --apply to send the events`;
  }
  if (sending.declined) return "nothing sent: not confirmed (add --yes to send without asking)";
  const failed = sending.failed.length > 0 ? `, ${sending.failed.length} failed` : "";
  return `sent ${countOf(sending.sent, "group.renamed event")} to ${queueUrl}${failed}; the ledger applies each unless a newer rename was recorded`;
}
