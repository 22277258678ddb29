import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApplyDeps, applyUnit, type GroupUpdater } from "../../../functions/group-sync/apply-unit.ts";
import { GroupLocks } from "../../../functions/group-sync/group-locks.ts";
import type { GroupRenamedEvent } from "../../../functions/shared/contract/group-renamed-event.ts";
import { NO_DEADLINE } from "../../../functions/shared/deadline.ts";
import { DynamoDbLedgerStore } from "../../../functions/shared/ledger/dynamodb-ledger-store.ts";
import type { GroupUpdateParams } from "../../../functions/shared/vitable/types.ts";
import { makeEvent } from "../../support/events.ts";
import {
  createLedgerTable,
  type DynaliteServer,
  dynamoClient,
  startDynalite,
} from "../shared/ledger/dynalite-ledger-table.ts";

// What one coalesced unit costs in DynamoDB requests, counted on the wire to dynalite. The figure is a cost
// promise in the docs (2 per applied unit), so a change that adds a request must fail here.
let dynamo: DynaliteServer;
let client: DynamoDBClient;
const requests: string[] = [];

beforeAll(async () => {
  dynamo = await startDynalite();
  client = dynamoClient(dynamo.endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(context.commandName ?? "unknown");
      return next(args);
    },
    { step: "initialize" },
  );
});

afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

let groupCounter = 0;

function unitOf(groupId: string, size: number, changes?: (index: number) => GroupRenamedEvent["changes"]) {
  return Array.from({ length: size }, (_, index) =>
    makeEvent({
      group: { id: groupId },
      occurred_at: new Date(Date.UTC(2026, 0, 16, 9, 0, index)).toISOString(),
      changes: changes?.(index) ?? { name: `Tier ${index}` },
    }),
  );
}

async function prepare() {
  groupCounter += 1;
  const groupId = `grp_CALLS${groupCounter}`;
  const ledger = new DynamoDbLedgerStore({ tableName: await createLedgerTable(client), client });
  const patches: GroupUpdateParams[] = [];
  const gets: string[] = [];
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
    retrieve: async (id) => {
      gets.push(id);
      return {
        id,
        name: "Current",
        external_reference_id: "ref-current",
        created_at: null,
        updated_at: null,
      };
    },
  };
  const deps: ApplyDeps = {
    groups,
    ledger,
    locks: new GroupLocks(),
    deadline: NO_DEADLINE,
    leaseUntil: Date.now() + 60_000,
    busyRedeliveryMs: () => 2_000,
  };
  requests.length = 0;
  return { groupId, deps, patches, gets };
}

describe("applyUnit: DynamoDB requests per coalesced unit", () => {
  it.each([1, 10])(
    "%i events that apply cost one lease UpdateItem and one releasing PutItem",
    async (size) => {
      const { groupId, deps, patches } = await prepare();

      const result = await applyUnit(groupId, unitOf(groupId, size), deps);

      expect(result.outcomes.at(-1)).toEqual({ outcome: "applied", fields: ["name"] });
      expect(patches).toEqual([{ name: `Tier ${size - 1}` }]);
      expect(requests).toEqual(["UpdateItemCommand", "PutItemCommand"]);
    },
  );

  it("a unit of duplicates costs the same two requests and no PATCH", async () => {
    const { groupId, deps, patches } = await prepare();
    const events = unitOf(groupId, 5);
    await applyUnit(groupId, events, deps);
    requests.length = 0;
    patches.length = 0;

    const result = await applyUnit(groupId, events, deps);

    expect(result.outcomes).toEqual(events.map(() => ({ outcome: "skipped", reason: "duplicate" })));
    expect(patches).toEqual([]);
    expect(requests).toEqual(["UpdateItemCommand", "PutItemCommand"]);
  });

  it("a unit whose turn comes after the deadline is retry_later (deadline) and costs no request", async () => {
    const { groupId, deps, patches } = await prepare();

    const result = await applyUnit(groupId, unitOf(groupId, 2), {
      ...deps,
      deadline: { remainingMs: () => 0 },
    });

    expect(result.outcomes).toEqual([
      expect.objectContaining({ outcome: "retry_later", reason: "deadline" }),
      expect.objectContaining({ outcome: "retry_later", reason: "deadline" }),
    ]);
    expect(patches).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("a reference change the ledger cannot date learns the old reference with one GET and writes both aliases", async () => {
    const { groupId, deps, patches, gets } = await prepare();

    const result = await applyUnit(
      groupId,
      unitOf(groupId, 1, () => ({ external_reference_id: "ref-new" })),
      deps,
    );

    expect(result.outcomes).toEqual([{ outcome: "applied", fields: ["external_reference_id"] }]);
    expect(gets).toEqual([groupId]);
    expect(patches).toEqual([{ external_reference_id: "ref-new" }]);
    expect(requests).toEqual(["UpdateItemCommand", "PutItemCommand", "PutItemCommand", "PutItemCommand"]);
    expect(await deps.ledger.resolveAlias("ref-current")).toBe(groupId);
    expect(await deps.ledger.resolveAlias("ref-new")).toBe(groupId);
  });
});
