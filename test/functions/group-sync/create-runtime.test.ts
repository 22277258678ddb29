import { SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { loadSyncConfig } from "../../../functions/group-sync/config.ts";
import { createSyncRuntime } from "../../../functions/group-sync/create-runtime.ts";
import type { RecordReport } from "../../../functions/group-sync/outcome.ts";
import { MemoryLedgerStore } from "../../../functions/shared/ledger/memory-ledger-store.ts";
import {
  DEFAULT_API_KEY,
  type RunningVitableEmulator,
  startVitableEmulator,
} from "../../../local/vitable-emulator/index.ts";
import { makeContext, makeEvent, makeRecord } from "../../support/events.ts";

const GROUP_ID = "grp_zYxWvUtSrQpOnMlKjIhGfE";

let emulator: RunningVitableEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function recordingTelemetry() {
  const seen = {
    reports: [] as RecordReport[],
    attempts: [] as Array<{ attempt: number; status?: number | undefined }>,
    flushes: 0,
  };
  const telemetry = {
    recordProcessed: (report: RecordReport) => seen.reports.push(report),
    apiAttempt: (info: { attempt: number; status?: number | undefined }) => seen.attempts.push(info),
    warn: () => {},
    flush: () => {
      seen.flushes += 1;
    },
  };
  return { seen, telemetry };
}

describe("createSyncRuntime telemetry override", () => {
  it.each([
    { title: "a first rename is applied", sends: 1, outcomes: ["applied"] },
    { title: "a resent event is a duplicate", sends: 2, outcomes: ["applied", "skipped"] },
  ])("reports every record and API attempt to the given telemetry: $title", async ({ sends, outcomes }) => {
    // Prepare
    emulator = await startVitableEmulator({
      groups: [{ id: GROUP_ID, name: "Tier 1", external_reference_id: "seg_1" }],
      faults: { script: [{ method: "PATCH", action: { type: "status", status: 503 } }] },
    });
    const { seen, telemetry } = recordingTelemetry();
    const config = loadSyncConfig({
      VITABLE_CONNECT_BASE_URL: emulator.url,
      VITABLE_CONNECT_API_KEY: DEFAULT_API_KEY,
      DLQ_URL: "http://127.0.0.1:9/000000000000/unused-dlq.fifo",
      API_RETRY_BASE_DELAY_MS: "1",
      API_RETRY_MAX_DELAY_MS: "5",
      LOG_LEVEL: "SILENT",
    });
    const sqs = new SQSClient({ endpoint: "http://127.0.0.1:9", region: "us-east-1" });
    const runtime = createSyncRuntime(config, { ledger: new MemoryLedgerStore(), sqs, telemetry });
    const event = makeEvent({
      occurred_at: new Date().toISOString(),
      group: { id: GROUP_ID },
      changes: { name: "Tier 1 (renamed)" },
    });

    // Act
    for (let i = 0; i < sends; i++) {
      await runtime.handler({ Records: [makeRecord(event)] }, makeContext(10_000));
    }
    sqs.destroy();

    // Assess
    expect(seen.reports.map((report) => report.result.outcome)).toEqual(outcomes);
    expect(seen.reports.every((report) => report.eventId === event.event_id)).toBe(true);
    expect(seen.attempts.map(({ attempt, status }) => ({ attempt, status }))).toEqual([
      { attempt: 1, status: 503 },
      { attempt: 2, status: 200 },
    ]);
    expect(seen.flushes).toBe(sends);
    expect(emulator.group(GROUP_ID)?.name).toBe("Tier 1 (renamed)");
  });
});
