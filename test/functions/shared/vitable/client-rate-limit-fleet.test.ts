import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../../../../functions/shared/defaults.ts";
import { staticApiKey } from "../../../../functions/shared/vitable/api-key.ts";
import { VitableClient } from "../../../../functions/shared/vitable/client.ts";
import {
  type RunningVitableEmulator,
  startVitableEmulator,
} from "../../../../local/vitable-emulator/index.ts";
import { EMULATOR_KEY } from "./support/emulator-client.ts";

const CONTAINERS = 4;
const BATCH = 10;
const PER_SECOND = 200;
/** About three windows of the server's limit: one to meet the limit, two where the 429s are counted. */
const EVENTS = 600;
const WINDOW_MS = 1000;
const LATENCY_MS = 10;
const groupId = (index: number) => `grp_fleet${String(index).padStart(5, "0")}`;

let emulator: RunningVitableEmulator;

beforeAll(async () => {
  emulator = await startVitableEmulator({
    apiKeys: [EMULATOR_KEY],
    groups: Array.from({ length: EVENTS }, (_, index) => ({
      id: groupId(index),
      name: `Group ${index}`,
      external_reference_id: `fleet-${index}`,
    })),
  });
});

afterAll(async () => {
  await emulator.stop();
});

/** One client per container, as each Lambda container builds its own. */
function fleet(adaptiveRate: false | undefined): VitableClient[] {
  return Array.from(
    { length: CONTAINERS },
    () =>
      new VitableClient({
        baseUrl: emulator.url,
        apiKey: staticApiKey(EMULATOR_KEY),
        concurrency: DEFAULTS.apiConcurrency,
        ...(adaptiveRate === false ? { adaptiveRate } : {}),
      }),
  );
}

/**
 * The containers take batches of 10 renames from one shared queue and send each batch's PATCHes at once, as the
 * sync handler does at the default API_CONCURRENCY. Returns the 429s after the server's first window: in the first
 * one every container meets the limit with all its requests in flight, with or without the limiter.
 */
async function settled429s(adaptiveRate: false | undefined, label: string): Promise<number> {
  emulator.setFaults({ latencyMs: LATENCY_MS, rateLimit: { perSecond: PER_SECOND } });
  emulator.clearJournal();
  const queue = Array.from({ length: EVENTS }, (_, index) => index);
  const container = async (client: VitableClient) => {
    for (let batch = queue.splice(0, BATCH); batch.length > 0; batch = queue.splice(0, BATCH)) {
      await Promise.all(
        batch.map((index) => client.groups.update(groupId(index), { name: `${label} ${index}` })),
      );
    }
  };
  await Promise.all(fleet(adaptiveRate).map(container));
  // The emulator's window opens at the first request it counts.
  const firstWindowEnds = (emulator.journal[0]?.at ?? 0) + WINDOW_MS;
  return emulator.journal.filter((entry) => entry.status === 429 && entry.at >= firstWindowEnds).length;
}

describe("VitableClient fleet under a server rate limit, over HTTP", () => {
  it("once it has met the limit, receives far fewer 429s with the adaptive limiter than with the pause alone", async () => {
    // Act: the same fleet and load, first with only the shared 429 pause, then with the adaptive limiter.
    const pauseOnly = await settled429s(false, "pause only");
    const adaptive = await settled429s(undefined, "adaptive");

    // Assess: every rename landed, and the limiter cut the 429s to a fraction (with the pause alone, every request in
    // flight when a window fills gets one: up to 4 × 10 per window).
    for (let index = 0; index < EVENTS; index++) {
      expect(emulator.group(groupId(index))?.name).toBe(`adaptive ${index}`);
    }
    expect(pauseOnly).toBeGreaterThan(0);
    expect(adaptive).toBeLessThan(pauseOnly / 3);
  });
});
