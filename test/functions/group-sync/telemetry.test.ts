import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { describe, expect, it, vi } from "vitest";
import type { RecordReport } from "../../../functions/group-sync/outcome.ts";
import { powertoolsTelemetry } from "../../../functions/group-sync/telemetry.ts";

/** The JSON lines a real Powertools logger writes, caught where it writes them. */
function loggedLines(act: (logger: Logger) => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act(new Logger({ serviceName: "telemetry-test", logLevel: "INFO" }));
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((line) => line.split("\n"))
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

const report = (overrides: Partial<RecordReport>): RecordReport => ({
  messageId: "m-1",
  eventId: "e-1",
  groupKey: "id:grp_1",
  groupId: "grp_1",
  result: { outcome: "applied", fields: ["name"] },
  attempts: 1,
  durationMs: 3,
  ...overrides,
});

describe("powertoolsTelemetry record lines", () => {
  it("record the envelope, and for CloudEvents its type, id and source", () => {
    // Act
    const [line] = loggedLines((logger) =>
      powertoolsTelemetry(logger, new Metrics({ namespace: "Test" })).recordProcessed(
        report({
          envelope: "cloudevents",
          cloudEvent: { type: "com.example.hr.group.renamed", id: "ce-1", source: "/hr/workday" },
        }),
      ),
    );

    // Assess
    expect(line).toMatchObject({
      message: "record",
      envelope: "cloudevents",
      cloudevent_type: "com.example.hr.group.renamed",
      cloudevent_id: "ce-1",
      cloudevent_source: "/hr/workday",
      outcome: "applied",
    });
  });

  it("carry no CloudEvents fields for other envelopes", () => {
    // Act
    const [line] = loggedLines((logger) =>
      powertoolsTelemetry(logger, new Metrics({ namespace: "Test" })).recordProcessed(
        report({ envelope: "sns" }),
      ),
    );

    // Assess
    expect(line).toMatchObject({ envelope: "sns" });
    expect(Object.keys(line ?? {}).filter((key) => key.startsWith("cloudevent"))).toEqual([]);
  });
});
