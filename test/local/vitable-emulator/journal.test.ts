import { describe, expect, it } from "vitest";
import { call, seed, startEmulator, stopEmulatorsAfterEach, TEST_KEY } from "./support.ts";

stopEmulatorsAfterEach();

describe("journal", () => {
  it("records method, raw path, query, parsed body, status and group id in arrival order", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: [seed({ id: "grp_journal" })] });

    // Act
    await call(emulator, "GET", "/v1/groups?limit=5&page=2");
    const created = await call(emulator, "POST", "/v1/groups", {
      json: { name: "New", external_reference_id: "new_ref" },
    });
    await call(emulator, "PATCH", "/v1/groups/grp_journal", { json: { name: "Renamed" } });
    await call(emulator, "PATCH", "/v1/groups/grp_journal", { rawBody: "not json" });

    // Assess
    const createdId = (created.body as { data: { id: string } }).data.id;
    expect(emulator.journal).toEqual([
      expect.objectContaining({
        seq: 1,
        method: "GET",
        path: "/v1/groups",
        query: { limit: "5", page: "2" },
        status: 200,
      }),
      expect.objectContaining({
        seq: 2,
        method: "POST",
        body: { name: "New", external_reference_id: "new_ref" },
        status: 201,
        groupId: createdId,
      }),
      expect.objectContaining({
        seq: 3,
        path: "/v1/groups/grp_journal",
        body: { name: "Renamed" },
        groupId: "grp_journal",
      }),
      expect.objectContaining({ seq: 4, body: "not json", status: 400 }),
    ]);
    expect(emulator.journal[0]?.body).toBeUndefined();
  });

  it("never holds the Authorization header or any key, accepted or not", async () => {
    // Prepare
    const wrongKey = "vit_apk_wrong_secret_value";
    const emulator = await startEmulator({
      groups: [seed({ id: "grp_secret" })],
      faults: {
        script: [{ method: "GET", pathPrefix: "/v1/groups/", action: { type: "status", status: 503 } }],
      },
    });

    // Act
    await call(emulator, "GET", "/v1/groups/grp_secret");
    await call(emulator, "GET", "/v1/groups");
    await call(emulator, "PATCH", "/v1/groups/grp_secret", { json: { name: "x" } });
    await call(emulator, "GET", "/v1/groups", { authorization: `Bearer ${wrongKey}` });
    await call(emulator, "GET", "/nowhere", { authorization: `Bearer ${wrongKey}` });

    // Assess
    const recorded = JSON.stringify(emulator.journal);
    expect(emulator.journal).toHaveLength(5);
    expect(recorded).not.toContain(TEST_KEY);
    expect(recorded).not.toContain(wrongKey);
    expect(recorded.toLowerCase()).not.toContain("authorization");
    expect(recorded.toLowerCase()).not.toContain("bearer");
  });

  it("clearJournal empties the same array and later requests continue the numbering", async () => {
    // Prepare
    const emulator = await startEmulator();
    const journal = emulator.journal;
    await call(emulator, "GET", "/v1/groups");
    await call(emulator, "GET", "/v1/groups");

    // Act
    emulator.clearJournal();
    await call(emulator, "GET", "/v1/groups");

    // Assess
    expect(emulator.journal).toBe(journal);
    expect(journal.map((entry) => entry.seq)).toEqual([3]);
  });
});
