import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SEEN_EVENTS } from "../../../../functions/shared/ledger/group-state.ts";
import {
  type FieldState,
  type FieldStates,
  LeaseLostError,
  type LedgerReading,
  type LedgerStore,
  LedgerUnavailableError,
} from "../../../../functions/shared/ledger/ledger-store.ts";
import { canonicalInstant } from "../../../../functions/shared/time/canonical-instant.ts";

/**
 * The one behaviour every LedgerStore must show. `store` and `peer` are two handles on the same ledger, as two
 * Lambda containers would hold (the in-memory store can only offer itself twice).
 */
export interface LedgerStoreFixture {
  store: LedgerStore;
  peer: LedgerStore;
  /**
   * Whether a refused acquire carries the holder's item. DynamoDB does (ALL_OLD); dynalite does not implement
   * it, so against dynalite the sync simply retries such events later.
   */
  refusalCarriesItem: boolean;
}
export type OpenLedgerStores = (options: {
  ttlSeconds: number;
  now: () => number;
}) => Promise<LedgerStoreFixture>;

const TTL_SECONDS = 3600;
const START_MS = Date.UTC(2026, 2, 1, 12, 0, 0);
const LEASE_MS = 60_000;

class ManualClock {
  private ms = START_MS;
  readonly now = (): number => this.ms;
  passMs(ms: number): void {
    this.ms += ms;
  }
}

/** Canonical form of an RFC 3339 timestamp, as the sync Lambda hands it to the ledger. */
export function at(timestamp: string): string {
  const instant = canonicalInstant(timestamp);
  if (instant === undefined) throw new Error(`test timestamp ${timestamp} is not RFC 3339`);
  return instant;
}

function state(timestamp: string, eventId: string, value = `set by ${eventId}`): FieldState {
  return { instant: at(timestamp), eventId, value };
}

let groupCounter = 0;
function newGroupId(): string {
  groupCounter += 1;
  return `grp_contract${groupCounter}`;
}

/** Reads a group through the public API (take the lease, give it back unchanged), as a test helper. */
export async function readGroup(
  store: LedgerStore,
  groupId: string,
  eventIds: readonly string[],
  now: () => number,
): Promise<LedgerReading> {
  const acquisition = await store.acquire(groupId, eventIds, now() + LEASE_MS);
  if (!acquisition.held) throw new Error(`test read of ${groupId}: the lease is held`);
  await store.release(acquisition.lease, {}, []);
  return acquisition.reading;
}

/** Takes the lease, writes `winners` and `eventIds`, gives the lease back. */
export async function write(
  store: LedgerStore,
  groupId: string,
  winners: FieldStates,
  eventIds: readonly string[],
  now: () => number,
): Promise<void> {
  const acquisition = await store.acquire(groupId, eventIds, now() + LEASE_MS);
  if (!acquisition.held) throw new Error(`test write to ${groupId}: the lease is held`);
  await store.release(acquisition.lease, winners, eventIds);
}

const T1 = "2026-03-01T10:00:00Z";
const T2 = "2026-03-01T11:00:00Z";

export function describeLedgerStoreContract(
  name: string,
  open: OpenLedgerStores,
  settings: { propertyRuns: number },
): void {
  async function prepare() {
    const clock = new ManualClock();
    const fixture = await open({ ttlSeconds: TTL_SECONDS, now: clock.now });
    return { clock, ...fixture, groupId: newGroupId() };
  }

  describe(`${name}: the LedgerStore contract`, () => {
    it("knows nothing of a group, event or alias it never recorded", async () => {
      const { store, groupId, clock } = await prepare();

      const acquisition = await store.acquire(groupId, ["evt_never"], clock.now() + LEASE_MS);

      expect(acquisition.held).toBe(true);
      expect(acquisition.reading).toEqual({ entry: undefined, recorded: new Set() });
      expect(await store.resolveAlias("ref_never")).toBeUndefined();
    });

    it.each<{ label: string; fields: FieldStates }>([
      { label: "name only", fields: { name: state(T1, "evt_1", "Tier 1") } },
      { label: "external_reference_id only", fields: { external_reference_id: state(T1, "evt_1", "ref_1") } },
      {
        label: "both fields",
        fields: { name: state(T1, "evt_1", "Tier 1"), external_reference_id: state(T2, "evt_2", "ref_2") },
      },
    ])("a release stores $label and the event ids, and returns the stored entry", async ({ fields }) => {
      const { store, peer, groupId, clock } = await prepare();
      const acquisition = await store.acquire(groupId, ["evt_1"], clock.now() + LEASE_MS);
      if (!acquisition.held) throw new Error("expected the lease");

      const entry = await store.release(acquisition.lease, fields, ["evt_1", "evt_2"]);

      expect(entry).toEqual({ groupId, fields });
      expect(await readGroup(peer, groupId, ["evt_1", "evt_2", "evt_3"], clock.now)).toEqual({
        entry: { groupId, fields },
        recorded: new Set(["evt_1", "evt_2"]),
      });
    });

    it("a release overwrites only the fields it is given", async () => {
      const { store, groupId, clock } = await prepare();
      await write(
        store,
        groupId,
        { name: state(T1, "evt_1", "One"), external_reference_id: state(T1, "evt_1", "r1") },
        ["evt_1"],
        clock.now,
      );

      await write(store, groupId, { name: state(T2, "evt_2", "Two") }, ["evt_2"], clock.now);

      expect((await readGroup(store, groupId, [], clock.now)).entry?.fields).toEqual({
        name: state(T2, "evt_2", "Two"),
        external_reference_id: state(T1, "evt_1", "r1"),
      });
    });

    it("a held lease refuses every other acquirer until it is released", async () => {
      const { store, peer, groupId, clock, refusalCarriesItem } = await prepare();
      await write(store, groupId, { name: state(T1, "evt_1", "One") }, ["evt_1"], clock.now);
      const until = clock.now() + LEASE_MS;
      const first = await store.acquire(groupId, [], until);
      if (!first.held) throw new Error("expected the lease");

      const refused = await peer.acquire(groupId, ["evt_1"], clock.now() + LEASE_MS);

      expect(refused.held).toBe(false);
      if (refused.held) return;
      if (refusalCarriesItem) {
        expect(refused.heldUntil).toBe(until);
        expect(refused.reading).toEqual({
          entry: { groupId, fields: { name: state(T1, "evt_1", "One") } },
          recorded: new Set(["evt_1"]),
        });
      } else {
        expect(refused.reading).toBeUndefined();
      }
      await store.release(first.lease, {}, []);
      expect((await peer.acquire(groupId, [], clock.now() + LEASE_MS)).held).toBe(true);
    });

    it("a lease that ran out is taken over, and its holder's release then fails without writing", async () => {
      const { store, peer, groupId, clock } = await prepare();
      const stale = await store.acquire(groupId, [], clock.now() + 1_000);
      if (!stale.held) throw new Error("expected the lease");
      clock.passMs(1_001);

      const fresh = await peer.acquire(groupId, [], clock.now() + LEASE_MS);
      if (!fresh.held) throw new Error("expected the expired lease to be taken over");
      const lost = await store
        .release(stale.lease, { name: state(T1, "evt_old", "Old") }, ["evt_old"])
        .catch((e) => e);
      await peer.release(fresh.lease, { name: state(T2, "evt_new", "New") }, ["evt_new"]);

      expect(lost).toBeInstanceOf(LeaseLostError);
      expect(await readGroup(store, groupId, ["evt_old", "evt_new"], clock.now)).toEqual({
        entry: { groupId, fields: { name: state(T2, "evt_new", "New") } },
        recorded: new Set(["evt_new"]),
      });
    });

    it("a lease is still held at its last millisecond", async () => {
      const { store, peer, groupId, clock } = await prepare();
      const until = clock.now() + 1_000;
      await store.acquire(groupId, [], until);
      clock.passMs(1_000);

      expect((await peer.acquire(groupId, [], clock.now() + LEASE_MS)).held).toBe(false);
    });

    it("of any number of simultaneous acquirers, exactly one gets the lease", async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 6 }), async (contenders) => {
          const { store, peer, groupId, clock } = await prepare();
          const results = await Promise.all(
            Array.from({ length: contenders }, (_, index) =>
              (index % 2 === 0 ? store : peer).acquire(groupId, [], clock.now() + LEASE_MS),
            ),
          );
          expect(results.filter((result) => result.held)).toHaveLength(1);
        }),
        { numRuns: settings.propertyRuns },
      );
    });

    it(`remembers the newest ${MAX_SEEN_EVENTS} event ids of a group, across releases`, async () => {
      const { store, groupId, clock } = await prepare();
      const ids = Array.from({ length: MAX_SEEN_EVENTS + 8 }, (_, index) => `evt_${index}`);
      for (let start = 0; start < ids.length; start += 10) {
        clock.passMs(1);
        await write(store, groupId, {}, ids.slice(start, start + 10), clock.now);
      }

      const { recorded } = await readGroup(store, groupId, ids, clock.now);

      expect(recorded).toEqual(new Set(ids.slice(-MAX_SEEN_EVENTS)));
    });

    it("an expired group counts as absent, and the next release does not bring its old fields back", async () => {
      const { store, groupId, clock } = await prepare();
      await write(
        store,
        groupId,
        { name: state(T1, "evt_1", "One"), external_reference_id: state(T1, "evt_1", "r1") },
        ["evt_1"],
        clock.now,
      );
      clock.passMs(TTL_SECONDS * 1000);

      const expired = await store.acquire(groupId, ["evt_1"], clock.now() + LEASE_MS);
      if (!expired.held) throw new Error("expected the lease");
      await store.release(expired.lease, { name: state(T2, "evt_2", "Two") }, ["evt_2"]);

      expect(expired.reading).toEqual({ entry: undefined, recorded: new Set() });
      expect(await readGroup(store, groupId, ["evt_1", "evt_2"], clock.now)).toEqual({
        entry: { groupId, fields: { name: state(T2, "evt_2", "Two") } },
        recorded: new Set(["evt_2"]),
      });
    });

    it("every release restarts the group's TTL", async () => {
      const { store, groupId, clock } = await prepare();
      await write(store, groupId, { name: state(T1, "evt_1", "One") }, ["evt_1"], clock.now);
      clock.passMs((TTL_SECONDS - 10) * 1000);
      await write(store, groupId, {}, ["evt_2"], clock.now);
      clock.passMs(20_000);

      expect((await readGroup(store, groupId, [], clock.now)).entry?.fields.name).toEqual(
        state(T1, "evt_1", "One"),
      );
    });

    it("aliases resolve to the group last remembered, until they expire", async () => {
      const { store, peer, clock } = await prepare();
      await store.rememberAlias("ref_a", "grp_first");
      await peer.rememberAlias("ref_a", "grp_second");

      expect(await store.resolveAlias("ref_a")).toBe("grp_second");
      clock.passMs(TTL_SECONDS * 1000);
      expect(await store.resolveAlias("ref_a")).toBeUndefined();
    });

    it("keeps characters beyond U+FFFF in ids, values and references exactly", async () => {
      const { store, peer, groupId, clock } = await prepare();
      const fields = {
        name: state(T1, "evt_🙂", "Tier 😀 ★"),
        external_reference_id: state(T1, "evt_🙂", "ref_𝄞"),
      };
      await write(store, groupId, fields, ["evt_🙂"], clock.now);
      await store.rememberAlias("ref_𝄞", groupId);

      expect(await readGroup(peer, groupId, ["evt_🙂", "evt_🙃"], clock.now)).toEqual({
        entry: { groupId, fields },
        recorded: new Set(["evt_🙂"]),
      });
      expect(await peer.resolveAlias("ref_𝄞")).toBe(groupId);
    });

    it("a call whose signal already aborted fails as unavailable and takes no lease", async () => {
      const { store, peer, groupId, clock } = await prepare();

      const failure = await store
        .acquire(groupId, [], clock.now() + LEASE_MS, { signal: AbortSignal.abort() })
        .catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(LedgerUnavailableError);
      expect((await peer.acquire(groupId, [], clock.now() + LEASE_MS)).held).toBe(true);
    });
  });
}
