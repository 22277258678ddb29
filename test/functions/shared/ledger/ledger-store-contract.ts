import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type FieldState,
  type FieldStates,
  type LedgerStore,
  SYNCED_FIELDS,
  type SyncedField,
} from "../../../../functions/shared/ledger/ledger-store.ts";
import { canonicalInstant } from "../../../../functions/shared/time/canonical-instant.ts";
import { eventIdsOf, expectHonestResult, newestPerField, racingCall } from "./racing-advances.ts";

/**
 * The one behaviour every LedgerStore must show. `store` and `peer` are two handles on the same ledger, as two
 * Lambda invocations would hold (the in-memory store can only offer itself twice).
 */
export interface LedgerStoreFixture {
  store: LedgerStore;
  peer: LedgerStore;
}
export type OpenLedgerStores = (options: {
  ttlSeconds: number;
  now: () => number;
}) => Promise<LedgerStoreFixture>;

const TTL_SECONDS = 3600;
const START_MS = Date.UTC(2026, 2, 1, 12, 0, 0);

class ManualClock {
  private ms = START_MS;
  readonly now = (): number => this.ms;
  passSeconds(seconds: number): void {
    this.ms += seconds * 1000;
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

const T1 = "2026-03-01T10:00:00Z";
const T2 = "2026-03-01T11:00:00Z";
const T3 = "2026-03-01T12:00:00Z";
const NAME = state(T1, "evt_1", "Tier 1");
const REF = state(T2, "evt_2", "ref_2");

export function describeLedgerStoreContract(
  name: string,
  open: OpenLedgerStores,
  settings: { propertyRuns: number },
): void {
  async function prepare() {
    const clock = new ManualClock();
    const { store, peer } = await open({ ttlSeconds: TTL_SECONDS, now: clock.now });
    return { clock, store, peer, groupId: newGroupId() };
  }

  describe(`${name}: the LedgerStore contract`, () => {
    it("knows nothing of a group, event or alias it never recorded", async () => {
      // Prepare
      const { store, groupId } = await prepare();

      // Act
      const [group, noEvents, unknownEvents, alias] = await Promise.all([
        store.getGroup(groupId),
        store.findRecordedEvents([]),
        store.findRecordedEvents(["evt_never"]),
        store.resolveAlias("ref_never"),
      ]);

      // Assess
      expect(group).toBeUndefined();
      expect(noEvents).toEqual(new Set());
      expect(unknownEvents).toEqual(new Set());
      expect(alias).toBeUndefined();
    });

    it.each<{ label: string; fields: FieldStates }>([
      { label: "name only", fields: { name: state(T1, "evt_1", "Tier 1") } },
      { label: "external_reference_id only", fields: { external_reference_id: state(T1, "evt_1", "ref_1") } },
      {
        label: "both fields",
        fields: { name: state(T1, "evt_1", "Tier 1"), external_reference_id: state(T2, "evt_2", "ref_2") },
      },
    ])("advance() on an empty group stores $label", async ({ fields }) => {
      // Prepare
      const { store, groupId } = await prepare();

      // Act
      const result = await store.advance(groupId, fields, ["evt_1"]);

      // Assess
      expect(result).toEqual({ entry: { groupId, fields }, overtaken: [] });
      expect(await store.getGroup(groupId)).toEqual({ groupId, fields });
    });

    const forwardCases = [
      { label: "an older instant", incoming: state(T1, "evt_z"), applies: false },
      { label: "the same instant and a lower event id", incoming: state(T2, "evt_a"), applies: false },
      {
        label: "the very same watermark (a replay)",
        incoming: state(T2, "evt_m", "replayed"),
        applies: false,
      },
      { label: "the same instant and a higher event id", incoming: state(T2, "evt_n"), applies: true },
      { label: "a newer instant", incoming: state(T3, "evt_a"), applies: true },
    ];
    it.each(forwardCases.flatMap((c) => SYNCED_FIELDS.map((field) => ({ ...c, field }))))(
      "a write to $field with $label applies: $applies",
      async ({ field, incoming, applies }) => {
        // Prepare
        const { store, groupId } = await prepare();
        const stored = state(T2, "evt_m");
        await store.advance(groupId, { [field]: stored }, []);

        // Act
        const result = await store.advance(groupId, { [field]: incoming }, []);

        // Assess
        const winner = applies ? incoming : stored;
        expect(result).toEqual({
          entry: { groupId, fields: { [field]: winner } },
          overtaken: applies ? [] : [field],
        });
        expect(await store.getGroup(groupId)).toEqual({ groupId, fields: { [field]: winner } });
      },
    );

    it.each<{ newerField: SyncedField; olderField: SyncedField }>([
      { newerField: "name", olderField: "external_reference_id" },
      { newerField: "external_reference_id", olderField: "name" },
    ])("moves $olderField while $newerField stays put, in one write", async ({ newerField, olderField }) => {
      // Prepare
      const { store, groupId } = await prepare();
      const kept = state(T3, "evt_kept");
      await store.advance(groupId, { [newerField]: kept, [olderField]: state(T1, "evt_old") }, []);
      const incoming = { [newerField]: state(T2, "evt_mid"), [olderField]: state(T2, "evt_mid") };

      // Act
      const result = await store.advance(groupId, incoming, []);

      // Assess
      const expected = { [newerField]: kept, [olderField]: incoming[olderField] };
      expect(result).toEqual({ entry: { groupId, fields: expected }, overtaken: [newerField] });
      expect(await store.getGroup(groupId)).toEqual({ groupId, fields: expected });
    });

    const tieBreaks = [
      { label: "b over a", older: "evt_a", newer: "evt_b", jsAgrees: true },
      { label: "a over 9", older: "evt_9", newer: "evt_a", jsAgrees: true },
      { label: "a longer id over its prefix", older: "evt_a", newer: "evt_a0", jsAgrees: true },
      { label: "U+10000 over U+E000", older: "evt_\u{E000}", newer: "evt_\u{10000}", jsAgrees: false },
      { label: "U+1F600 over U+FFFF", older: "evt_\u{FFFF}", newer: "evt_\u{1F600}", jsAgrees: false },
      { label: "U+1D11E a over U+FF5E z", older: "evt_\u{FF5E}z", newer: "evt_\u{1D11E}a", jsAgrees: false },
    ];
    it.each(tieBreaks.flatMap((c) => [true, false].map((olderFirst) => ({ ...c, olderFirst }))))(
      "at equal instants the tie goes by code point order: $label (older first: $olderFirst)",
      async (c) => {
        // Prepare
        const { store, groupId } = await prepare();
        expect(c.older < c.newer).toBe(c.jsAgrees); // the case really is one where UTF-16 order agrees or not
        const older = state(T2, c.older);
        const newer = state(T2, c.newer);
        const [first, second] = c.olderFirst ? [older, newer] : [newer, older];
        await store.advance(groupId, { name: first }, []);

        // Act
        const result = await store.advance(groupId, { name: second }, []);

        // Assess
        expect(result.overtaken).toEqual(c.olderFirst ? [] : ["name"]);
        expect((await store.getGroup(groupId))?.fields.name).toEqual(newer);
      },
    );

    it.each([
      {
        label: "a later instant whose local wall clock reads earlier",
        stored: state("2026-03-01T12:00:00Z", "evt_b"),
        incoming: state("2026-03-01T07:30:00-05:00", "evt_a"),
        applies: true,
      },
      {
        label: "an earlier instant whose local wall clock reads later",
        stored: state("2026-03-01T12:00:00Z", "evt_a"),
        incoming: state("2026-03-01T13:00:00+02:00", "evt_b"),
        applies: false,
      },
      {
        label: "the same instant in another offset with a lower event id",
        stored: state("2026-03-01T12:00:00Z", "evt_b"),
        incoming: state("2026-03-01T14:00:00+02:00", "evt_a"),
        applies: false,
      },
      {
        label: "the same instant in another offset with a higher event id",
        stored: state("2026-03-01T12:00:00+00:00", "evt_b"),
        incoming: state("2026-03-01T06:30:00-05:30", "evt_c"),
        applies: true,
      },
      {
        label: "an earlier instant on the previous UTC day",
        stored: state("2026-02-28T23:45:00Z", "evt_a"),
        incoming: state("2026-03-01T00:30:00+01:00", "evt_b"),
        applies: false,
      },
      {
        label: "a shorter but larger fraction",
        stored: state("2026-03-01T12:00:00.123456789Z", "evt_b"),
        incoming: state("2026-03-01T12:00:00.5Z", "evt_a"),
        applies: true,
      },
      {
        label: "a nanosecond earlier",
        stored: state("2026-03-01T12:00:00.000000001Z", "evt_a"),
        incoming: state("2026-03-01T12:00:00Z", "evt_b"),
        applies: false,
      },
    ])("a write at $label applies: $applies", async ({ stored, incoming, applies }) => {
      // Prepare
      const { store, groupId } = await prepare();
      await store.advance(groupId, { name: stored }, []);

      // Act
      await store.advance(groupId, { name: incoming }, []);

      // Assess
      expect((await store.getGroup(groupId))?.fields.name).toEqual(applies ? incoming : stored);
    });

    it("refuses an instant that is not canonical, since string order would no longer be time order", async () => {
      // Prepare
      const { store, groupId } = await prepare();
      const raw = { instant: "2026-03-01T12:00:00+02:00", eventId: "evt_raw", value: "Raw" };

      // Act
      const attempt = store.advance(groupId, { name: raw }, ["evt_raw"]);

      // Assess
      await expect(attempt).rejects.toThrow(RangeError);
      expect(await store.getGroup(groupId)).toBeUndefined();
    });

    it("records event ids and finds exactly those, across many batches", async () => {
      // Prepare
      const { store, groupId } = await prepare();
      const recorded = eventIds("evt_seen", 240);
      const unknown = eventIds("evt_unseen", 60);
      await store.advance(groupId, {}, [...recorded, recorded[0] ?? ""]);

      // Act
      const found = await store.findRecordedEvents([...unknown, ...recorded, ...recorded.slice(0, 5)]);

      // Assess
      expect(found).toEqual(new Set(recorded));
    });

    it("records the event ids of a write whose fields were all overtaken, so a replay reads as a duplicate", async () => {
      // Prepare
      const { store, groupId } = await prepare();
      await store.advance(groupId, { name: state(T3, "evt_new") }, ["evt_new"]);

      // Act
      const result = await store.advance(groupId, { name: state(T1, "evt_old") }, ["evt_old"]);

      // Assess
      expect(result.overtaken).toEqual(["name"]);
      expect(await store.findRecordedEvents(["evt_old", "evt_new", "evt_other"])).toEqual(
        new Set(["evt_old", "evt_new"]),
      );
    });

    it.each<{
      label: string;
      arrange: (store: LedgerStore, clock: ManualClock, groupId: string) => Promise<unknown>;
      ask: string[];
      fields: FieldStates | undefined;
      recorded: string[];
    }>([
      {
        label: "nothing for a group never written",
        arrange: async () => {},
        ask: [],
        fields: undefined,
        recorded: [],
      },
      {
        label: "nothing for events never recorded",
        arrange: async () => {},
        ask: ["evt_1", "evt_2"],
        fields: undefined,
        recorded: [],
      },
      {
        label: "the group alone",
        arrange: (store, _, groupId) => store.advance(groupId, { name: NAME }, []),
        ask: ["evt_1"],
        fields: { name: NAME },
        recorded: [],
      },
      {
        label: "the events alone",
        arrange: (store, _, groupId) => store.advance(groupId, {}, ["evt_1", "evt_2"]),
        ask: ["evt_1", "evt_2", "evt_3"],
        fields: undefined,
        recorded: ["evt_1", "evt_2"],
      },
      {
        label: "the group and the events asked for, each once",
        arrange: (store, _, groupId) =>
          store.advance(groupId, { name: NAME, external_reference_id: REF }, ["evt_1", "evt_2"]),
        ask: ["evt_2", "evt_3", "evt_2"],
        fields: { name: NAME, external_reference_id: REF },
        recorded: ["evt_2"],
      },
      {
        label: "events recorded under another group, but not that group's watermarks",
        arrange: (store, _, groupId) => store.advance(`${groupId}_other`, { name: NAME }, ["evt_1"]),
        ask: ["evt_1"],
        fields: undefined,
        recorded: ["evt_1"],
      },
      {
        label: "nothing once the group and the events expired",
        arrange: async (store, clock, groupId) => {
          await store.advance(groupId, { name: NAME }, ["evt_1"]);
          clock.passSeconds(TTL_SECONDS);
        },
        ask: ["evt_1"],
        fields: undefined,
        recorded: [],
      },
      {
        label: "a group refreshed after its event expired, without the event",
        arrange: async (store, clock, groupId) => {
          await store.advance(groupId, { name: NAME }, ["evt_1"]);
          clock.passSeconds(TTL_SECONDS / 2);
          await store.advance(groupId, { external_reference_id: REF }, []);
          clock.passSeconds(TTL_SECONDS / 2);
        },
        ask: ["evt_1"],
        fields: { name: NAME, external_reference_id: REF },
        recorded: [],
      },
      {
        label: "an event recorded after its group expired, without the group",
        arrange: async (store, clock, groupId) => {
          await store.advance(groupId, { name: NAME }, []);
          clock.passSeconds(TTL_SECONDS / 2);
          await store.advance(groupId, {}, ["evt_2"]);
          clock.passSeconds(TTL_SECONDS / 2);
        },
        ask: ["evt_1", "evt_2"],
        fields: undefined,
        recorded: ["evt_2"],
      },
    ])("load() reads $label", async ({ arrange, ask, fields, recorded }) => {
      // Prepare
      const { store, clock, groupId } = await prepare();
      await arrange(store, clock, groupId);

      // Act
      const reading = await store.load(groupId, ask);

      // Assess
      expect(reading).toEqual({
        entry: fields === undefined ? undefined : { groupId, fields },
        recorded: new Set(recorded),
      });
    });

    it("load() reads a group with more than 100 event ids, across batches", async () => {
      // Prepare
      const { store, peer, groupId } = await prepare();
      const recorded = eventIds("evt_loaded", 150);
      const unknown = eventIds("evt_unknown", 60);
      await store.advance(groupId, { name: NAME }, recorded);

      // Act
      const reading = await peer.load(groupId, [...unknown, ...recorded, ...recorded.slice(0, 5)]);

      // Assess
      expect(reading).toEqual({ entry: { groupId, fields: { name: NAME } }, recorded: new Set(recorded) });
    });

    it.each<{ label: string; remember: [string, string][]; ref: string; expected: string | undefined }>([
      { label: "a remembered alias", remember: [["ref_1", "grp_a"]], ref: "ref_1", expected: "grp_a" },
      {
        label: "the group an alias last pointed to",
        remember: [
          ["ref_1", "grp_a"],
          ["ref_1", "grp_b"],
        ],
        ref: "ref_1",
        expected: "grp_b",
      },
      {
        label: "an alias with emoji",
        remember: [["réf_🚀_✨", "grp_c"]],
        ref: "réf_🚀_✨",
        expected: "grp_c",
      },
      {
        label: "nothing for another alias",
        remember: [["ref_1", "grp_a"]],
        ref: "ref_2",
        expected: undefined,
      },
    ])("resolves $label", async ({ remember, ref, expected }) => {
      // Prepare
      const { store } = await prepare();
      for (const [alias, group] of remember) await store.rememberAlias(alias, group);

      // Act
      const resolved = await store.resolveAlias(ref);

      // Assess
      expect(resolved).toBe(expected);
    });

    it("round-trips values and event ids beyond the Basic Multilingual Plane", async () => {
      // Prepare
      const { store, peer, groupId } = await prepare();
      const fields = {
        name: state(T1, "evt_🙂", "Équipe 🚀 – naïve ✨ \u{10FFFF}"),
        external_reference_id: state(T1, "evt_\u{1D11E}", "ref_🙂_01"),
      };

      // Act
      await store.advance(groupId, fields, ["evt_🙂"]);

      // Assess
      expect(await peer.getGroup(groupId)).toEqual({ groupId, fields });
      expect(await peer.findRecordedEvents(["evt_🙂"])).toEqual(new Set(["evt_🙂"]));
      expect(await peer.load(groupId, ["evt_🙂"])).toEqual({
        entry: { groupId, fields },
        recorded: new Set(["evt_🙂"]),
      });
    });

    it("forgets a group, its events and its aliases once the TTL passes without writes", async () => {
      // Prepare
      const { store, clock, groupId } = await prepare();
      await store.advance(groupId, { name: state(T1, "evt_1") }, ["evt_1"]);
      await store.rememberAlias("ref_1", groupId);
      clock.passSeconds(TTL_SECONDS - 1);
      const justBefore = await snapshot(store, groupId);

      // Act
      clock.passSeconds(1);
      const after = await snapshot(store, groupId);

      // Assess
      expect(justBefore).toEqual({ hasGroup: true, events: new Set(["evt_1"]), alias: groupId });
      expect(after).toEqual({ hasGroup: false, events: new Set(), alias: undefined });
    });

    it("restarts a group's TTL on every write, for the fields that write left alone too", async () => {
      // Prepare
      const { store, clock, groupId } = await prepare();
      const fields = { name: state(T1, "evt_1"), external_reference_id: state(T2, "evt_2") };
      await store.advance(groupId, { name: fields.name }, []);
      clock.passSeconds(TTL_SECONDS / 2);
      await store.advance(groupId, { external_reference_id: fields.external_reference_id }, []);

      // Act
      clock.passSeconds(TTL_SECONDS / 2);
      const whenFirstWriteWouldHaveExpired = await store.getGroup(groupId);
      clock.passSeconds(TTL_SECONDS / 2);
      const whenSecondWriteExpired = await store.getGroup(groupId);

      // Assess
      expect(whenFirstWriteWouldHaveExpired).toEqual({ groupId, fields });
      expect(whenSecondWriteExpired).toBeUndefined();
    });

    it.each([
      { label: "an older event", incoming: state(T1, "evt_1") },
      { label: "a newer event", incoming: state(T3, "evt_3") },
    ])(
      "starts an expired group afresh: $label applies and the other field stays gone",
      async ({ incoming }) => {
        // Prepare
        const { store, clock, groupId } = await prepare();
        await store.advance(
          groupId,
          { name: state(T2, "evt_2"), external_reference_id: state(T2, "evt_2") },
          [],
        );
        clock.passSeconds(TTL_SECONDS);

        // Act
        const result = await store.advance(groupId, { name: incoming }, []);

        // Assess
        expect(result).toEqual({ entry: { groupId, fields: { name: incoming } }, overtaken: [] });
        expect(await store.getGroup(groupId)).toEqual({ groupId, fields: { name: incoming } });
      },
    );

    it("ends with the newest watermark per field when invocations race on one group", async () => {
      const { store, peer } = await prepare();
      await fc.assert(
        fc.asyncProperty(fc.array(racingCall, { minLength: 2, maxLength: 12 }), async (calls) => {
          // Prepare
          const groupId = newGroupId();

          // Act
          const results = await Promise.all(
            calls.map(({ viaPeer, fields }) =>
              (viaPeer ? peer : store).advance(groupId, fields, eventIdsOf(fields)),
            ),
          );

          // Assess
          expect((await store.getGroup(groupId))?.fields ?? {}).toEqual(newestPerField(calls));
          for (const [index, call] of calls.entries()) expectHonestResult(call.fields, results[index]);
          expect(await store.findRecordedEvents(calls.flatMap((c) => eventIdsOf(c.fields)))).toEqual(
            new Set(calls.flatMap((c) => eventIdsOf(c.fields))),
          );
        }),
        { numRuns: settings.propertyRuns },
      );
    });
  });
}

function eventIds(prefix: string, count: number): string[] {
  const ids = Array.from(
    { length: count - 2 },
    (_, index) => `${prefix}_${index}_${index % 3 === 0 ? "🙂" : "x"}`,
  );
  // The longest event id the sync accepts: 255 code points, 1020 bytes of UTF-8.
  ids.push(
    `${prefix}_`.padEnd(255, "a"),
    [...`${prefix}_`, ..."\u{1F600}".repeat(250)].slice(0, 255).join(""),
  );
  return ids;
}

async function snapshot(store: LedgerStore, groupId: string) {
  return {
    hasGroup: (await store.getGroup(groupId)) !== undefined,
    events: await store.findRecordedEvents(["evt_1"]),
    alias: await store.resolveAlias("ref_1"),
  };
}
