import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import type { ExitCode } from "../errors.ts";

/** Handed to every command module when the program is built. */
export interface CommandRegistry {
  context: CommandContext;
  /** Wraps an action so that its exit code becomes the run's exit code. */
  action<A extends unknown[]>(run: (...args: A) => Promise<ExitCode>): (...args: A) => Promise<void>;
}

/** A command module: adds its command(s) under `parent`. List it in commands/index.ts to make it available. */
export type RegisterCommand = (parent: Command, registry: CommandRegistry) => void;
