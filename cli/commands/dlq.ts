import type { Command } from "commander";
import { registerDlqList } from "./dlq-list.ts";
import { registerDlqReplay } from "./dlq-replay.ts";
import { registerDlqShow } from "./dlq-show.ts";
import type { CommandRegistry } from "./registry.ts";

export function registerDlqCommands(program: Command, registry: CommandRegistry): void {
  const dlq = program
    .command("dlq")
    .description("inspect and replay messages in the dead-letter queue")
    .addHelpText(
      "after",
      "\nMessages the sync function could not apply wait in the DLQ with a failure_reason. List them, look at one,\n" +
        "then replay the ones whose cause is fixed.",
    );
  registerDlqList(dlq, registry);
  registerDlqShow(dlq, registry);
  registerDlqReplay(dlq, registry);
}
