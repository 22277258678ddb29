import type { AuditLog } from "../audit-log.ts";
import type { CommandContext } from "../context.ts";
import { createProgressBar, type ProgressBar, wantsBar } from "../progress.ts";
import { type ReplayAction, type ReplayDecision, ROTATION_ACTIONS } from "./replay-decision.ts";
import { decisionLine, decisionRecord, failedCount } from "./replay-report.ts";

export interface ReplayOutput {
  decision(decision: ReplayDecision, counts: Readonly<Record<ReplayAction, number>>): void;
  /** Ends the bar and prints what it held back. */
  finish(): void;
}

/**
 * Where a replay's decisions go: always to the audit file; on a terminal into a progress bar (with the messages
 * that were not replayed listed after it), elsewhere one plain line each. Skipped messages and rotations are only
 * audited (a failed rotation is shown). The bar counts messages read, not rotations of messages already counted.
 */
export function createReplayOutput(
  context: CommandContext,
  options: { dryRun: boolean; estimatedTotal: number; audit: AuditLog | undefined; runId: string },
): ReplayOutput {
  const { io } = context;
  const bar: ProgressBar | undefined =
    !options.dryRun && wantsBar(io.stderr)
      ? createProgressBar(io.stderr, "replay", options.estimatedTotal, [
          "replayed",
          "kept",
          "skipped",
          "failed",
        ])
      : undefined;
  const heldBack: ReplayDecision[] = [];
  let decided = 0;
  return {
    decision(decision, counts) {
      options.audit?.write(decisionRecord(decision, options.runId, io.now()));
      const quiet = decision.action === "skipped" || decision.action === "rotated";
      if (!ROTATION_ACTIONS.includes(decision.action)) decided += 1;
      if (quiet && !bar) return;
      if (!bar) {
        context.out(decisionLine(decision));
        return;
      }
      bar.update(decided, {
        replayed: counts.replayed,
        kept: counts.kept_invalid,
        skipped: counts.skipped,
        failed: failedCount(counts),
      });
      if (decision.action !== "replayed" && !quiet) heldBack.push(decision);
    },
    finish() {
      bar?.stop();
      for (const decision of heldBack) context.out(decisionLine(decision));
      heldBack.length = 0;
    },
  };
}
