import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { type CaptureOptions, groupSync } from "../support/cli-io.ts";

// fauxqs has no StartMessageMoveTask, so this path runs against an SDK-level test double.
const SOURCE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/group-sync.fifo";
const DLQ_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/group-sync-dlq.fifo";
const SOURCE_ARN = "arn:aws:sqs:us-east-1:123456789012:group-sync.fifo";
const DLQ_ARN = "arn:aws:sqs:us-east-1:123456789012:group-sync-dlq.fifo";
const HANDLE = "eyJ0YXNrSWQiOiJleGFtcGxlIn0=";

function task(overrides: ListMessageMoveTasksResultEntry): ListMessageMoveTasksResultEntry {
  return {
    SourceArn: DLQ_ARN,
    DestinationArn: SOURCE_ARN,
    ApproximateNumberOfMessagesToMove: 5,
    StartedTimestamp: 1_768_554_720_000,
    ...overrides,
  };
}

/** An SQS double: two queues, a move task that reports `statuses` on successive polls. */
function sqsDouble(statuses: ListMessageMoveTasksResultEntry[]) {
  const client = new SQSClient({ region: "us-east-1" });
  const mock = mockClient(client);
  mock
    .on(GetQueueAttributesCommand, { QueueUrl: DLQ_URL })
    .resolves({ Attributes: { QueueArn: DLQ_ARN, ApproximateNumberOfMessages: "0" } })
    .on(GetQueueAttributesCommand, { QueueUrl: SOURCE_URL })
    .resolves({ Attributes: { QueueArn: SOURCE_ARN } })
    .on(StartMessageMoveTaskCommand)
    .resolves({ TaskHandle: HANDLE });
  const list = mock.on(ListMessageMoveTasksCommand);
  for (const status of statuses) list.resolvesOnce({ Results: [status] });
  return { client, mock };
}

async function replayNative(client: SQSClient, extra: string[] = [], options: CaptureOptions = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "group-sync-cli-"));
  const run = await groupSync(
    [
      "dlq",
      "replay",
      "--native",
      "--queue-url",
      SOURCE_URL,
      "--dlq-url",
      DLQ_URL,
      "--audit",
      "a.jsonl",
      ...extra,
    ],
    { cwd, clients: { sqs: () => client }, ...options },
  );
  const audit = () =>
    readFileSync(join(cwd, "a.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ...run, audit };
}

describe("group-sync dlq replay --native", () => {
  it("starts a move from the DLQ to the source queue and follows it until it completes", async () => {
    // Prepare
    const { client, mock } = sqsDouble([
      task({ TaskHandle: HANDLE, Status: "RUNNING", ApproximateNumberOfMessagesMoved: 2 }),
      task({ TaskHandle: HANDLE, Status: "RUNNING", ApproximateNumberOfMessagesMoved: 2 }),
      task({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 5 }),
    ]);

    // Act
    const run = await replayNative(client, ["--rate", "20"]);

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(mock.commandCalls(StartMessageMoveTaskCommand).map((call) => call.args[0].input)).toEqual([
      { SourceArn: DLQ_ARN, DestinationArn: SOURCE_ARN, MaxNumberOfMessagesPerSecond: 20 },
    ]);
    expect(mock.commandCalls(ListMessageMoveTasksCommand)).toHaveLength(3);
    expect(run.io.sleeps).toEqual([5_000, 5_000, 5_000]);
    expect(run.stdout).toContain(`aws sqs cancel-message-move-task --task-handle ${HANDLE}`);
    // A repeated status is printed once.
    expect(run.stdout.match(/^RUNNING: 2 of 5 moved$/gm)).toHaveLength(1);
    expect(run.stdout).toMatch(/^COMPLETED: 5 of 5 moved$/m);
    expect(run.audit().map((record) => record.type)).toEqual(["start", "task_started", "finish"]);
    expect(run.audit().at(-1)).toMatchObject({ status: "COMPLETED", moved: 5 });
  });

  it("exits 1 with SQS's reason when the task fails", async () => {
    // Prepare
    const { client } = sqsDouble([
      task({
        Status: "FAILED",
        ApproximateNumberOfMessagesMoved: 1,
        FailureReason: "AWS.SimpleQueueService.NonExistentQueue",
      }),
    ]);

    // Act
    const run = await replayNative(client);

    // Assess
    expect(run.exitCode).toBe(EXIT.failed);
    expect(run.stdout).toMatch(/^FAILED: 1 of 5 moved$/m);
    expect(run.stdout).toMatch(/failure reason: AWS.SimpleQueueService.NonExistentQueue/);
  });

  it("explains that a local SQS cannot do a native move", async () => {
    // Prepare
    const { client, mock } = sqsDouble([]);
    mock
      .on(StartMessageMoveTaskCommand)
      .rejects(
        Object.assign(new Error("The action StartMessageMoveTask is not valid"), { name: "InvalidAction" }),
      );

    // Act
    const run = await replayNative(client);

    // Assess
    expect(run.exitCode).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/does not support StartMessageMoveTask .*replay without --native/);
    expect(run.audit().map((record) => record.type)).toEqual(["start", "aborted"]);
  });

  it("draws a progress bar of moved messages on a terminal", async () => {
    // Prepare
    const { client } = sqsDouble([task({ Status: "COMPLETED", ApproximateNumberOfMessagesMoved: 5 })]);

    // Act
    const run = await replayNative(client, [], { stderrIsTTY: true });

    // Assess
    expect(run.stderr).toMatch(/move \[[^\]]*\] 5\/5 \| moved 5/);
    expect(run.stdout).toMatch(/^COMPLETED: 5 of 5 moved$/m);
  });

  it.each([
    { flags: ["--reason", "conflict"], named: "--reason" },
    { flags: ["--dry-run"], named: "--dry-run" },
    { flags: ["--max", "3"], named: "--max" },
    { flags: ["--drop-invalid", "--yes"], named: "--drop-invalid" },
    { flags: ["--older-than", "1h"], named: "--older-than" },
    { flags: ["--no-rotate"], named: "--no-rotate" },
    { flags: ["--rate", "501"], named: "at most 500" },
  ])("refuses $named (exit 2) without calling SQS", async ({ flags, named }) => {
    // Prepare
    const { client, mock } = sqsDouble([]);

    // Act
    const run = await replayNative(client, flags);

    // Assess
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toContain(named);
    expect(mock.calls()).toHaveLength(0);
  });
});
