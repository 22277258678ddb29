import type { SQSClient } from "@aws-sdk/client-sqs";
import { type ConnectionOptions, connectionSettings, receiveWaitSeconds } from "./connection.ts";
import type { CliIo } from "./io.ts";
import { type QueueOptions, type QueueRole, resolveQueueUrls } from "./queues.ts";

/** What a command's action gets: the I/O of this run and helpers that build what most commands need. */
export interface CommandContext {
  io: CliIo;
  /** Writes a line to stdout. */
  out(line?: string): void;
  /** Writes a line to stderr. */
  err(line?: string): void;
  sqs(options: ConnectionOptions): SQSClient;
  /** Long-poll wait for receives against this SQS. */
  receiveWaitSeconds(options: ConnectionOptions): number;
  queues<R extends QueueRole>(
    options: QueueOptions & ConnectionOptions,
    roles: readonly R[],
  ): Promise<Record<R, string>>;
}

export function createCommandContext(io: CliIo): CommandContext {
  return {
    io,
    out: (line = "") => {
      io.stdout.write(`${line}\n`);
    },
    err: (line = "") => {
      io.stderr.write(`${line}\n`);
    },
    sqs: (options) => io.clients.sqs(connectionSettings(options, io.env)),
    receiveWaitSeconds: (options) => receiveWaitSeconds(connectionSettings(options, io.env)),
    queues: (options, roles) =>
      // CloudFormation is always the real service: --endpoint only redirects SQS.
      resolveQueueUrls(options, roles, () =>
        io.clients.cloudFormation(connectionSettings({ region: options.region }, io.env)),
      ),
  };
}
