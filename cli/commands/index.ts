import { registerDlqCommands } from "./dlq.ts";
import { registerReconcileCommand } from "./reconcile.ts";
import type { RegisterCommand } from "./registry.ts";
import { registerSendCommand } from "./send.ts";
import { registerSignCommand } from "./sign.ts";

/** Every top-level command, in the order `--help` lists them. A new command is one module and one line here. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerDlqCommands,
  registerReconcileCommand,
  registerSendCommand,
  registerSignCommand,
];

export type { CommandRegistry, RegisterCommand } from "./registry.ts";
