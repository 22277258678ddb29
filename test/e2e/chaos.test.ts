import { afterEach, describe, expect, it } from "vitest";
import { DLQ_ATTRIBUTES } from "../../functions/group-sync/dead-letter.ts";
import { parseEventBody } from "../../functions/shared/contract/parse-event.ts";
import { sendMessages } from "../../local/send-messages.ts";
import { type LocalStack, startLocalStack } from "../../local/stack.ts";
import type { FaultAction, FaultConfig } from "../../local/vitable-emulator/index.ts";
import { seededRandom } from "../../local/vitable-emulator/prng.ts";
import { drainQueue } from "../support/drain-queue.ts";
import { CopyTrail, staleWrites } from "./support/chaos-checks.ts";
import { chaosHandler } from "./support/chaos-handler.ts";
import { buildChaosPlan, expectedFinalState } from "./support/chaos-plan.ts";
import { replayTransient } from "./support/replay-transient.ts";

/** Fixed so a failure reproduces; CHAOS_SEED=<n> tries another run. */
const SEED = Number(process.env.CHAOS_SEED ?? 20_260_302);
const MAX_REPLAY_ROUNDS = 8;
const GROUPS = 125;

/** Share of all API requests each fault hits, in the order the emulator rolls them. */
const FAULT_SHARES: Array<{ share: number; action: FaultAction }> = [
  { share: 0.1, action: { type: "status", status: 503 } },
  { share: 0.05, action: { type: "status", status: 500 } },
  { share: 0.05, action: { type: "status", status: 502 } },
  // Retry-After in whole seconds as HTTP defines it, plus the finer retry-after-ms the client reads first.
  { share: 0.05, action: { type: "status", status: 429, retryAfterSeconds: 1, retryAfterMs: 50 } },
  { share: 0.02, action: { type: "reset" } },
  // Held until the client's per-attempt timeout gives up on it.
  { share: 0.01, action: { type: "hang" } },
];

/** The emulator rolls its rules in turn and the first hit wins, so each rate is conditional on the misses before. */
function faultRules(): FaultConfig["random"] {
  let untouched = 1;
  return FAULT_SHARES.map(({ share, action }) => {
    const rate = share / untouched;
    untouched -= share;
    return { rate, action };
  });
}

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("chaos: the local pipeline under API faults, crashes and timeouts", () => {
  it("applies the newest value of every field, accounts for every event and dead-letters only invalid ones", async () => {
    // Prepare
    const startedAt = Date.now();
    const plan = buildChaosPlan(seededRandom(SEED), {
      groups: GROUPS,
      eventsPerGroup: 16,
      byExternalIdShare: 0.25,
      duplicateRate: 0.1,
      disorder: 3,
      // Every group's run opens with one, so every transient failure to replay sits behind an invalid event.
      invalidEvents: GROUPS,
    });
    const chaos = chaosHandler(seededRandom(SEED ^ 0x9e3779b9), {
      crashBefore: 0.03,
      crashMidBatch: 0.03,
      timeoutAfterWork: 0.02,
      squeezed: 0.05,
      squeezedMs: 250,
    });
    stack = await startLocalStack({
      groups: plan.seeds,
      faults: { seed: SEED, random: faultRules() },
      batchSize: 10,
      maxConcurrency: 8,
      functionTimeoutMs: 1_500,
      visibilityTimeoutSeconds: 2,
      // Two deliveries: transient failures do exhaust now and then, so the replay has work to do.
      maxReceiveCount: 2,
      syncEnv: {
        API_ATTEMPT_TIMEOUT_MS: "400",
        API_MAX_ATTEMPTS: "3",
        API_RETRY_BASE_DELAY_MS: "10",
        API_RETRY_MAX_DELAY_MS: "50",
        API_CONCURRENCY: "16",
        DEADLINE_SAFETY_MARGIN_MS: "150",
      },
      wrapHandler: chaos.wrap,
      // Several containers at once, each with its own caches and limiter, sharing the ledger: groups addressed
      // by id and by external reference meet in different containers.
      containers: "per-invocation",
    });
    const emulator = stack.emulator;
    if (!emulator) throw new Error("the chaos test needs the emulator");
    const trail = new CopyTrail();

    // Act
    const messageIds = await sendMessages(stack.sqs, stack.queueUrl, plan.sends);
    for (const id of messageIds) trail.addCopy(id);
    await stack.whenIdle();
    let replays = 0;
    let rotations = 0;
    let reachedPastRotated = 0;
    let rounds = 0;
    const replayFailures: string[] = [];
    while (rounds < MAX_REPLAY_ROUNDS) {
      const { counts, ...round } = await replayTransient(stack, trail);
      const failures =
        counts.send_failed + counts.delete_failed + counts.rotate_failed + counts.rotate_delete_failed;
      if (failures > 0) replayFailures.push(JSON.stringify(counts));
      rotations += counts.rotated;
      reachedPastRotated += round.reachedPastRotated;
      if (counts.replayed === 0) break;
      replays += counts.replayed;
      rounds += 1;
      await stack.whenIdle();
    }
    const deadLetters = await drainQueue(stack.sqs, stack.dlqUrl);

    // Assess
    const journal = emulator.journal;
    const figures = {
      seed: SEED,
      events_sent: plan.sends.length,
      distinct_valid_events: plan.events.length,
      groups: plan.seeds.length,
      api_calls: journal.length,
      retries: stack.outcomes.api.retries,
      http_429: journal.filter((entry) => entry.status === 429).length,
      resets: journal.filter((entry) => entry.status === "reset").length,
      hangs: journal.filter((entry) => entry.status === "hang").length,
      invocations: chaos.counters.invocations,
      crashes: chaos.counters.crashedBefore + chaos.counters.crashedMidBatch,
      timeouts: chaos.counters.timedOut,
      squeezed: chaos.counters.squeezed,
      replays,
      replay_rounds: rounds,
      rotations,
      replayed_past_rotated: reachedPastRotated,
      dlq_messages: deadLetters.length,
      containers: stack.containersStarted(),
      duration_ms: Date.now() - startedAt,
    };
    console.log(`chaos figures ${JSON.stringify(figures)}`);

    expect(replayFailures).toEqual([]);
    const want = expectedFinalState(plan);
    const wrong = plan.seeds
      .map((seed) => ({ id: seed.id as string, got: emulator.group(seed.id as string) }))
      .filter(({ id, got }) => {
        const expected = want.get(id);
        return got?.name !== expected?.name || got?.external_reference_id !== expected?.external_reference_id;
      });
    expect(wrong).toEqual([]);

    // A DLQ message's permanent reason: the one the function recorded, or, for a message the queue's redrive moved
    // after a crash on its last delivery (no attribute), the one the contract gives its body now, as the CLI shows.
    const inDlq = deadLetters.map((message) => {
      const parsed = parseEventBody(message.Body ?? "");
      return {
        eventId: parsed.ok
          ? parsed.event.event_id
          : (JSON.parse(message.Body ?? "{}") as { event_id?: string }).event_id,
        reason:
          message.MessageAttributes?.[DLQ_ATTRIBUTES.reason]?.StringValue ??
          (parsed.ok ? "none" : parsed.reason),
      };
    });
    // At least once: such a crash can also leave a second copy of an event the function had dead-lettered.
    expect(new Set(inDlq.map(({ eventId }) => eventId))).toEqual(plan.invalidEventIds);
    expect(new Set(inDlq.map(({ reason }) => reason))).toEqual(new Set(["invalid_message"]));

    const labels = trail.finalLabels(stack.outcomes);
    const unaccounted = plan.sends
      .map((send, index) => ({ eventId: send.eventId, valid: send.valid, label: labels[index] }))
      .filter(({ eventId, valid, label }) =>
        valid
          ? !["applied", "duplicate", "stale", "superseded"].includes(label as string)
          : !inDlq.some((message) => message.eventId === eventId),
      );
    expect(unaccounted).toEqual([]);

    expect(staleWrites(journal, plan, stack.outcomes)).toEqual([]);

    // The run was chaotic for real: every kind of fault and failure happened at least once.
    expect(figures.containers).toBeGreaterThanOrEqual(2);
    expect(figures.http_429).toBeGreaterThan(0);
    expect(figures.resets).toBeGreaterThan(0);
    expect(figures.hangs).toBeGreaterThan(0);
    expect(figures.crashes).toBeGreaterThan(0);
    expect(figures.timeouts).toBeGreaterThan(0);
    expect(replays).toBeGreaterThan(0);
    // Each sat behind an invalid event in its DLQ message group: the replay got past a message it keeps.
    expect(figures.replayed_past_rotated).toBe(replays);
  }, 120_000);
});
