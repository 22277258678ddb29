import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { UNPROCESSED_RETRY_DELAYS_MS } from "../../../../functions/shared/ledger/dynamodb-ledger-batches.ts";
import { DynamoDbLedgerStore } from "../../../../functions/shared/ledger/dynamodb-ledger-store.ts";
import { LedgerUnavailableError } from "../../../../functions/shared/ledger/ledger-store.ts";
import { at } from "./ledger-store-contract.ts";

// Narrow unit tests of paths dynalite never takes (throttled batches, endless write contention) and of how many
// requests each operation sends.
const TABLE = "ledger-mocked";

function prepareStore() {
  const client = new DynamoDBClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9" });
  const mock = mockClient(client);
  mock.on(GetItemCommand).resolves({});
  return { mock, store: new DynamoDbLedgerStore({ tableName: TABLE, client }) };
}

const eventIds = (count: number) => Array.from({ length: count }, (_, index) => `evt_${index}`);
const eventKey = (eventId: string) => ({ pk: { S: `event#${eventId}` } });

describe("DynamoDbLedgerStore batches", () => {
  it.each([
    { count: 1, writeSizes: [1], readSizes: [1] },
    { count: 25, writeSizes: [25], readSizes: [25] },
    { count: 26, writeSizes: [25, 1], readSizes: [26] },
    { count: 230, writeSizes: [25, 25, 25, 25, 25, 25, 25, 25, 25, 5], readSizes: [100, 100, 30] },
  ])("splits $count event ids into DynamoDB-sized batches", async ({ count, writeSizes, readSizes }) => {
    // Prepare
    const { mock, store } = prepareStore();
    mock.on(BatchWriteItemCommand).resolves({});
    mock.on(BatchGetItemCommand).resolves({});

    // Act
    await store.advance("grp_batches", {}, eventIds(count));
    await store.findRecordedEvents(eventIds(count));

    // Assess
    const written = mock
      .commandCalls(BatchWriteItemCommand)
      .map((c) => c.args[0].input.RequestItems?.[TABLE]);
    const read = mock
      .commandCalls(BatchGetItemCommand)
      .map((c) => c.args[0].input.RequestItems?.[TABLE]?.Keys);
    expect(written.map((requests) => requests?.length)).toEqual(writeSizes);
    expect(read.map((keys) => keys?.length)).toEqual(readSizes);
  });

  it.each([
    { count: 0, readSizes: [1] },
    { count: 1, readSizes: [2] },
    { count: 10, readSizes: [11] },
    { count: 99, readSizes: [100] },
    { count: 100, readSizes: [100, 1] },
    { count: 230, readSizes: [100, 100, 31] },
  ])("load() reads the group and $count event ids in BatchGetItem batches of $readSizes", async (c) => {
    // Prepare
    const { mock, store } = prepareStore();
    mock.on(BatchGetItemCommand).resolves({});
    const ids = eventIds(c.count);

    // Act
    await store.load("grp_one_read", [...ids, ...ids.slice(0, 3)]);

    // Assess
    const reads = mock
      .commandCalls(BatchGetItemCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]);
    expect(reads.map((request) => request?.Keys?.length)).toEqual(c.readSizes);
    expect(reads.every((request) => request?.ConsistentRead === true)).toBe(true);
    expect(reads.flatMap((request) => request?.Keys ?? [])).toEqual([
      { pk: { S: "group#grp_one_read" } },
      ...ids.map(eventKey),
    ]);
    expect(mock.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it("load() tells the group item from the event items in one answer, ignoring expired ones", async () => {
    // Prepare
    const { mock, store } = prepareStore();
    const live = { expires_at: { N: String(Math.floor(Date.now() / 1000) + 3600) } };
    const expired = { expires_at: { N: String(Math.floor(Date.now() / 1000) - 1) } };
    const name = { instant: at("2026-03-01T12:00:00Z"), eventId: "evt_1", value: "Tier 1" };
    mock.on(BatchGetItemCommand).resolves({
      Responses: {
        [TABLE]: [
          { ...eventKey("evt_0"), ...live },
          { ...eventKey("evt_1"), ...expired },
          {
            pk: { S: "group#grp_mixed" },
            name_instant: { S: name.instant },
            name_event_id: { S: name.eventId },
            name_value: { S: name.value },
            ...live,
          },
          { ...eventKey("evt_2") },
        ],
      },
    });

    // Act
    const reading = await store.load("grp_mixed", eventIds(3));

    // Assess
    expect(reading).toEqual({
      entry: { groupId: "grp_mixed", fields: { name } },
      recorded: new Set(["evt_0", "evt_2"]),
    });
  });

  it("re-sends the writes DynamoDB left unprocessed", async () => {
    // Prepare
    const { mock, store } = prepareStore();
    const leftOver: WriteRequest[] = [{ PutRequest: { Item: { ...eventKey("evt_1") } } }];
    mock
      .on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: leftOver } })
      .resolves({});

    // Act
    await store.advance("grp_unprocessed", {}, eventIds(3));

    // Assess
    const calls = mock.commandCalls(BatchWriteItemCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.RequestItems).toEqual({ [TABLE]: leftOver });
  });

  it("re-reads the keys DynamoDB left unprocessed and merges both answers", async () => {
    // Prepare
    const { mock, store } = prepareStore();
    mock
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [eventKey("evt_0")] },
        UnprocessedKeys: { [TABLE]: { Keys: [eventKey("evt_2")], ConsistentRead: true } },
      })
      .resolves({ Responses: { [TABLE]: [eventKey("evt_2")] } });

    // Act
    const found = await store.findRecordedEvents(eventIds(3));

    // Assess
    expect(found).toEqual(new Set(["evt_0", "evt_2"]));
    expect(mock.commandCalls(BatchGetItemCommand)[1]?.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([
      eventKey("evt_2"),
    ]);
  });

  it("load() re-reads a group key DynamoDB left unprocessed", async () => {
    // Prepare
    const { mock, store } = prepareStore();
    const groupKey = { pk: { S: "group#grp_late" } };
    const groupItem = {
      ...groupKey,
      name_instant: { S: at("2026-03-01T12:00:00Z") },
      name_event_id: { S: "evt_0" },
      name_value: { S: "Late" },
    };
    mock
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [eventKey("evt_0")] },
        UnprocessedKeys: { [TABLE]: { Keys: [groupKey], ConsistentRead: true } },
      })
      .resolves({ Responses: { [TABLE]: [groupItem] } });

    // Act
    const reading = await store.load("grp_late", eventIds(2));

    // Assess
    expect(reading.entry?.fields.name?.value).toBe("Late");
    expect(reading.recorded).toEqual(new Set(["evt_0"]));
    expect(mock.commandCalls(BatchGetItemCommand)[1]?.args[0].input.RequestItems?.[TABLE]?.Keys).toEqual([
      groupKey,
    ]);
  });

  it.each([
    {
      label: "writes",
      arrange: (mock: ReturnType<typeof prepareStore>["mock"]) =>
        mock.on(BatchWriteItemCommand).callsFake(async (input) => ({ UnprocessedItems: input.RequestItems })),
      act: (store: DynamoDbLedgerStore) => store.advance("grp_throttled", {}, eventIds(2)),
      calls: (mock: ReturnType<typeof prepareStore>["mock"]) =>
        mock.commandCalls(BatchWriteItemCommand).length,
    },
    {
      label: "reads",
      arrange: (mock: ReturnType<typeof prepareStore>["mock"]) =>
        mock.on(BatchGetItemCommand).callsFake(async (input) => ({ UnprocessedKeys: input.RequestItems })),
      act: (store: DynamoDbLedgerStore) => store.findRecordedEvents(eventIds(2)),
      calls: (mock: ReturnType<typeof prepareStore>["mock"]) => mock.commandCalls(BatchGetItemCommand).length,
    },
    {
      label: "loads",
      arrange: (mock: ReturnType<typeof prepareStore>["mock"]) =>
        mock.on(BatchGetItemCommand).callsFake(async (input) => ({ UnprocessedKeys: input.RequestItems })),
      act: (store: DynamoDbLedgerStore) => store.load("grp_throttled", eventIds(2)),
      calls: (mock: ReturnType<typeof prepareStore>["mock"]) => mock.commandCalls(BatchGetItemCommand).length,
    },
  ])("gives up on $label that stay unprocessed, with LedgerUnavailableError", async (c) => {
    // Prepare
    const { mock, store } = prepareStore();
    c.arrange(mock);

    // Act
    const failure = await c.act(store).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(LedgerUnavailableError);
    expect((failure as Error).message).toContain(`"${TABLE}"`);
    expect(c.calls(mock)).toBe(UNPROCESSED_RETRY_DELAYS_MS.length + 1);
  });
});

describe("DynamoDbLedgerStore contention", () => {
  it("gives up with LedgerUnavailableError when the group keeps changing under every conditional write", async () => {
    // Prepare
    const { mock, store } = prepareStore();
    const conflict = new ConditionalCheckFailedException({
      message: "The conditional request failed",
      $metadata: {},
    });
    mock.on(UpdateItemCommand).rejects(conflict);
    // Every re-read shows an older watermark, as if other writers kept moving it just below ours.
    mock.on(GetItemCommand).resolves({
      Item: {
        pk: { S: "group#grp_busy" },
        name_instant: { S: at("2026-03-01T10:00:00Z") },
        name_event_id: { S: "evt_other" },
        name_value: { S: "Other" },
      },
    });
    const name = { instant: at("2026-03-01T12:00:00Z"), eventId: "evt_mine", value: "Mine" };

    // Act
    const failure = await store.advance("grp_busy", { name }, []).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(LedgerUnavailableError);
    expect((failure as Error).message).toContain(`"${TABLE}"`);
    expect(mock.commandCalls(UpdateItemCommand).length).toBeGreaterThan(1);
  });
});
