import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { describeError, OperationError } from "../errors.ts";

export const NATIVE_POLL_MS = 5_000;
const FINAL_STATUSES = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

export interface MoveProgress {
  /** RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED, as SQS reports it. */
  status: string;
  moved: number;
  toMove: number | undefined;
  failureReason: string | undefined;
}

export interface NativeMoveOptions {
  sqs: SQSClient;
  dlqUrl: string;
  sourceQueueUrl: string;
  /** MaxNumberOfMessagesPerSecond; SQS picks its own rate when left out. */
  rate?: number | undefined;
  sleep(ms: number): Promise<void>;
  pollMs?: number;
  onStarted?(taskHandle: string): void;
  onProgress(progress: MoveProgress): void;
}

/**
 * Asks SQS itself to move every DLQ message back to the source queue (StartMessageMoveTask), then follows the task
 * until it ends. No filters and no re-validation: SQS moves the whole queue.
 */
export async function runNativeMove(options: NativeMoveOptions): Promise<MoveProgress> {
  const [sourceArn, destinationArn] = await Promise.all([
    queueArn(options.sqs, options.dlqUrl),
    queueArn(options.sqs, options.sourceQueueUrl),
  ]);
  let taskHandle: string;
  try {
    const started = await options.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: sourceArn,
        DestinationArn: destinationArn,
        ...(options.rate !== undefined ? { MaxNumberOfMessagesPerSecond: Math.ceil(options.rate) } : {}),
      }),
    );
    taskHandle = started.TaskHandle ?? "";
  } catch (error) {
    throw new OperationError(startFailure(error), { cause: error });
  }
  options.onStarted?.(taskHandle);
  for (;;) {
    await options.sleep(options.pollMs ?? NATIVE_POLL_MS);
    const task = await findTask(options.sqs, sourceArn, taskHandle);
    const progress: MoveProgress = {
      status: task.Status ?? "UNKNOWN",
      moved: task.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: task.ApproximateNumberOfMessagesToMove,
      failureReason: task.FailureReason,
    };
    options.onProgress(progress);
    if (FINAL_STATUSES.has(progress.status)) return progress;
  }
}

function startFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "InvalidAction" || name === "UnsupportedOperation") {
    return "this SQS does not support StartMessageMoveTask (local emulators lack it): replay without --native";
  }
  return `could not start the message move task: ${describeError(error)}`;
}

/**
 * SQS lists the latest tasks of a source queue, newest first, and drops the handle once a task has ended; only one
 * task may run per queue, so the newest entry is ours when the handle is gone.
 */
async function findTask(
  sqs: SQSClient,
  sourceArn: string,
  taskHandle: string,
): Promise<ListMessageMoveTasksResultEntry> {
  const response = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }));
  const results = response.Results ?? [];
  const task = results.find((entry) => entry.TaskHandle === taskHandle) ?? results[0];
  if (!task) throw new OperationError("the message move task disappeared from ListMessageMoveTasks");
  return task;
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const response = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  const arn = response.Attributes?.QueueArn;
  if (!arn) throw new OperationError(`SQS returned no ARN for ${queueUrl}`);
  return arn;
}
