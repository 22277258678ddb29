import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from "@aws-sdk/client-cloudformation";
import { describeError, OperationError, UsageError } from "./errors.ts";

/** --stack, --queue-url and --dlq-url as given on the command line. */
export interface QueueOptions {
  stack?: string;
  queueUrl?: string;
  dlqUrl?: string;
}

export type QueueRole = "source" | "dlq";

/** The stack outputs that name each queue (see infra/group-sync-stack.ts). */
export const STACK_OUTPUTS: Record<QueueRole, string> = { source: "SourceQueueUrl", dlq: "DlqUrl" };

const FLAGS: Record<QueueRole, string> = { source: "--queue-url", dlq: "--dlq-url" };

/**
 * The URLs of the queues a command needs: explicit flags win, anything missing is read from the stack's outputs.
 * Throws UsageError when a queue is named nowhere.
 */
export async function resolveQueueUrls<R extends QueueRole>(
  options: QueueOptions,
  roles: readonly R[],
  cloudFormation: () => CloudFormationClient,
): Promise<Record<R, string>> {
  const explicit: Record<QueueRole, string | undefined> = { source: options.queueUrl, dlq: options.dlqUrl };
  const missing = roles.filter((role) => !explicit[role]);
  const fromStack =
    missing.length > 0 && options.stack ? await readStackOutputs(cloudFormation(), options.stack) : {};
  const urls = {} as Record<R, string>;
  for (const role of roles) {
    const url = explicit[role] ?? fromStack[STACK_OUTPUTS[role]];
    if (!url) {
      throw new UsageError(
        options.stack
          ? `stack ${options.stack} has no ${STACK_OUTPUTS[role]} output: give ${FLAGS[role]}`
          : `no ${role === "dlq" ? "dead-letter" : "source"} queue: give ${FLAGS[role]} or --stack`,
      );
    }
    urls[role] = url;
  }
  return urls;
}

async function readStackOutputs(
  client: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  let stacks: DescribeStacksCommandOutput;
  try {
    stacks = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) {
      throw new UsageError(`stack ${stackName} does not exist in this account and region`);
    }
    throw new OperationError(`could not read stack ${stackName}: ${describeError(error)}`, { cause: error });
  }
  const outputs: Record<string, string> = {};
  for (const output of stacks.Stacks?.[0]?.Outputs ?? []) {
    if (output.OutputKey && output.OutputValue) outputs[output.OutputKey] = output.OutputValue;
  }
  return outputs;
}
