import { type Command, InvalidArgumentError, Option } from "commander";
import type { QueueRole } from "./queues.ts";

/** Adds --endpoint and --region: where SQS is. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option("--endpoint <url>", "SQS endpoint, e.g. a local fauxqs (http://127.0.0.1:4566)")
    .option("--region <region>", "AWS region (default: from AWS_REGION or your AWS profile)");
}

/** Adds --stack and the URL flags of the queues the command uses. */
export function addQueueOptions(command: Command, roles: readonly QueueRole[]): Command {
  command.option("--stack <name>", "read the queue URLs from this CloudFormation stack's outputs");
  if (roles.includes("source")) command.option("--queue-url <url>", "source queue URL (overrides --stack)");
  if (roles.includes("dlq")) command.option("--dlq-url <url>", "dead-letter queue URL (overrides --stack)");
  return command;
}

/** Adds the filters shared by `dlq list` and `dlq replay`. */
export function addFilterOptions(command: Command): Command {
  return command
    .option("--reason <codes>", "only these failure reasons, comma-separated (repeatable)", collect)
    .option(
      "--group <group>",
      "only this group: grp id, external reference id or group key (repeatable)",
      collect,
    )
    .option("--event-id <id>", "only this event id (repeatable)", collect)
    .option("--older-than <when>", "only messages that failed before: 30m, 2h, 7d or an ISO date-time")
    .option("--newer-than <when>", "only messages that failed after: 30m, 2h, 7d or an ISO date-time");
}

export function positiveIntegerOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser(parsePositiveInteger);
}

export function positiveNumberOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser(parsePositiveNumber);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parsePositiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError("expected a whole number of at least 1");
  }
  return value;
}

function parsePositiveNumber(text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0))
    throw new InvalidArgumentError("expected a number above 0");
  return value;
}
