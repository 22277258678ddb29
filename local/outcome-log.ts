import type { SyncTelemetry } from "../functions/group-sync/create-sync-handler.ts";
import type { RecordOutcome, RecordReport } from "../functions/group-sync/outcome.ts";
import type { ApiTelemetry } from "../functions/group-sync/telemetry.ts";

/**
 * A short name for what a record ended with: "applied", the skip reason ("duplicate", "stale", "superseded"),
 * or "dead_lettered:<reason>" / "retry_later:<reason>".
 */
export type OutcomeLabel = string;

export interface OutcomeEntry {
  /** 1-based order in which the handler reported records. */
  seq: number;
  at: number;
  label: OutcomeLabel;
  report: RecordReport;
}

export interface ApiCounters {
  /** HTTP attempts to the Vitable API. */
  attempts: number;
  /** Attempts after the first of a call. */
  retries: number;
  /** Answers with status 429. */
  throttled: number;
}

type Listener = (entry: OutcomeEntry) => void;

export function outcomeLabel(result: RecordOutcome): OutcomeLabel {
  switch (result.outcome) {
    case "applied":
      return "applied";
    case "skipped":
      return result.reason;
    default:
      return `${result.outcome}:${result.reason}`;
  }
}

/** Live record of every record report the sync handler produced, for the console printer, checks and tests. */
export class OutcomeLog {
  readonly entries: OutcomeEntry[] = [];
  readonly warnings: string[] = [];
  readonly api: ApiCounters = { attempts: 0, retries: 0, throttled: 0 };
  readonly #byMessageId = new Map<string, RecordReport[]>();
  readonly #listeners = new Set<Listener>();
  readonly #warningListeners = new Set<(message: string) => void>();

  record(report: RecordReport): void {
    const entry: OutcomeEntry = {
      seq: this.entries.length + 1,
      at: Date.now(),
      label: outcomeLabel(report.result),
      report,
    };
    this.entries.push(entry);
    const history = this.#byMessageId.get(report.messageId) ?? [];
    history.push(report);
    this.#byMessageId.set(report.messageId, history);
    for (const listener of this.#listeners) listener(entry);
  }

  warn(message: string): void {
    this.warnings.push(message);
    for (const listener of this.#warningListeners) listener(message);
  }

  /** Calls `listener` for every later report; returns a function that stops it. */
  onRecord(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onWarning(listener: (message: string) => void): () => void {
    this.#warningListeners.add(listener);
    return () => this.#warningListeners.delete(listener);
  }

  /** Every report for one SQS message (one per delivery that reached the handler), oldest first. */
  historyOf(messageId: string): readonly RecordReport[] {
    return this.#byMessageId.get(messageId) ?? [];
  }

  /** The latest report for one SQS message: what it ended with so far. */
  lastOf(messageId: string): RecordReport | undefined {
    return this.historyOf(messageId).at(-1);
  }

  /** How many reports carry each label. */
  counts(): Map<OutcomeLabel, number> {
    const counts = new Map<OutcomeLabel, number>();
    for (const { label } of this.entries) counts.set(label, (counts.get(label) ?? 0) + 1);
    return counts;
  }

  /** Telemetry for createSyncRuntime that feeds this log instead of Powertools logs and metrics. */
  telemetry(): SyncTelemetry & ApiTelemetry {
    return {
      recordProcessed: (report) => this.record(report),
      warn: (message, fields) => this.warn(`${message} ${JSON.stringify(fields)}`),
      apiAttempt: (info) => {
        this.api.attempts += 1;
        if (info.attempt > 1) this.api.retries += 1;
        if (info.status === 429) this.api.throttled += 1;
      },
      flush: () => {},
    };
  }
}
