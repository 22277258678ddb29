import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands/index.ts";
import type { CommandRegistry } from "./commands/registry.ts";
import { createCommandContext } from "./context.ts";
import { describeError, EXIT, type ExitCode, OperationError, UsageError } from "./errors.ts";
import { type CliIo, processIo } from "./io.ts";
import { terminalText } from "./terminal-text.ts";

export interface CliProgram {
  /** The commander program, for inspecting its commands and help. */
  command: Command;
  /** Parses `argv` (the arguments only, without node and the script) and runs the command; never throws. */
  run(argv: readonly string[]): Promise<ExitCode>;
}

const EXIT_CODES_HELP = `
Exit codes:
  0  everything asked for was done
  1  something failed: a send or delete, an invalid event given to send, a native move that did not complete
     (and with replay --strict: invalid messages were kept)
  2  usage error: bad flags or input, queues not found; nothing was changed`;

/** The `group-sync` program wired to `io`. Build a new one for each run. */
export function buildProgram(io: CliIo): CliProgram {
  const context = createCommandContext(io);
  let exitCode: ExitCode = EXIT.ok;
  const program = new Command("group-sync")
    .description("Operate vitable-group-sync: inspect and replay the dead-letter queue, send events")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride()
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP);
  const registry: CommandRegistry = {
    context,
    action:
      (run) =>
      async (...args) => {
        exitCode = await run(...args);
      },
  };
  for (const register of COMMANDS) register(program, registry);

  return {
    command: program,
    run: async (argv) => {
      exitCode = EXIT.ok;
      try {
        await program.parseAsync([...argv], { from: "user" });
        return exitCode;
      } catch (error) {
        return exitCodeFor(error, io);
      }
    },
  };
}

function exitCodeFor(error: unknown, io: CliIo): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help).
    return error.code === "commander.helpDisplayed" || error.code === "commander.version"
      ? EXIT.ok
      : EXIT.usage;
  }
  // Our own errors are written for the operator; anything else keeps its name (e.g. QueueDoesNotExist).
  const ours = error instanceof UsageError || error instanceof OperationError;
  // AWS and API error messages can quote what a sender or a server chose: never let them drive the terminal.
  io.stderr.write(`group-sync: ${terminalText(ours ? error.message : describeError(error))}\n`);
  return error instanceof UsageError ? EXIT.usage : EXIT.failed;
}

/** Runs one command line against `io`; resolves to the exit code. */
export function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  return buildProgram(io).run(argv);
}

/** The entry point bin/group-sync.mjs calls. */
export function main(argv: readonly string[] = process.argv.slice(2)): Promise<ExitCode> {
  return runCli(argv, processIo());
}
