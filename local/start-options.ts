import { parseArgs } from "node:util";

export interface StartOptions {
  help: boolean;
  exitWhenIdle: boolean;
  samples: boolean;
  ports: { sqs: number; vitable: number; webhook: number };
  batchSize: number | undefined;
  concurrency: number | undefined;
}

/** The command line was wrong; the message says which option and why. */
export class StartUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartUsageError";
  }
}

export const START_USAGE = `Usage: npm start [-- options]

Runs the group-sync pipeline locally: embedded SQS (fauxqs), the Vitable emulator, an in-memory ledger and
the real sync handler behind a local SQS event-source runner. Sends the sample events from
examples/local-demo/ and prints each outcome, then keeps running until Ctrl-C.

Options:
  --exit-when-idle      exit once the queue is drained; exit code 0 only if every sample ended as expected
  --no-samples          do not send the sample events
  --port-sqs N          port of the embedded SQS (default: any free port)
  --port-vitable N      port of the Vitable emulator (default: any free port)
  --port-webhook N      port of the webhook endpoint (default: any free port)
  --batch-size N        records per invocation, 1 to 10 (default 10)
  --concurrency N       invocations at once (default 5)
  -h, --help            show this help

With VITABLE_CONNECT_BASE_URL and VITABLE_CONNECT_API_KEY both set, the real Vitable API is used instead of
the emulator, and the sample events are not sent.`;

export function parseStartOptions(argv: string[]): StartOptions {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new StartUsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    help: values.help ?? false,
    exitWhenIdle: values["exit-when-idle"] ?? false,
    samples: !(values["no-samples"] ?? false),
    ports: {
      sqs: port("--port-sqs", values["port-sqs"]) ?? 0,
      vitable: port("--port-vitable", values["port-vitable"]) ?? 0,
      webhook: port("--port-webhook", values["port-webhook"]) ?? 0,
    },
    batchSize: whole("--batch-size", values["batch-size"], 1, 10),
    concurrency: whole("--concurrency", values.concurrency, 1, 1000),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: "boolean", short: "h" },
      "exit-when-idle": { type: "boolean" },
      "no-samples": { type: "boolean" },
      "port-sqs": { type: "string" },
      "port-vitable": { type: "string" },
      "port-webhook": { type: "string" },
      "batch-size": { type: "string" },
      concurrency: { type: "string" },
    },
  });
}

function port(name: string, text: string | undefined): number | undefined {
  return whole(name, text, 0, 65_535);
}

function whole(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StartUsageError(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
