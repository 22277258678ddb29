import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { type EmbeddedSqs, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../../support/events.ts";
import { type CaptureOptions, groupSync } from "../support/cli-io.ts";
import { drainQueue, eventIdsOf, freshQueues } from "../support/dlq-fixtures.ts";

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

const validA = makeEvent({ event_id: "evt-send-a", group: { id: "grp_A" } });
const validB = makeEvent({ event_id: "evt-send-b", group: { external_reference_id: "ref-b" } });
const tooLong = makeEvent({ event_id: "evt-send-long", changes: { name: "x".repeat(256) } });
const missingFields = { type: "group.renamed", event_id: "evt-send-missing" };

function inputFile(name: string, text: string): { cwd: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), "group-sync-send-"));
  writeFileSync(join(cwd, name), text);
  return { cwd, file: name };
}

async function send(queueUrl: string, source: string, extra: string[] = [], options: CaptureOptions = {}) {
  return groupSync(["send", source, "--endpoint", sqs.endpoint, "--queue-url", queueUrl, ...extra], options);
}

describe("group-sync send", () => {
  it("enqueues valid events with the group and dedup id the event gives", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const { cwd, file } = inputFile("events.json", JSON.stringify([validA, validB], null, 2));

    // Act
    const run = await send(queues.queueUrl, file, [], { cwd });

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/^sent {5}item 1 {2}event=evt-send-a group=id:grp_A {2}message=\S+$/m);
    expect(run.stdout).toMatch(/summary: 2 sent, 0 invalid, 0 failed/);
    const messages = await drainQueue(sqs.client, queues.queueUrl);
    expect(
      messages
        .map((message) => [
          message.Attributes?.MessageGroupId,
          message.Attributes?.MessageDeduplicationId,
          JSON.parse(message.Body ?? ""),
        ])
        .sort(),
    ).toEqual(
      [
        ["id:grp_A", "evt-send-a", validA],
        ["ext:ref-b", "evt-send-b", validB],
      ].sort(),
    );
  });

  it("reads JSON Lines from stdin, sends the valid events, reports the invalid ones per field and exits 1", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const stdin = [validA, tooLong, missingFields, validB].map((event) => JSON.stringify(event)).join("\n");

    // Act
    const run = await send(queues.queueUrl, "-", [], { stdin: `${stdin}\n{oops\n` });

    // Assess
    expect(run.exitCode).toBe(EXIT.failed);
    expect(run.stdout).toMatch(
      /^invalid {2}line 2 {2}invalid_message\n {11}changes\.name: must be at most 255/m,
    );
    expect(run.stdout).toMatch(/^invalid {2}line 3 {2}invalid_message\n {11}occurred_at: is required\n/m);
    expect(run.stdout).toMatch(/^ {11}changes: is required$/m);
    expect(run.stdout).toMatch(/^invalid {2}line 5 {2}invalid_json$/m);
    expect(run.stdout.match(/^\w+ +line \d/gm)).toEqual([
      "sent     line 1",
      "invalid  line 2",
      "invalid  line 3",
      "sent     line 4",
      "invalid  line 5",
    ]);
    expect(run.stdout).toMatch(/summary: 2 sent, 3 invalid, 0 failed/);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(["evt-send-a", "evt-send-b"]);
  });

  it.each([
    {
      name: "--all-or-nothing with an invalid event",
      extra: ["--all-or-nothing"],
      events: [validA, tooLong],
      exitCode: EXIT.failed,
    },
    { name: "--dry-run", extra: ["--dry-run"], events: [validA, validB], exitCode: EXIT.ok },
  ])("sends nothing with $name", async ({ extra, events, exitCode }) => {
    // Prepare
    const queues = await freshQueues(sqs.client);

    // Act
    const run = await send(queues.queueUrl, "-", extra, { stdin: JSON.stringify(events) });

    // Assess
    expect(run.exitCode).toBe(exitCode);
    expect(run.stdout).toMatch(/nothing sent/);
    expect(run.stdout).toMatch(/^valid {4}item 1 {2}event=evt-send-a/m);
    expect(await drainQueue(sqs.client, queues.queueUrl)).toEqual([]);
  });

  it("sends one pretty-printed event document", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);

    // Act
    const run = await send(queues.queueUrl, "-", [], { stdin: JSON.stringify(validA, null, 2) });

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/^sent {5}document {2}event=evt-send-a/m);
    expect(eventIdsOf(await drainQueue(sqs.client, queues.queueUrl))).toEqual(["evt-send-a"]);
  });

  it("exits 1 and names the failed events when SQS refuses them", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const missing = queues.queueUrl.replace(/[^/]+\.fifo$/, "missing.fifo");

    // Act
    const run = await send(missing, "-", [], { stdin: JSON.stringify([validA, validB]) });

    // Assess
    expect(run.exitCode).toBe(EXIT.failed);
    expect(
      run.stdout.match(/^failed {3}item \d {2}event=evt-send-\w .*error=.*QueueDoesNotExist/gm),
    ).toHaveLength(2);
    expect(run.stdout).toMatch(/summary: 0 sent, 0 invalid, 2 failed/);
  });

  it.each([
    {
      name: "a missing file",
      argv: ["send", "nowhere.jsonl"],
      stdin: undefined,
      message: /cannot read nowhere.jsonl: no such file/,
    },
    { name: "empty input", argv: ["send", "-"], stdin: "\n", message: /holds no events/ },
    { name: "a broken JSON array", argv: ["send", "-"], stdin: "[{}", message: /not a JSON array/ },
    {
      name: "no queue",
      argv: ["send", "-"],
      stdin: JSON.stringify(validA),
      message: /give --queue-url or --stack/,
    },
    {
      name: "no file argument",
      argv: ["send"],
      stdin: undefined,
      message: /missing required argument 'file'/,
    },
  ])("exits 2 on $name", async ({ argv, stdin, message }) => {
    // Act
    const run = await groupSync(argv, { ...(stdin === undefined ? {} : { stdin }), cwd: tmpdir() });

    // Assess
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toMatch(message);
  });
});
