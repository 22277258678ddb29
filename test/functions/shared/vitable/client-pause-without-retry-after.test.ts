import { afterEach, describe, expect, it } from "vitest";
import { emulatorWithClient, stopEmulators } from "./support/emulator-client.ts";

const GROUP_A = { id: "grp_pauseTestGroupAaaaaaa", name: "Tier A", external_reference_id: "seg_pause_a" };
const GROUP_B = { id: "grp_pauseTestGroupBbbbbbb", name: "Tier B", external_reference_id: "seg_pause_b" };
// With random() = 0.5 the first backoff is half of baseDelayMs.
const BACKOFF_MS = 200;

afterEach(stopEmulators);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe("VitableClient over HTTP: a 429 without Retry-After", () => {
  it("pauses every other call of the client for the computed backoff, not only the throttled one", async () => {
    // Prepare: the first PATCH of group A is answered 429 with no delay header of any kind.
    const { emulator, client, attempts } = await emulatorWithClient(
      {
        groups: [GROUP_A, GROUP_B],
        faults: {
          script: [
            {
              method: "PATCH",
              pathPrefix: `/v1/groups/${GROUP_A.id}`,
              action: { type: "status", status: 429 },
            },
          ],
        },
      },
      { random: () => 0.5, retry: { baseDelayMs: 2 * BACKOFF_MS, maxDelayMs: 10_000 } },
    );

    // Act: the other call starts once the client has seen the 429, as another lane of the invocation would.
    const throttled = client.groups.update(GROUP_A.id, { name: "Tier A renamed" });
    await until(() => attempts.some((info) => info.status === 429));
    const other = await client.groups.update(GROUP_B.id, { name: "Tier B renamed" });
    await throttled;

    // Assess
    const [rateLimited, retried] = emulator.journal.filter((entry) => entry.groupId === GROUP_A.id);
    const [fromOther] = emulator.journal.filter((entry) => entry.groupId === GROUP_B.id);
    expect(rateLimited).toMatchObject({ status: 429, fault: "status:429" });
    expect(attempts.find((info) => info.status === 429)?.retryDelayMs).toBe(BACKOFF_MS);
    expect((fromOther?.at ?? 0) - (rateLimited?.at ?? 0)).toBeGreaterThanOrEqual(BACKOFF_MS);
    expect((retried?.at ?? 0) - (rateLimited?.at ?? 0)).toBeGreaterThanOrEqual(BACKOFF_MS);
    expect(other.name).toBe("Tier B renamed");
    expect(emulator.group(GROUP_A.id)?.name).toBe("Tier A renamed");
  });
});
