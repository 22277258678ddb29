import { describe, expect, it } from "vitest";
import type { RecordOutcome, RecordReport } from "../../functions/group-sync/outcome.ts";
import { OutcomeLog, outcomeLabel } from "../../local/outcome-log.ts";

function report(result: RecordOutcome, messageId = "m-1"): RecordReport {
  return {
    messageId,
    eventId: "evt-1",
    groupKey: "id:grp_abc",
    groupId: "grp_abc",
    result,
    attempts: 1,
    durationMs: 3,
  };
}

describe("outcomeLabel", () => {
  it.each([
    { result: { outcome: "applied", fields: ["name"] }, label: "applied" },
    { result: { outcome: "skipped", reason: "duplicate" }, label: "duplicate" },
    { result: { outcome: "skipped", reason: "superseded" }, label: "superseded" },
    {
      result: { outcome: "dead_lettered", reason: "group_not_found", detail: "HTTP 404" },
      label: "dead_lettered:group_not_found",
    },
    {
      result: { outcome: "retry_later", reason: "rate_limited", detail: "HTTP 429" },
      label: "retry_later:rate_limited",
    },
  ] satisfies Array<{ result: RecordOutcome; label: string }>)("names $label", ({ result, label }) => {
    // Act
    const got = outcomeLabel(result);

    // Assess
    expect(got).toBe(label);
  });
});

describe("OutcomeLog", () => {
  it("keeps each message's history, counts labels and tells listeners as reports arrive", () => {
    // Prepare
    const log = new OutcomeLog();
    const heard: string[] = [];
    const stop = log.onRecord((entry) => heard.push(`${entry.seq}:${entry.label}`));
    const telemetry = log.telemetry();

    // Act
    telemetry.recordProcessed(report({ outcome: "retry_later", reason: "api_unavailable", detail: "503" }));
    telemetry.recordProcessed(report({ outcome: "applied", fields: ["name"] }));
    stop();
    telemetry.recordProcessed(report({ outcome: "skipped", reason: "duplicate" }, "m-2"));

    // Assess
    expect(heard).toEqual(["1:retry_later:api_unavailable", "2:applied"]);
    expect(log.historyOf("m-1").map((r) => r.result.outcome)).toEqual(["retry_later", "applied"]);
    expect(log.lastOf("m-2")?.result).toEqual({ outcome: "skipped", reason: "duplicate" });
    expect(log.lastOf("m-unknown")).toBeUndefined();
    expect(Object.fromEntries(log.counts())).toEqual({
      "retry_later:api_unavailable": 1,
      applied: 1,
      duplicate: 1,
    });
  });

  it("counts API attempts, retries and throttled answers, and passes warnings on", () => {
    // Prepare
    const log = new OutcomeLog();
    const warnings: string[] = [];
    log.onWarning((message) => warnings.push(message));
    const telemetry = log.telemetry();

    // Act
    telemetry.apiAttempt({ attempt: 1, durationMs: 4, status: 429 });
    telemetry.apiAttempt({ attempt: 2, durationMs: 4, status: 503 });
    telemetry.apiAttempt({ attempt: 3, durationMs: 4, status: 200 });
    telemetry.warn("repair failed", { group_id: "grp_abc" });

    // Assess
    expect(log.api).toEqual({ attempts: 3, retries: 2, throttled: 1 });
    expect(warnings).toEqual(['repair failed {"group_id":"grp_abc"}']);
  });
});
