import type { DemoVerdict } from "./demo/demo-run.ts";
import type { OutcomeEntry, OutcomeLog } from "./outcome-log.ts";
import type { LocalStack } from "./stack.ts";

/** What the printed text needs of a running stack (never its API key: the stack does not expose it). */
export type StackView = Pick<
  LocalStack,
  | "sqsEndpoint"
  | "queueUrl"
  | "dlqUrl"
  | "vitableUrl"
  | "usingRealVitable"
  | "settings"
  | "webhook"
  | "emulator"
>;

export const OUTCOME_HEADER = [pad("OUTCOME", 13), pad("REASON", 32), pad("EVENT_ID", 12), "GROUP"].join(" ");

export function formatOutcomeLine(entry: OutcomeEntry): string {
  const { report } = entry;
  const { result } = report;
  const reason = result.outcome === "applied" ? result.fields.join("+") : result.reason;
  const status =
    "httpStatus" in result && result.httpStatus !== undefined ? ` (HTTP ${result.httpStatus})` : "";
  // A refused message has no event id or group to show, so its reason's detail says what was wrong instead.
  const detail =
    result.outcome === "dead_lettered" && !report.eventId ? `  ${shorten(result.detail, 80)}` : "";
  return [
    pad(result.outcome, 13),
    pad(`${reason}${status}`, 32),
    pad(report.eventId ?? "-", 12),
    `${report.groupKey ?? "-"}${detail}`,
  ].join(" ");
}

export function formatStartup(stack: StackView): string {
  const { settings } = stack;
  const lines = [
    "Local group-sync stack is running",
    `  SQS (fauxqs)     ${stack.sqsEndpoint}`,
    `  source queue     ${stack.queueUrl}`,
    `  DLQ              ${stack.dlqUrl}  (after ${settings.maxReceiveCount} deliveries)`,
    stack.usingRealVitable
      ? `  Vitable API      ${stack.vitableUrl}  (REAL API)`
      : `  Vitable API      ${stack.vitableUrl}  (emulator, ${stack.emulator?.groups().length ?? 0} sample groups)`,
    "  ledger           in memory",
    stack.webhook
      ? `  webhook          ${stack.webhook.url}  (POST signed events; secret: ${stack.webhook.secretSource})`
      : "  webhook          not started",
    `  runner           batch ${settings.batchSize}, concurrency ${settings.maxConcurrency}, function timeout ${settings.functionTimeoutMs} ms, visibility timeout ${settings.visibilityTimeoutSeconds} s`,
  ];
  return lines.join("\n");
}

/** Said loudly: events sent from here now change real groups in a real Vitable organization. */
export function formatRealApiWarning(url: string): string {
  const bar = "!".repeat(78);
  return [
    bar,
    `!! USING THE REAL VITABLE API at ${url}`,
    "!! (VITABLE_CONNECT_BASE_URL and VITABLE_CONNECT_API_KEY are set in the environment)",
    "!! Every event you send changes real groups. The sample events are NOT sent: they",
    "!! target the emulator's sample groups and rely on its injected faults.",
    bar,
  ].join("\n");
}

export function formatSummary(verdict: DemoVerdict, outcomes: OutcomeLog): string {
  const rows = verdict.samples.map((v) => [
    String(v.sample.line),
    v.eventId ?? "-",
    v.sample.expect + (v.sample.retried ? " (after a retry)" : ""),
    v.got,
    v.ok ? "ok" : "MISMATCH",
  ]);
  const counts = [...outcomes.counts()].map(([label, count]) => `${label} ${count}`).join(", ");
  const dlq =
    verdict.dlqMessages === verdict.dlqExpected
      ? `${verdict.dlqMessages} message(s), as expected`
      : `${verdict.dlqMessages} message(s), expected ${verdict.dlqExpected}`;
  return [
    "Summary of the sample events",
    table(["line", "event_id", "expected", "got", "check"], rows),
    `Record reports: ${counts || "none"}`,
    `API attempts: ${outcomes.api.attempts} (${outcomes.api.retries} retries, ${outcomes.api.throttled} throttled)`,
    `Dead-letter queue: ${dlq}`,
    verdict.ok ? "Every sample ended as expected." : "SOME SAMPLES DID NOT END AS EXPECTED.",
  ].join("\n");
}

export function formatSendMore(stack: StackView, sampleFile: string): string {
  const target = `--endpoint ${stack.sqsEndpoint} --queue-url ${stack.queueUrl}`;
  return [
    "Send more events (one JSON event per file, or JSON Lines):",
    `  npx group-sync send ${sampleFile} ${target}`,
    "Look at the dead-letter queue and replay it:",
    `  npx group-sync dlq list --endpoint ${stack.sqsEndpoint} --dlq-url ${stack.dlqUrl}`,
    `  npx group-sync dlq replay ${target} --dlq-url ${stack.dlqUrl}`,
    ...(stack.webhook
      ? [
          stack.webhook.secretSource === "WEBHOOK_SECRET"
            ? "Or POST them to the webhook (prints a signed curl command with the secret in your WEBHOOK_SECRET):"
            : "Or POST them to the webhook (prints a signed curl command; first set WEBHOOK_SECRET to the local dummy LOCAL_WEBHOOK_SECRET from local/stack-webhook.ts):",
          `  npx group-sync sign ${sampleFile} --url ${stack.webhook.url}`,
        ]
      : []),
    "Press Ctrl-C to stop.",
  ].join("\n");
}

/**
 * How to compare an HR snapshot with this stack's Vitable. The emulator's key is its public dummy; a real key is
 * never printed, only the variable that must hold it.
 */
export function formatTryReconcile(stack: StackView, snapshotFile: string, emulatorKey: string): string {
  const vitable = stack.usingRealVitable
    ? `VITABLE_CONNECT_BASE_URL=${stack.vitableUrl} VITABLE_CONNECT_API_KEY=<your key>`
    : `VITABLE_CONNECT_BASE_URL=${stack.vitableUrl} VITABLE_CONNECT_API_KEY=${emulatorKey}`;
  return [
    "Compare an HR snapshot with Vitable (add --apply to send the repairs through the queue):",
    `  ${vitable} \\`,
    `    npx group-sync reconcile --snapshot ${snapshotFile} --as-of 2026-03-01T00:00:00Z \\`,
    `    --endpoint ${stack.sqsEndpoint} --queue-url ${stack.queueUrl}`,
  ].join("\n");
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, column) => pad(cell, widths[column] ?? 0)).join("  ")}`.trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}
