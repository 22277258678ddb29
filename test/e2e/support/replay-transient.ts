import { UNKNOWN_REASON } from "../../../cli/dlq/dlq-message.ts";
import type { ReplayAction } from "../../../cli/dlq/replay-decision.ts";
import { runReplay } from "../../../cli/dlq/replay-run.ts";
import { DLQ_ATTRIBUTES } from "../../../functions/group-sync/dead-letter.ts";
import type { LocalStack } from "../../../local/stack.ts";
import type { CopyTrail } from "./chaos-checks.ts";

export interface TransientReplay {
  counts: Record<ReplayAction, number>;
  /**
   * Messages replayed from a message group in which this replay had rotated a message first. fauxqs serves a
   * group one message at a time and in order, so each of them sat behind a message the replay left in the DLQ.
   */
  reachedPastRotated: number;
}

/**
 * Replays, with the CLI's own replay logic, every DLQ message that failed for a transient reason: retries
 * exhausted, or moved by the queue's redrive without a reason (a crash on the last delivery). Each replayed
 * message is added to its copy's trail.
 */
export async function replayTransient(stack: LocalStack, trail: CopyTrail): Promise<TransientReplay> {
  const rotatedGroups = new Set<string | undefined>();
  let reachedPastRotated = 0;
  const result = await runReplay({
    sqs: stack.sqs,
    dlqUrl: stack.dlqUrl,
    sourceQueueUrl: stack.queueUrl,
    filter: { reasons: ["retries_exhausted", UNKNOWN_REASON] },
    dryRun: false,
    maxFutureMs: 300_000,
    dropInvalid: false,
    // Invalid events share message groups with valid ones: rotating them lets the replay reach what is behind.
    rotate: true,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    onDecision: (decision) => {
      if (decision.action === "rotated") rotatedGroups.add(decision.message.messageGroupId);
      if (decision.action !== "replayed" || decision.newMessageId === undefined) return;
      if (rotatedGroups.has(decision.message.messageGroupId)) reachedPastRotated += 1;
      const named = decision.message.messageAttributes[DLQ_ATTRIBUTES.sourceMessageId]?.StringValue;
      // Dead-lettered by the function: it names its source. Moved by the redrive: it kept its own id.
      const origin = named !== undefined && trail.knows(named) ? named : decision.message.messageId;
      trail.addHop(origin, decision.newMessageId);
    },
  });
  return { counts: result.counts, reachedPastRotated };
}
