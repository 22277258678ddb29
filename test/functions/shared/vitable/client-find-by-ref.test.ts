import { afterEach, describe, expect, it } from "vitest";
import { emulatorWithClient, numberedGroups, stopEmulators } from "./support/emulator-client.ts";

afterEach(stopEmulators);

const GROUP_COUNT = 250;

async function patchBehindTheClientsBack(
  emulator: { url: string; apiKeys: string[] },
  groupId: string,
  body: Record<string, string>,
): Promise<void> {
  const response = await fetch(`${emulator.url}/v1/groups/${groupId}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${emulator.apiKeys[0]}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

/** GETs of the list endpoint, in order, as the emulator saw them. */
function listQueries(journal: { method: string; path: string; query: Record<string, string> }[]) {
  return journal
    .filter((entry) => entry.method === "GET" && entry.path === "/v1/groups")
    .map((entry) => entry.query);
}

describe("findByExternalReferenceId over HTTP (250 groups)", () => {
  const cases = [
    { ref: "ref-1", filter: true, expectedListCalls: 1 },
    { ref: "ref-150", filter: true, expectedListCalls: 1 },
    { ref: "ref-250", filter: true, expectedListCalls: 1 },
    { ref: "ref-1000", filter: true, expectedListCalls: 1 },
    { ref: "ref-1", filter: false, expectedListCalls: 1 },
    { ref: "ref-150", filter: false, expectedListCalls: 3 },
    { ref: "ref-250", filter: false, expectedListCalls: 4 },
    { ref: "ref-1000", filter: false, expectedListCalls: 4 },
    { ref: "ref-", filter: false, expectedListCalls: 4 },
    { ref: "REF-1", filter: false, expectedListCalls: 4 },
  ];

  it.each(cases)(
    "finds $ref exactly with the server filter $filter in $expectedListCalls list calls",
    async ({ ref, filter, expectedListCalls }) => {
      // Prepare
      const { emulator, client } = await emulatorWithClient({
        groups: numberedGroups(GROUP_COUNT),
        externalReferenceFilter: filter,
      });
      const expected = emulator.groups().find((group) => group.external_reference_id === ref);

      // Act
      const found = await client.groups.findByExternalReferenceId(ref);

      // Assess
      expect(found).toEqual(expected);
      const queries = listQueries(emulator.journal);
      expect(queries).toHaveLength(expectedListCalls);
      expect(queries[0]).toEqual({ external_reference_id: ref, limit: "100" });
      expect(queries.slice(1)).toEqual(
        Array.from({ length: expectedListCalls - 1 }, (_, index) => ({
          limit: "100",
          page: String(index + 1),
        })),
      );
    },
  );

  it("answers undefined from one call when the organization has no groups", async () => {
    // Prepare: no groups at all, filter ignored.
    const { emulator, client } = await emulatorWithClient({ groups: [], externalReferenceFilter: false });

    // Act
    const found = await client.groups.findByExternalReferenceId("ref-1");

    // Assess
    expect(found).toBeUndefined();
    expect(listQueries(emulator.journal)).toHaveLength(1);
  });
});

describe("findByExternalReferenceId cache over HTTP", () => {
  async function warmed(filter: boolean) {
    const setup = await emulatorWithClient({ groups: numberedGroups(30), externalReferenceFilter: filter });
    const found = await setup.client.groups.findByExternalReferenceId("ref-7");
    setup.emulator.clearJournal();
    if (!found) {
      throw new Error("seed group ref-7 not found");
    }
    return { ...setup, found };
  }

  it.each([true, false])(
    "answers a repeated lookup with one verifying retrieve (filter %s)",
    async (filter) => {
      // Prepare
      const { emulator, client, found } = await warmed(filter);

      // Act
      const again = await client.groups.findByExternalReferenceId("ref-7");

      // Assess
      expect(again).toEqual(found);
      expect(emulator.journal).toMatchObject([{ method: "GET", path: `/v1/groups/${found.id}` }]);
    },
  );

  it("learns a new ref from update and forgets the old one", async () => {
    // Prepare
    const { emulator, client, found } = await warmed(true);
    await client.groups.update(found.id, { external_reference_id: "ref-7-v2" });
    emulator.clearJournal();

    // Act
    const byNewRef = await client.groups.findByExternalReferenceId("ref-7-v2");
    const byOldRef = await client.groups.findByExternalReferenceId("ref-7");

    // Assess
    expect(byNewRef?.id).toBe(found.id);
    expect(byOldRef).toBeUndefined();
    expect(emulator.journal.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `GET /v1/groups/${found.id}`,
      "GET /v1/groups",
    ]);
  });

  it("notices a ref changed by someone else and searches again", async () => {
    // Prepare: another writer moves ref-7 to a new group behind the client's back.
    const { emulator, client, found } = await warmed(true);
    const other = emulator.groups().find((group) => group.external_reference_id === "ref-8");
    if (!other) throw new Error("seed group ref-8 not found");
    await patchBehindTheClientsBack(emulator, found.id, { external_reference_id: "ref-7-moved" });
    await patchBehindTheClientsBack(emulator, other.id, { external_reference_id: "ref-7" });
    emulator.clearJournal();

    // Act
    const found7 = await client.groups.findByExternalReferenceId("ref-7");

    // Assess
    expect(found7?.id).toBe(other.id);
    expect(emulator.journal.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `GET /v1/groups/${found.id}`,
      "GET /v1/groups",
    ]);
  });

  it("falls back to a search when the cached group answers 404", async () => {
    // Prepare
    const { emulator, client, found } = await warmed(true);
    emulator.setFaults({
      script: [
        { action: { type: "status", status: 404 }, method: "GET", pathPrefix: `/v1/groups/${found.id}` },
      ],
    });

    // Act
    const again = await client.groups.findByExternalReferenceId("ref-7");

    // Assess
    expect(again?.id).toBe(found.id);
    expect(emulator.journal.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      `GET /v1/groups/${found.id} 404`,
      "GET /v1/groups 200",
    ]);
  });

  it("drops the mapping when an update of the cached group answers 404", async () => {
    // Prepare
    const { emulator, client, found } = await warmed(true);
    emulator.setFaults({
      script: [
        { action: { type: "status", status: 404 }, method: "PATCH", pathPrefix: `/v1/groups/${found.id}` },
      ],
    });
    await client.groups.update(found.id, { name: "x" }).catch(() => undefined);
    emulator.clearJournal();

    // Act
    await client.groups.findByExternalReferenceId("ref-7");

    // Assess
    expect(emulator.journal.map((entry) => `${entry.method} ${entry.path}`)).toEqual(["GET /v1/groups"]);
  });

  it("searches again after forgetExternalReferenceId", async () => {
    // Prepare
    const { emulator, client } = await warmed(true);

    // Act
    client.forgetExternalReferenceId("ref-7");
    await client.groups.findByExternalReferenceId("ref-7");

    // Assess
    expect(emulator.journal.map((entry) => `${entry.method} ${entry.path}`)).toEqual(["GET /v1/groups"]);
  });

  it("does not cache a miss", async () => {
    // Prepare
    const { emulator, client } = await emulatorWithClient({ groups: numberedGroups(3) });
    await client.groups.findByExternalReferenceId("ref-new");
    emulator.addGroup({ name: "New", external_reference_id: "ref-new" });

    // Act
    const found = await client.groups.findByExternalReferenceId("ref-new");

    // Assess
    expect(found?.external_reference_id).toBe("ref-new");
  });

  it.each([
    { name: "expired", ttlMs: 1, expected: ["GET /v1/groups"] },
    { name: "live", ttlMs: 60_000, expected: ["GET /v1/groups/{id}"] },
  ])("uses the mapping only while it is $name", async ({ ttlMs, expected }) => {
    // Prepare
    let nowMs = 1_000_000;
    const { emulator, client } = await emulatorWithClient(
      { groups: numberedGroups(3) },
      { externalRefCacheTtlMs: ttlMs, now: () => nowMs },
    );
    const found = await client.groups.findByExternalReferenceId("ref-2");
    emulator.clearJournal();

    // Act
    nowMs += 10;
    await client.groups.findByExternalReferenceId("ref-2");

    // Assess
    const paths = emulator.journal.map(
      (entry) => `${entry.method} ${entry.path.replace(found?.id ?? "?", "{id}")}`,
    );
    expect(paths).toEqual(expected);
  });
});
