import { createInterface } from "node:readline/promises";
import { setTimeout as delay } from "node:timers/promises";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { ConnectionSettings } from "./connection.ts";

/** The part of a writable stream the CLI uses; a test passes a plain object that collects the text. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface InputStream extends AsyncIterable<string | Buffer> {
  isTTY?: boolean;
}

/** Builds the AWS clients a command needs; tests inject clients bound to fauxqs or SDK-level test doubles. */
export interface AwsClients {
  sqs(settings: ConnectionSettings): SQSClient;
  cloudFormation(settings: ConnectionSettings): CloudFormationClient;
  /** For the Vitable API key when it lives in Secrets Manager (`reconcile --api-key-secret-arn`). */
  secretsManager(settings: ConnectionSettings): SecretsManagerClient;
}

/** Everything a command touches outside itself, so the whole CLI runs in-process in tests. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: InputStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Asks a yes/no question on the terminal; false when there is no terminal to ask on. */
  confirm(question: string): Promise<boolean>;
  clients: AwsClients;
}

export const defaultAwsClients: AwsClients = {
  sqs: (settings) => new SQSClient(settings),
  cloudFormation: (settings) => new CloudFormationClient(settings),
  secretsManager: (settings) => new SecretsManagerClient(settings),
};

export function processIo(): CliIo {
  return {
    stdout: survivingClosedPipe(process.stdout),
    stderr: survivingClosedPipe(process.stderr),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    sleep: (ms) => delay(ms),
    confirm: (question) => askOnTerminal(question),
    clients: defaultAwsClients,
  };
}

/**
 * A replay must finish what it started even when the reader of its output goes away (`| head`): once the pipe is
 * closed, further output is dropped instead of crashing the process mid-replay.
 */
function survivingClosedPipe(stream: NodeJS.WriteStream): OutputStream {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  return {
    write: (text) => (closed ? false : stream.write(text)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await terminal.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    terminal.close();
  }
}
