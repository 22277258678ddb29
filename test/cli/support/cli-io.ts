import { Readable } from "node:stream";
import { type AwsClients, type CliIo, defaultAwsClients } from "../../../cli/io.ts";
import { runCli } from "../../../cli/main.ts";

export interface CapturedIo extends CliIo {
  stdoutText(): string;
  stderrText(): string;
  /** Every sleep the command asked for, in ms (sleeps resolve at once). */
  sleeps: number[];
  questions: string[];
}

export interface CaptureOptions {
  clients?: Partial<AwsClients>;
  now?: () => Date;
  stdin?: string;
  stdinIsTTY?: boolean;
  stderrIsTTY?: boolean;
  cwd?: string;
  answer?: boolean;
  env?: Record<string, string | undefined>;
  /** Replaces the instant sleep, e.g. to advance a fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

/** An in-process CliIo that records what the command wrote; AWS clients are the real ones unless replaced. */
export function captureIo(options: CaptureOptions = {}): CapturedIo {
  let stdout = "";
  let stderr = "";
  const sleeps: number[] = [];
  const questions: string[] = [];
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [options.stdin]), {
    isTTY: options.stdinIsTTY ?? false,
  });
  return {
    stdout: {
      write: (text: string) => {
        stdout += text;
        return true;
      },
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
        return true;
      },
      isTTY: options.stderrIsTTY ?? false,
      columns: 120,
    },
    stdin,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    now: options.now ?? (() => new Date()),
    sleep: async (ms) => {
      sleeps.push(ms);
      await options.sleep?.(ms);
    },
    confirm: async (question) => {
      questions.push(question);
      return options.answer ?? false;
    },
    clients: { ...defaultAwsClients, ...options.clients },
    stdoutText: () => stdout,
    stderrText: () => stderr,
    sleeps,
    questions,
  };
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  io: CapturedIo;
}

/** Runs one `group-sync` command line in-process. */
export async function groupSync(argv: readonly string[], options: CaptureOptions = {}): Promise<CliRun> {
  const io = captureIo(options);
  const exitCode = await runCli(argv, io);
  return { exitCode, stdout: io.stdoutText(), stderr: io.stderrText(), io };
}
