import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { type EmbeddedSqs, type QueuePair, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";
import { type CaptureOptions, groupSync } from "../support/cli-io.ts";
import { drainQueue, eventIdsOf, freshQueues, putDeadLetter } from "../support/dlq-fixtures.ts";

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

const INVALID_BODIES = {
  "evt-too-long": JSON.stringify(makeEvent({ event_id: "evt-too-long", changes: { name: "x".repeat(256) } })),
  "(unreadable)": "this is not JSON",
};

/** One valid event and two messages the contract refuses, each in its own FIFO group. */
async function mixedDlq() {
  const queues = await freshQueues(sqs.client);
  await putDeadLetter(sqs.client, queues.dlqUrl, {
    body: makeEvent({ event_id: "evt-valid", group: { id: "grp_A" } }),
    reason: "group_not_found",
  });
  await putDeadLetter(sqs.client, queues.dlqUrl, {
    body: INVALID_BODIES["evt-too-long"],
    reason: "invalid_message",
    messageGroupId: "id:grp_B",
  });
  await putDeadLetter(sqs.client, queues.dlqUrl, {
    body: INVALID_BODIES["(unreadable)"],
    reason: "invalid_json",
    messageGroupId: "id:grp_C",
  });
  return queues;
}

async function replay(queues: QueuePair, extra: string[], options: CaptureOptions = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "group-sync-cli-"));
  const run = await groupSync(
    [
      "dlq",
      "replay",
      "--endpoint",
      sqs.endpoint,
      "--queue-url",
      queues.queueUrl,
      "--dlq-url",
      queues.dlqUrl,
      "--audit",
      "audit.jsonl",
      ...extra,
    ],
    { cwd, ...options },
  );
  const auditPath = join(cwd, "audit.jsonl");
  const audit = readdirSync(cwd).includes("audit.jsonl")
    ? readFileSync(auditPath, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>)
    : [];
  return { ...run, audit };
}

describe("group-sync dlq replay: invalid messages", () => {
  it.each([
    { name: "by default", extra: [], exitCode: EXIT.ok },
    { name: "with --strict", extra: ["--strict"], exitCode: EXIT.failed },
  ])(
    "re-validates each message and keeps the invalid ones in the DLQ, $name",
    async ({ extra, exitCode }) => {
      // Prepare
      const queues = await mixedDlq();

      // Act
      const run = await replay(queues, extra);

      // Assess
      expect(run.exitCode).toBe(exitCode);
      expect(run.stdout.match(/^kept_invalid/gm)).toHaveLength(2);
      expect(run.stdout).toMatch(/invalid="invalid_message: changes.name: must be at most 255 characters/);
      expect(run.stdout).toMatch(/invalid="invalid_json: /);
      expect(run.stdout).toMatch(/summary: 1 replayed, 2 kept \(invalid\), 0 skipped \(filters\), 0 failed/);
      expect(run.stdout).toMatch(/2 invalid messages left in the DLQ: replaying cannot fix/);
      expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(["evt-valid"]);
      expect(eventIdsOf(await drainQueue(sqs.client, queues.dlqUrl))).toEqual([
        "(unreadable)",
        "evt-too-long",
      ]);
    },
  );

  it("with --drop-invalid --yes deletes them, and the audit file keeps their bodies", async () => {
    // Prepare
    const queues = await mixedDlq();

    // Act
    const run = await replay(queues, ["--drop-invalid", "--yes"]);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/summary: 1 replayed, 0 kept \(invalid\), 2 dropped \(invalid\)/);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toEqual([]);
    const dropped = run.audit.filter((record) => record.action === "dropped_invalid");
    expect(dropped.map((record) => record.body).sort()).toEqual(Object.values(INVALID_BODIES).sort());
    expect(run.io.questions).toEqual([]);
  });

  it("asks on a terminal before --drop-invalid, and changes nothing when the answer is no", async () => {
    // Prepare
    const queues = await mixedDlq();

    // Act
    const run = await replay(queues, ["--drop-invalid"], { stdinIsTTY: true, answer: false });

    // Assess
    expect(run.io.questions).toEqual([expect.stringMatching(/deleted from the DLQ for good/)]);
    expect(run.exitCode).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/aborted: nothing changed/);
    expect(await drainQueue(sqs.client, queues.queueUrl)).toEqual([]);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toHaveLength(3);
  });

  it("drops them when the operator says yes on the terminal", async () => {
    // Prepare
    const queues = await mixedDlq();

    // Act
    const run = await replay(queues, ["--drop-invalid"], { stdinIsTTY: true, answer: true });

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.io.questions).toHaveLength(1);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toEqual([]);
  });

  it("refuses --drop-invalid without a terminal to ask on or --yes (exit 2), changing nothing", async () => {
    // Prepare
    const queues = await mixedDlq();

    // Act
    const run = await replay(queues, ["--drop-invalid"], { stdinIsTTY: false });

    // Assess
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toMatch(/add --yes/);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toHaveLength(3);
  });

  it("on a dry run with --drop-invalid only says what it would drop", async () => {
    // Prepare
    const queues = await mixedDlq();

    // Act
    const run = await replay(queues, ["--drop-invalid", "--dry-run"]);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout.match(/^would_drop_invalid/gm)).toHaveLength(2);
    expect(run.io.questions).toEqual([]);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toHaveLength(3);
  });
});
