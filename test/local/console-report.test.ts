import { describe, expect, it } from "vitest";
import type { RecordOutcome } from "../../functions/group-sync/outcome.ts";
import {
  formatOutcomeLine,
  formatRealApiWarning,
  formatSendMore,
  formatStartup,
  formatSummary,
  formatTryReconcile,
  type StackView,
} from "../../local/console-report.ts";
import type { DemoSample } from "../../local/demo/demo-files.ts";
import type { DemoVerdict } from "../../local/demo/demo-run.ts";
import { OutcomeLog } from "../../local/outcome-log.ts";

const SQS = "http://127.0.0.1:41000";
const QUEUE = `${SQS}/000000000000/group-sync.fifo`;
const DLQ = `${SQS}/000000000000/group-sync-dlq.fifo`;

function aStack(overrides: Partial<StackView> = {}): StackView {
  return {
    sqsEndpoint: SQS,
    queueUrl: QUEUE,
    dlqUrl: DLQ,
    vitableUrl: "http://127.0.0.1:42000",
    usingRealVitable: false,
    settings: {
      batchSize: 10,
      maxConcurrency: 5,
      functionTimeoutMs: 3_000,
      visibilityTimeoutSeconds: 3,
      maxReceiveCount: 5,
    },
    webhook: undefined,
    emulator: undefined,
    ...overrides,
  };
}

function anEntry(result: RecordOutcome, { eventId }: { eventId: string | undefined } = { eventId: "evt-7" }) {
  const log = new OutcomeLog();
  log.record({
    messageId: "m-1",
    eventId,
    groupKey: eventId ? "id:grp_abc" : undefined,
    groupId: undefined,
    result,
    attempts: 1,
    durationMs: 2,
  });
  return log.entries[0] as OutcomeLog["entries"][number];
}

function aSample(overrides: Partial<DemoSample> = {}): DemoSample {
  return { line: 1, body: "{}", expect: "applied", retried: false, shows: "a rename", ...overrides };
}

describe("formatOutcomeLine", () => {
  it.each([
    {
      result: { outcome: "applied", fields: ["name", "external_reference_id"] },
      shows: ["applied", "name+external_reference_id", "evt-7", "id:grp_abc"],
    },
    { result: { outcome: "skipped", reason: "stale" }, shows: ["skipped", "stale", "evt-7"] },
    {
      result: { outcome: "dead_lettered", reason: "group_not_found", detail: "HTTP 404", httpStatus: 404 },
      shows: ["dead_lettered", "group_not_found (HTTP 404)", "evt-7"],
    },
    {
      result: { outcome: "retry_later", reason: "api_unavailable", detail: "HTTP 503", httpStatus: 503 },
      shows: ["retry_later", "api_unavailable (HTTP 503)"],
    },
  ] satisfies Array<{ result: RecordOutcome; shows: string[] }>)(
    "shows $result.outcome",
    ({ result, shows }) => {
      // Act
      const line = formatOutcomeLine(anEntry(result));

      // Assess
      for (const part of shows) expect(line).toContain(part);
    },
  );

  it("shows why a refused message was refused when it has no event id", () => {
    // Prepare
    const detail = `changes.name: must not be blank ${"x".repeat(200)}`;

    // Act
    const line = formatOutcomeLine(
      anEntry({ outcome: "dead_lettered", reason: "invalid_message", detail }, { eventId: undefined }),
    );

    // Assess
    expect(line).toContain("invalid_message");
    expect(line).toContain("changes.name: must not be blank");
    expect(line.length).toBeLessThan(detail.length);
  });
});

describe("formatSummary", () => {
  it.each([
    {
      ok: true,
      dlqMessages: 1,
      verdictLine: "Every sample ended as expected.",
      dlqLine: "1 message(s), as expected",
    },
    {
      ok: false,
      dlqMessages: 2,
      verdictLine: "SOME SAMPLES DID NOT END AS EXPECTED.",
      dlqLine: "2 message(s), expected 1",
    },
  ])("says whether every sample ended as expected (ok: $ok)", ({ ok, dlqMessages, verdictLine, dlqLine }) => {
    // Prepare
    const verdict: DemoVerdict = {
      samples: [
        { sample: aSample(), eventId: "demo-001", got: "applied", ok: true },
        {
          sample: aSample({ line: 2, expect: "dead_lettered:invalid_message" }),
          eventId: undefined,
          got: ok ? "dead_lettered:invalid_message" : "applied",
          ok,
        },
      ],
      dlqMessages,
      dlqExpected: 1,
      ok,
    };

    // Act
    const text = formatSummary(verdict, new OutcomeLog());

    // Assess
    expect(text).toContain(verdictLine);
    expect(text).toContain(dlqLine);
    expect(text.includes("MISMATCH")).toBe(!ok);
  });
});

describe("startup and follow-up text", () => {
  it("prints the commands with the stack's own endpoint and queue URLs", () => {
    // Act
    const text = formatSendMore(aStack(), "examples/local-demo/try-me.json");

    // Assess
    expect(text).toContain(
      `npx group-sync send examples/local-demo/try-me.json --endpoint ${SQS} --queue-url ${QUEUE}`,
    );
    expect(text).toContain(`npx group-sync dlq list --endpoint ${SQS} --dlq-url ${DLQ}`);
    expect(text).toContain(
      `npx group-sync dlq replay --endpoint ${SQS} --queue-url ${QUEUE} --dlq-url ${DLQ}`,
    );
    expect(text).not.toContain("sign");
  });

  it("shows how to reconcile the sample snapshot against the stack, with the emulator's dummy key only", () => {
    // Act
    const local = formatTryReconcile(aStack(), "examples/reconcile/hr-groups.csv", "vit_apk_local_emulator");
    const real = formatTryReconcile(
      aStack({ usingRealVitable: true, vitableUrl: "https://api.vitablehealth.com" }),
      "hr-groups.csv",
      "vit_apk_local_emulator",
    );

    // Assess
    expect(local.split("\n").slice(1).join(" ").replace(/\\ +/g, "")).toBe(
      "  VITABLE_CONNECT_BASE_URL=http://127.0.0.1:42000 VITABLE_CONNECT_API_KEY=vit_apk_local_emulator " +
        "npx group-sync reconcile --snapshot examples/reconcile/hr-groups.csv --as-of 2026-03-01T00:00:00Z " +
        `--endpoint ${SQS} --queue-url ${QUEUE}`,
    );
    expect(real).toContain("VITABLE_CONNECT_API_KEY=<your key>");
    expect(real).not.toContain("vit_apk_local_emulator");
  });

  it("adds the webhook, naming its secret's source but never a secret", () => {
    // Prepare
    const stack = aStack({
      webhook: { url: "http://127.0.0.1:43000/events", secretSource: "LOCAL_WEBHOOK_SECRET" },
    });

    // Act
    const text = `${formatStartup(stack)}\n${formatSendMore(stack, "f.json")}`;

    // Assess
    expect(text).toContain("npx group-sync sign f.json --url http://127.0.0.1:43000/events");
    expect(text).toContain("LOCAL_WEBHOOK_SECRET");
    expect(text).not.toContain("guards-nothing");
  });

  it("says loudly when the real API is used", () => {
    // Act
    const startup = formatStartup(
      aStack({ usingRealVitable: true, vitableUrl: "https://api.uat.vitablehealth.com" }),
    );
    const warning = formatRealApiWarning("https://api.uat.vitablehealth.com");

    // Assess
    expect(startup).toContain("(REAL API)");
    expect(warning).toContain("USING THE REAL VITABLE API at https://api.uat.vitablehealth.com");
    expect(warning).toContain("NOT sent");
  });
});
