import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { applyUnit, type GroupUpdater } from "../../../functions/group-sync/apply-unit.ts";
import type { GroupRenamedEvent } from "../../../functions/shared/contract/group-renamed-event.ts";
import { NO_DEADLINE } from "../../../functions/shared/deadline.ts";
import { DynamoDbLedgerStore } from "../../../functions/shared/ledger/dynamodb-ledger-store.ts";
import { canonicalInstant } from "../../../functions/shared/time/canonical-instant.ts";
import type { GroupUpdateParams } from "../../../functions/shared/vitable/types.ts";
import { makeEvent } from "../../support/events.ts";

// Narrow unit test of how many DynamoDB requests the ledger costs per coalesced unit; behaviour is tested
// against dynalite and the emulator elsewhere.
const TABLE = "ledger-calls";
const GROUP = "grp_CCCCCCCCCCCCCCCCCCCCCC";
const COMMANDS = {
  BatchGetItem: BatchGetItemCommand,
  GetItem: GetItemCommand,
  UpdateItem: UpdateItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
  PutItem: PutItemCommand,
} as const;
type Item = Record<string, AttributeValue>;
const LIVE = { expires_at: { N: String(Math.floor(Date.now() / 1000) + 86_400) } };

function unitOf(size: number): GroupRenamedEvent[] {
  return Array.from({ length: size }, (_, index) =>
    makeEvent({
      group: { id: GROUP },
      occurred_at: new Date(Date.UTC(2026, 0, 16, 9, 0, index)).toISOString(),
      changes: { name: `Tier ${index}` },
    }),
  );
}

const newerGroupItem = (): Item => ({
  pk: { S: `group#${GROUP}` },
  name_instant: { S: canonicalInstant("2027-01-01T00:00:00Z") ?? "" },
  name_event_id: { S: "evt_newer" },
  name_value: { S: "Newer" },
  ...LIVE,
});

/** A mocked table holding `stored`; BatchGetItem answers with the stored items among the keys asked for. */
function prepare(stored: Item[]) {
  const client = new DynamoDBClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9" });
  const mock = mockClient(client);
  mock.on(BatchGetItemCommand).callsFake(async (input) => {
    const asked = new Set(input.RequestItems?.[TABLE]?.Keys?.map((key: Item) => key.pk?.S));
    return { Responses: { [TABLE]: stored.filter((item) => asked.has(item.pk?.S)) } };
  });
  mock.on(GetItemCommand).resolves({});
  mock.on(UpdateItemCommand).resolves({ Attributes: {} });
  mock.on(BatchWriteItemCommand).resolves({});
  mock.on(PutItemCommand).resolves({});
  const patches: GroupUpdateParams[] = [];
  const groups: GroupUpdater = {
    update: async (id, params) => {
      patches.push(params);
      return {
        id,
        name: params.name ?? "",
        external_reference_id: "ref",
        created_at: null,
        updated_at: null,
      };
    },
  };
  const deps = {
    groups,
    ledger: new DynamoDbLedgerStore({ tableName: TABLE, client }),
    deadline: NO_DEADLINE,
  };
  const counts = () =>
    Object.fromEntries(
      Object.entries(COMMANDS).map(([name, command]) => [
        name,
        mock.calls().filter((call) => call.args[0] instanceof command).length,
      ]),
    );
  const first = () => mock.calls()[0]?.args[0];
  return { deps, patches, counts, first };
}

describe("applyUnit: DynamoDB requests per coalesced unit", () => {
  it.each([
    { label: "1 event that applies", size: 1, stored: () => [], batchWrites: 1 },
    { label: "10 events that apply", size: 10, stored: () => [], batchWrites: 1 },
    { label: "99 events that apply", size: 99, stored: () => [], batchWrites: 4 },
  ])("reads the ledger once for $label, then writes watermarks and event ids", async (c) => {
    // Prepare
    const { deps, patches, counts, first } = prepare(c.stored());

    // Act
    const result = await applyUnit(GROUP, unitOf(c.size), deps);

    // Assess
    expect(result.outcomes.at(-1)).toEqual({ outcome: "applied", fields: ["name"] });
    expect(patches).toEqual([{ name: `Tier ${c.size - 1}` }]);
    expect(first()).toBeInstanceOf(BatchGetItemCommand);
    expect(counts()).toEqual({
      BatchGetItem: 1,
      GetItem: 0,
      UpdateItem: 1,
      BatchWriteItem: c.batchWrites,
      PutItem: 0,
    });
  });

  it.each([
    {
      label: "all stale",
      stored: () => [newerGroupItem()],
      outcome: { outcome: "skipped", reason: "stale" },
      // advance() without fields reads the group (GetItem) for its result, then records the ids.
      after: { GetItem: 1, BatchWriteItem: 1 },
    },
    {
      label: "all already seen",
      stored: (events: GroupRenamedEvent[]) =>
        events.map((e) => ({ pk: { S: `event#${e.event_id}` }, ...LIVE })),
      outcome: { outcome: "skipped", reason: "duplicate" },
      after: { GetItem: 0, BatchWriteItem: 0 },
    },
  ])("reads the ledger once for a unit of 10 events that are $label, and sends no PATCH", async (c) => {
    // Prepare
    const events = unitOf(10);
    const { deps, patches, counts } = prepare(c.stored(events));

    // Act
    const result = await applyUnit(GROUP, events, deps);

    // Assess
    expect(result.outcomes).toEqual(events.map(() => c.outcome));
    expect(patches).toEqual([]);
    expect(counts()).toEqual({ BatchGetItem: 1, UpdateItem: 0, PutItem: 0, ...c.after });
  });
});
