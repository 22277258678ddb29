import { parseArgs } from "node:util";

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

export interface CliOptions {
  port: number;
  help: boolean;
}

export const USAGE = `Usage: npm run emulator -- [--port <n>]

Starts the Vitable Connect groups API emulator on 127.0.0.1, seeded with sample groups.
  --port <n>   port to listen on (default: $VITABLE_EMULATOR_PORT, else 0 = any free port)
  --help       show this text`;

/** The flag wins over the environment variable; both are optional. */
export function parseCliOptions(args: string[], env: NodeJS.ProcessEnv): CliOptions {
  let values: { port?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { port: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const rawPort = values.port ?? env.VITABLE_EMULATOR_PORT ?? "0";
  return { port: parsePort(rawPort), help: values.help ?? false };
}

function parsePort(raw: string): number {
  const port = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!(port >= 0 && port <= 65_535))
    throw new CliUsageError(`port must be an integer from 0 to 65535, got "${raw}"`);
  return port;
}
