import { createServer } from "node:net";
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbLedgerStore } from "../../../../functions/shared/ledger/dynamodb-ledger-store.ts";
import {
  type LedgerStore,
  LedgerUnavailableError,
} from "../../../../functions/shared/ledger/ledger-store.ts";
import {
  LEDGER_PARTITION_KEY,
  LEDGER_TTL_ATTRIBUTE,
} from "../../../../functions/shared/ledger/ledger-table.ts";
import {
  createLedgerTable,
  type DynaliteServer,
  dynamoClient,
  startDynalite,
  TEST_CREDENTIALS,
} from "./dynalite-ledger-table.ts";
import { at, describeLedgerStoreContract, write } from "./ledger-store-contract.ts";

let dynamo: DynaliteServer;
const clients: DynamoDBClient[] = [];

function client(endpoint = dynamo.endpoint, maxAttempts?: number): DynamoDBClient {
  const created = dynamoClient(endpoint, maxAttempts === undefined ? {} : { maxAttempts });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  for (const created of clients) created.destroy();
  await dynamo.close();
});

describeLedgerStoreContract(
  "DynamoDbLedgerStore on dynalite",
  async (options) => {
    const tableName = await createLedgerTable(client());
    // Two clients, as two Lambda invocations would have.
    return {
      store: new DynamoDbLedgerStore({ tableName, client: client(), ...options }),
      peer: new DynamoDbLedgerStore({ tableName, client: client(), ...options }),
      refusalCarriesItem: false,
    };
  },
  { propertyRuns: 25 },
);

const TTL_SECONDS = 7200;
const START_MS = Date.UTC(2026, 2, 1, 12, 0, 0, 750);
const nameAt = (eventId: string) => ({
  instant: at("2026-03-01T12:00:00Z"),
  eventId,
  value: `Tier ${eventId}`,
});

describe("DynamoDbLedgerStore items", () => {
  async function prepare() {
    const tableName = await createLedgerTable(client());
    let nowMs = START_MS;
    const now = () => nowMs;
    const store = new DynamoDbLedgerStore({ tableName, client: client(), ttlSeconds: TTL_SECONDS, now });
    const rawItem = async (pk: string) =>
      (
        await client().send(
          new GetItemCommand({
            TableName: tableName,
            Key: { [LEDGER_PARTITION_KEY]: { S: pk } },
            ConsistentRead: true,
          }),
        )
      ).Item;
    return { store, rawItem, now, passSeconds: (seconds: number) => (nowMs += seconds * 1000) };
  }

  it.each<{
    kind: string;
    pk: string;
    write: (store: LedgerStore, now: () => number, eventId: string) => Promise<unknown>;
  }>([
    {
      kind: "group",
      pk: "group#grp_ttl",
      write: (store, now, e) => write(store, "grp_ttl", { name: nameAt(e) }, [e], now),
    },
    { kind: "alias", pk: "alias#ref_ttl", write: (store) => store.rememberAlias("ref_ttl", "grp_ttl") },
  ])("stamps the $kind item with expires_at = now + ttl and refreshes it on the next write", async (c) => {
    const { store, rawItem, passSeconds, now } = await prepare();
    const startSeconds = Math.floor(START_MS / 1000);

    await c.write(store, now, "evt_1");
    const first = await rawItem(c.pk);
    passSeconds(600);
    await c.write(store, now, "evt_2");
    const second = await rawItem(c.pk);

    expect(first?.[LEDGER_TTL_ATTRIBUTE]).toEqual({ N: String(startSeconds + TTL_SECONDS) });
    expect(second?.[LEDGER_TTL_ATTRIBUTE]).toEqual({ N: String(startSeconds + 600 + TTL_SECONDS) });
  });

  it("lays a group out as per-field attributes and digests of event ids; a lease lives only while held", async () => {
    const { store, rawItem, now } = await prepare();
    const name = nameAt("evt_\u{10000}");
    const acquisition = await store.acquire("grp_layout", [], START_MS + 5_000);
    if (!acquisition.held) throw new Error("expected the lease");
    const whileHeld = await rawItem("group#grp_layout");

    await store.release(acquisition.lease, { name }, ["evt_\u{10000}"]);

    expect(whileHeld).toEqual({
      pk: { S: "group#grp_layout" },
      lease_owner: { S: acquisition.lease.owner },
      lease_until: { N: String(START_MS + 5_000) },
      expires_at: { N: String(Math.floor(now() / 1000) + TTL_SECONDS) },
    });
    const item = await rawItem("group#grp_layout");
    expect(item).toEqual({
      pk: { S: "group#grp_layout" },
      name_instant: { S: name.instant },
      name_event_id: { S: name.eventId },
      name_value: { S: name.value },
      seen: { M: { [Object.keys(item?.seen?.M ?? {})[0] ?? "missing"]: { N: String(START_MS) } } },
      expires_at: { N: String(Math.floor(START_MS / 1000) + TTL_SECONDS) },
    });
    expect(Object.keys(item?.seen?.M ?? {})[0]).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("a release that leaves nothing to remember deletes the item", async () => {
    const { store, rawItem } = await prepare();
    const acquisition = await store.acquire("grp_empty", [], START_MS + 5_000);
    if (!acquisition.held) throw new Error("expected the lease");

    await store.release(acquisition.lease, {}, []);

    expect(await rawItem("group#grp_empty")).toBeUndefined();
  });
});

describe("DynamoDbLedgerStore refusals (DynamoDB's ALL_OLD, which dynalite lacks)", () => {
  it("reads the holder's item from the refusal instead of making a second request", async () => {
    const dynamo = new DynamoDBClient({ region: "us-east-1", endpoint: "http://127.0.0.1:9" });
    const mock = mockClient(dynamo);
    const held = {
      pk: { S: "group#grp_busy" },
      name_instant: { S: at("2026-03-01T12:00:00Z") },
      name_event_id: { S: "evt_1" },
      name_value: { S: "One" },
      lease_owner: { S: "someone-else" },
      lease_until: { N: String(START_MS + 9_000) },
      expires_at: { N: String(Math.floor(START_MS / 1000) + TTL_SECONDS) },
    };
    mock.on(UpdateItemCommand).rejects(
      new ConditionalCheckFailedException({
        message: "The conditional request failed",
        $metadata: {},
        Item: held,
      }),
    );
    const store = new DynamoDbLedgerStore({ tableName: "busy", client: dynamo, now: () => START_MS });

    const refusal = await store.acquire("grp_busy", ["evt_1", "evt_2"], START_MS + 5_000);

    expect(refusal).toEqual({
      held: false,
      heldUntil: START_MS + 9_000,
      reading: {
        entry: {
          groupId: "grp_busy",
          fields: { name: { instant: held.name_instant.S, eventId: "evt_1", value: "One" } },
        },
        recorded: new Set(),
      },
    });
    expect(mock.calls()).toHaveLength(1);
    const input = mock.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.ReturnValuesOnConditionCheckFailure).toBe("ALL_OLD");
    expect(input?.ConditionExpression).toBe("attribute_not_exists(#owner) OR #until < :now");
  });
});

const everyOperation: { operation: string; call: (store: LedgerStore) => Promise<unknown> }[] = [
  { operation: "acquire", call: (store) => store.acquire("grp_x", ["evt_x"], Date.now() + 5_000) },
  {
    operation: "release",
    call: (store) =>
      store.release(
        { groupId: "grp_x", owner: "me", until: Date.now() + 5_000, state: { fields: {}, seen: new Map() } },
        { name: nameAt("evt_x") },
        ["evt_x"],
      ),
  },
  { operation: "rememberAlias", call: (store) => store.rememberAlias("ref_x", "grp_x") },
  { operation: "resolveAlias", call: (store) => store.resolveAlias("ref_x") },
];

describe("DynamoDbLedgerStore failures", () => {
  it.each(everyOperation)(
    "$operation on an unreachable endpoint rejects with LedgerUnavailableError",
    async (c) => {
      const endpoint = `http://127.0.0.1:${await closedPort()}`;
      const store = new DynamoDbLedgerStore({ tableName: "ledger-unreachable", client: client(endpoint, 1) });

      const failure = await c.call(store).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(LedgerUnavailableError);
      expect(String((failure as Error).message)).toContain('"ledger-unreachable"');
      expect(String((failure as Error).message)).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    },
  );

  it.each(everyOperation)("$operation on a missing table rejects with LedgerUnavailableError", async (c) => {
    const store = new DynamoDbLedgerStore({ tableName: "ledger-never-created", client: client() });

    const failure = await c.call(store).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(LedgerUnavailableError);
    expect((failure as Error).message).toContain('"ledger-never-created"');
    expect((failure as Error).message).toContain("ResourceNotFoundException");
  });
});

/** A loopback port that nothing listens on: bound once to learn a free number, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
