import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { type EmbeddedSqs, type QueuePair, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";
import { type CaptureOptions, groupSync } from "../support/cli-io.ts";
import { drainQueue, eventIdsOf, freshQueues, putDeadLetter } from "../support/dlq-fixtures.ts";

const NOW = new Date("2026-01-16T12:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "group-sync-cli-"));
}

const replayArgs = (queues: QueuePair, ...extra: string[]) => [
  "dlq",
  "replay",
  "--endpoint",
  sqs.endpoint,
  "--queue-url",
  queues.queueUrl,
  "--dlq-url",
  queues.dlqUrl,
  ...extra,
];

/** Four dead letters in four FIFO groups, with different reasons and ages. */
async function fourDeadLetters() {
  const queues = await freshQueues(sqs.client);
  const put = (
    eventId: string,
    group: { id?: string; external_reference_id?: string },
    reason: string,
    age: number,
  ) =>
    putDeadLetter(sqs.client, queues.dlqUrl, {
      body: makeEvent({ event_id: eventId, group }),
      reason,
      failedAt: hoursAgo(age),
    });
  await put("evt-404-old", { id: "grp_A" }, "group_not_found", 30);
  await put("evt-404-new", { id: "grp_B" }, "group_not_found", 1);
  await put("evt-conflict", { external_reference_id: "ref-c" }, "conflict", 5);
  await put("evt-exhausted", { id: "grp_D" }, "retries_exhausted", 0.5);
  return queues;
}

async function replay(queues: QueuePair, extra: string[], options: CaptureOptions = {}) {
  return groupSync(replayArgs(queues, ...extra), { now: () => NOW, cwd: tempDir(), ...options });
}

describe("group-sync dlq replay", () => {
  it("moves every message back in its FIFO group, in order, with a fresh dedup id and replay attributes", async () => {
    // Prepare: two events of one group, one of another
    const queues = await freshQueues(sqs.client);
    const ids: string[] = [];
    for (const [eventId, group] of [
      ["evt-a1", "grp_A"],
      ["evt-a2", "grp_A"],
      ["evt-b1", "grp_B"],
    ] as const) {
      ids.push(
        await putDeadLetter(sqs.client, queues.dlqUrl, {
          body: makeEvent({ event_id: eventId, group: { id: group } }),
          reason: "group_not_found",
        }),
      );
    }

    // Act
    const run = await replay(queues, []);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/summary: 3 replayed, 0 kept \(invalid\), 0 skipped \(filters\), 0 failed/);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toEqual([]);
    const moved = await drainQueue(sqs.client, queues.queueUrl);
    const byEvent = new Map(moved.map((message) => [eventIdsOf([message])[0], message]));
    expect([...byEvent.keys()].sort()).toEqual(["evt-a1", "evt-a2", "evt-b1"]);
    const groupA = moved.filter((message) => message.Attributes?.MessageGroupId === "id:grp_A");
    expect(eventIdsOf(groupA.slice(0, 1))).toEqual(["evt-a1"]);
    expect(byEvent.get("evt-b1")?.Attributes?.MessageGroupId).toBe("id:grp_B");
    for (const [index, eventId] of ["evt-a1", "evt-a2", "evt-b1"].entries()) {
      const message = byEvent.get(eventId);
      expect(message?.Attributes?.MessageDeduplicationId).toMatch(/^replay-[0-9a-f]{64}$/);
      expect(message?.MessageAttributes?.replayed_from?.StringValue).toBe(ids[index]);
      expect(message?.MessageAttributes?.replayed_at?.StringValue).toBe(NOW.toISOString());
      expect(message?.MessageAttributes?.failure_reason?.StringValue).toBe("group_not_found");
    }
  });

  it("keeps an event still further ahead than --max-future-seconds, even with --drop-invalid, and replays the rest", async () => {
    // Prepare: one event an hour ahead of the operator's clock, one 4 minutes ahead
    const queues = await freshQueues(sqs.client);
    const ahead = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
    for (const [eventId, occurredAt, group] of [
      ["evt-far", ahead(60), "grp_F"],
      ["evt-near", ahead(4), "grp_N"],
    ] as const) {
      await putDeadLetter(sqs.client, queues.dlqUrl, {
        body: makeEvent({ event_id: eventId, occurred_at: occurredAt, group: { id: group } }),
        reason: "event_in_future",
      });
    }

    // Act
    const run = await replay(queues, ["--drop-invalid", "--yes", "--max-future-seconds", "300"]);

    // Assess
    expect(run.stdout).toMatch(/summary: 1 replayed, 1 kept \(invalid\)/);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(["evt-near"]);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.dlqUrl))).toEqual(["evt-far"]);
  });

  it("is not swallowed by FIFO deduplication when the original event was sent minutes ago", async () => {
    // Prepare: the producer sent the event (dedup id = event id), it failed and reached the DLQ
    const queues = await freshQueues(sqs.client);
    const event = makeEvent({ event_id: "evt-recent", group: { id: "grp_A" } });
    await sqs.client.send(
      new SendMessageCommand({
        QueueUrl: queues.queueUrl,
        MessageBody: JSON.stringify(event),
        MessageGroupId: "id:grp_A",
        MessageDeduplicationId: event.event_id,
      }),
    );
    await drainQueue(sqs.client, queues.queueUrl);
    await putDeadLetter(sqs.client, queues.dlqUrl, { body: event, reason: "group_not_found" });

    // Act
    await replay(queues, []);

    // Assess
    expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(["evt-recent"]);
  });

  it.each([
    { name: "--reason", extra: ["--reason", "group_not_found"], moved: ["evt-404-new", "evt-404-old"] },
    {
      name: "--reason list",
      extra: ["--reason", "conflict,retries_exhausted"],
      moved: ["evt-conflict", "evt-exhausted"],
    },
    { name: "--group by id", extra: ["--group", "grp_B"], moved: ["evt-404-new"] },
    { name: "--group by external id", extra: ["--group", "ref-c"], moved: ["evt-conflict"] },
    {
      name: "--group repeated",
      extra: ["--group", "grp_A", "--group", "id:grp_D"],
      moved: ["evt-404-old", "evt-exhausted"],
    },
    { name: "--event-id", extra: ["--event-id", "evt-conflict"], moved: ["evt-conflict"] },
    { name: "--older-than", extra: ["--older-than", "2h"], moved: ["evt-404-old", "evt-conflict"] },
    { name: "--newer-than", extra: ["--newer-than", "2h"], moved: ["evt-404-new", "evt-exhausted"] },
    {
      name: "a window and a reason",
      extra: ["--older-than", "30m", "--newer-than", "1d", "--reason", "group_not_found"],
      moved: ["evt-404-new"],
    },
  ])("moves only what $name selects, and leaves the rest in the DLQ", async ({ extra, moved }) => {
    // Prepare
    const queues = await fourDeadLetters();
    const all = ["evt-404-new", "evt-404-old", "evt-conflict", "evt-exhausted"];

    // Act
    const run = await replay(queues, extra);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(moved);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.dlqUrl))).toEqual(
      all.filter((id) => !moved.includes(id)).sort(),
    );
  });

  it("moves at most --max messages", async () => {
    // Prepare
    const queues = await fourDeadLetters();

    // Act
    const run = await replay(queues, ["--max", "3"]);

    // Assess
    expect(run.stdout).toMatch(/summary: 3 replayed/);
    expect(await drainQueue(sqs.client, queues.queueUrl)).toHaveLength(3);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toHaveLength(1);
  });

  it("on a dry run prints exactly what would move, and changes nothing (no audit file either)", async () => {
    // Prepare
    const queues = await fourDeadLetters();
    const cwd = tempDir();

    // Act
    const run = await replay(queues, ["--dry-run", "--reason", "group_not_found"], { cwd });

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    const wouldMove = run.stdout
      .split("\n")
      .filter((line) => line.startsWith("would_replay"))
      .map((line) => /event=(\S+)/.exec(line)?.[1])
      .sort();
    expect(wouldMove).toEqual(["evt-404-new", "evt-404-old"]);
    expect(run.stdout).toMatch(/message_group=id:grp_A/);
    expect(run.stdout).toMatch(
      /dry run, nothing changed: 2 would be replayed, 0 invalid would be kept, 2 skipped/,
    );
    expect(await drainQueue(sqs.client, queues.queueUrl)).toEqual([]);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toHaveLength(4);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("paces sends at --rate messages per second", async () => {
    // Prepare: a clock that only moves when the command sleeps
    const queues = await fourDeadLetters();
    let clock = NOW.getTime();

    // Act
    const run = await replay(queues, ["--rate", "4"], {
      now: () => new Date(clock),
      sleep: async (ms) => {
        clock += ms;
      },
    });

    // Assess
    expect(run.stdout).toMatch(/summary: 4 replayed/);
    expect(run.io.sleeps).toEqual([250, 250, 250]);
  });

  it("writes every decision to the audit file, and never a body it did not drop", async () => {
    // Prepare
    const queues = await fourDeadLetters();
    const cwd = tempDir();

    // Act
    const run = await replay(queues, ["--reason", "conflict"], { cwd });

    // Assess
    const [file] = readdirSync(cwd);
    expect(file).toBe(`audit-${NOW.toISOString().replace(/[:.]/g, "-")}.jsonl`);
    expect(run.stdout).toContain(`audit: ${join(cwd, file as string)}`);
    const records = readFileSync(join(cwd, file as string), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => record.type)).toEqual(["start", ...Array(7).fill("decision"), "finish"]);
    const decisions = records.filter((record) => record.type === "decision");
    // A skipped message of a FIFO DLQ goes to the back of its message group: a second decision about it.
    expect(decisions.map((record) => [record.event_id, record.action]).sort()).toEqual([
      ["evt-404-new", "rotated"],
      ["evt-404-new", "skipped"],
      ["evt-404-old", "rotated"],
      ["evt-404-old", "skipped"],
      ["evt-conflict", "replayed"],
      ["evt-exhausted", "rotated"],
      ["evt-exhausted", "skipped"],
    ]);
    const replayed = decisions.find((record) => record.action === "replayed");
    expect(replayed).toMatchObject({
      failure_reason: "conflict",
      message_group_id: "ext:ref-c",
      valid: true,
    });
    expect(replayed?.new_message_id).toEqual(expect.any(String));
    expect(replayed?.deduplication_id).toMatch(/^replay-/);
    expect(records.every((record) => !("body" in record))).toBe(true);
    expect(records.at(-1)?.counts).toMatchObject({ replayed: 1, skipped: 3, rotated: 3 });
  });

  it("appends to the audit file --audit names, so a dry run can be audited too", async () => {
    // Prepare
    const queues = await fourDeadLetters();
    const cwd = tempDir();

    // Act
    await replay(queues, ["--dry-run", "--audit", "runs.jsonl"], { cwd });
    await replay(queues, ["--dry-run", "--audit", "runs.jsonl"], { cwd });

    // Assess
    const lines = readFileSync(join(cwd, "runs.jsonl"), "utf8").trim().split("\n");
    const actions = lines.map((line) => (JSON.parse(line) as { action?: string }).action).filter(Boolean);
    expect(actions).toEqual(Array(8).fill("would_replay"));
  });

  it("draws a progress bar on a terminal and prints the summary on stdout", async () => {
    // Prepare
    const queues = await fourDeadLetters();

    // Act
    const run = await replay(queues, ["--reason", "group_not_found"], { stderrIsTTY: true });

    // Assess
    expect(run.stderr).toMatch(
      /replay \[[^\]]*\] 4\/4 \| replayed 2 \| kept 0 \| skipped 2 \| failed 0 \| ETA/,
    );
    expect(run.stdout).not.toMatch(/^replayed /m);
    expect(run.stdout).toMatch(/summary: 2 replayed/);
  });

  it("exits 1 and keeps every message when the sends fail", async () => {
    // Prepare: a source queue URL that does not exist
    const queues = await fourDeadLetters();
    const missing = { ...queues, queueUrl: queues.queueUrl.replace(/[^/]+\.fifo$/, "missing.fifo") };

    // Act
    const run = await replay(missing, []);

    // Assess
    expect(run.exitCode).toBe(EXIT.failed);
    expect(run.stdout.match(/^send_failed/gm)).toHaveLength(4);
    expect(run.stdout).toMatch(/4 messages could not be sent and stay in the DLQ/);
    expect(await drainQueue(sqs.client, queues.dlqUrl)).toHaveLength(4);
  });

  it.each([
    {
      name: "no source queue",
      args: ["dlq", "replay", "--dlq-url", "http://127.0.0.1:1/dlq"],
      message: /--queue-url/,
    },
    {
      name: "the same queue twice",
      args: ["dlq", "replay", "--dlq-url", "http://127.0.0.1:1/q", "--queue-url", "http://127.0.0.1:1/q"],
      message: /same queue/,
    },
    { name: "a rate of zero", args: ["dlq", "replay", "--rate", "0"], message: /--rate/ },
  ])("exits 2 on a usage error: $name", async ({ args, message }) => {
    // Act
    const run = await groupSync(args, { cwd: tempDir() });

    // Assess
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toMatch(message);
  });
});
