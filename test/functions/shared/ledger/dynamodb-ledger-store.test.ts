import { createServer } from "node:net";
import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
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
import { at, describeLedgerStoreContract } from "./ledger-store-contract.ts";

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
    const store = new DynamoDbLedgerStore({
      tableName,
      client: client(),
      ttlSeconds: TTL_SECONDS,
      now: () => nowMs,
    });
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
    return { store, rawItem, passSeconds: (seconds: number) => (nowMs += seconds * 1000) };
  }

  it.each<{ kind: string; pk: string; write: (store: LedgerStore, eventId: string) => Promise<unknown> }>([
    {
      kind: "group",
      pk: "group#grp_ttl",
      write: (store, e) => store.advance("grp_ttl", { name: nameAt(e) }, []),
    },
    { kind: "event", pk: "event#evt_ttl", write: (store) => store.advance("grp_ttl", {}, ["evt_ttl"]) },
    { kind: "alias", pk: "alias#ref_ttl", write: (store) => store.rememberAlias("ref_ttl", "grp_ttl") },
  ])("stamps the $kind item with expires_at = now + ttl and refreshes it on the next write", async (c) => {
    // Prepare
    const { store, rawItem, passSeconds } = await prepare();
    const startSeconds = Math.floor(START_MS / 1000);

    // Act
    await c.write(store, "evt_1");
    const first = await rawItem(c.pk);
    passSeconds(600);
    await c.write(store, "evt_2");
    const second = await rawItem(c.pk);

    // Assess
    expect(first?.[LEDGER_TTL_ATTRIBUTE]).toEqual({ N: String(startSeconds + TTL_SECONDS) });
    expect(second?.[LEDGER_TTL_ATTRIBUTE]).toEqual({ N: String(startSeconds + 600 + TTL_SECONDS) });
  });

  it("lays a group out as per-field attributes and an event as its group and recording time", async () => {
    // Prepare
    const { store, rawItem } = await prepare();
    const name = nameAt("evt_\u{10000}");

    // Act
    await store.advance("grp_layout", { name }, ["evt_\u{10000}"]);

    // Assess
    expect(await rawItem("group#grp_layout")).toEqual({
      pk: { S: "group#grp_layout" },
      name_instant: { S: name.instant },
      name_event_id: { S: name.eventId },
      name_event_order: { S: "00006500007600007400005f010000" },
      name_value: { S: name.value },
      expires_at: { N: String(Math.floor(START_MS / 1000) + TTL_SECONDS) },
    });
    expect(await rawItem("event#evt_\u{10000}")).toEqual({
      pk: { S: "event#evt_\u{10000}" },
      group_id: { S: "grp_layout" },
      recorded_at: { S: new Date(START_MS).toISOString() },
      expires_at: { N: String(Math.floor(START_MS / 1000) + TTL_SECONDS) },
    });
  });
});

const everyOperation: { operation: string; call: (store: LedgerStore) => Promise<unknown> }[] = [
  { operation: "getGroup", call: (store) => store.getGroup("grp_x") },
  { operation: "findRecordedEvents", call: (store) => store.findRecordedEvents(["evt_x"]) },
  { operation: "load", call: (store) => store.load("grp_x", ["evt_x"]) },
  { operation: "advance", call: (store) => store.advance("grp_x", { name: nameAt("evt_x") }, ["evt_x"]) },
  { operation: "advance with event ids only", call: (store) => store.advance("grp_x", {}, ["evt_x"]) },
  { operation: "rememberAlias", call: (store) => store.rememberAlias("ref_x", "grp_x") },
  { operation: "resolveAlias", call: (store) => store.resolveAlias("ref_x") },
];

describe("DynamoDbLedgerStore failures", () => {
  it.each(everyOperation)(
    "$operation on an unreachable endpoint rejects with LedgerUnavailableError",
    async (c) => {
      // Prepare
      const endpoint = `http://127.0.0.1:${await closedPort()}`;
      const store = new DynamoDbLedgerStore({ tableName: "ledger-unreachable", client: client(endpoint, 1) });

      // Act
      const failure = await c.call(store).catch((error: unknown) => error);

      // Assess
      expect(failure).toBeInstanceOf(LedgerUnavailableError);
      expect(String((failure as Error).message)).toContain('"ledger-unreachable"');
      expect(String((failure as Error).message)).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    },
  );

  it.each(everyOperation)("$operation on a missing table rejects with LedgerUnavailableError", async (c) => {
    // Prepare
    const store = new DynamoDbLedgerStore({ tableName: "ledger-never-created", client: client() });

    // Act
    const failure = await c.call(store).catch((error: unknown) => error);

    // Assess
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
