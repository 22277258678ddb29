import { describe, expect, it, vi } from "vitest";
import {
  DEFAULT_API_KEY,
  DuplicateExternalReferenceError,
  InvalidSeedError,
  sampleGroups,
  startVitableEmulator,
} from "../../../local/vitable-emulator/index.ts";
import { call, GROUP_ID, seed, startEmulator, stopEmulatorsAfterEach, TEST_KEY } from "./support.ts";

stopEmulatorsAfterEach();

describe("start and stop", () => {
  it("listens on an ephemeral loopback port and reports a URL without trailing slash", async () => {
    // Act
    const emulator = await startEmulator();

    // Assess
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.apiKeys).toEqual([TEST_KEY]);
  });

  it("accepts the default local key when no keys are given", async () => {
    // Prepare
    const emulator = await startVitableEmulator();

    // Act
    const response = await call(emulator, "GET", "/v1/groups", {
      authorization: `Bearer ${DEFAULT_API_KEY}`,
    });
    await emulator.stop();

    // Assess
    expect(response.status).toBe(200);
    expect(emulator.apiKeys).toEqual([DEFAULT_API_KEY]);
  });

  it.each([[[]], [[""]], [["  "]]])("refuses apiKeys %j", async (apiKeys) => {
    // Act
    const starting = startEmulator({ apiKeys });

    // Assess
    await expect(starting).rejects.toThrow(TypeError);
  });

  it("stop() ends a request that hangs forever and refuses new connections", { timeout: 5_000 }, async () => {
    // Prepare
    const emulator = await startEmulator({ faults: { script: [{ action: { type: "hang" } }] } });
    const hanging = call(emulator, "GET", "/v1/groups");
    await vi.waitFor(() => expect(emulator.journal).toHaveLength(1));

    // Act
    await emulator.stop();

    // Assess
    await expect(hanging).rejects.toThrow("fetch failed");
    await expect(call(emulator, "GET", "/v1/groups")).rejects.toThrow("fetch failed");
  });

  it("stop() ends requests waiting out latency without serving them", { timeout: 5_000 }, async () => {
    // Prepare
    const emulator = await startEmulator({
      groups: [seed({ id: "grp_slow", name: "Before" })],
      faults: { latencyMs: 60_000 },
    });
    const waiting = call(emulator, "PATCH", "/v1/groups/grp_slow", { json: { name: "After" } });
    // Unauthenticated calls skip latency and are journaled at once; a gap in their seqs is the waiting PATCH.
    await vi.waitFor(async () => {
      await call(emulator, "GET", "/v1/groups", { authorization: null });
      const seqs = emulator.journal.map((entry) => entry.seq);
      expect(Math.max(...seqs)).toBeGreaterThan(seqs.length);
    });

    // Act
    await emulator.stop();

    // Assess
    await expect(waiting).rejects.toThrow("fetch failed");
    expect(emulator.group("grp_slow")?.name).toBe("Before");
    expect(emulator.journal.every((entry) => entry.method === "GET")).toBe(true);
  });

  it("stop() can be called twice", async () => {
    // Prepare
    const emulator = await startEmulator();

    // Act
    const stops = Promise.all([emulator.stop(), emulator.stop()]);

    // Assess
    await expect(stops).resolves.toBeDefined();
  });
});

describe("state access", () => {
  it("hands out copies, so callers cannot change the emulator's groups", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: [seed({ id: "grp_copy", name: "Original" })] });

    // Act
    const listed = emulator.groups()[0];
    const single = emulator.group("grp_copy");
    if (listed) listed.name = "Mutated";
    if (single) single.name = "Mutated";

    // Assess
    expect(emulator.group("grp_copy")?.name).toBe("Original");
    expect((await call(emulator, "GET", "/v1/groups/grp_copy")).body).toMatchObject({
      data: { name: "Original" },
    });
  });

  it("addGroup adds a group the API then serves, with a fresh id when none is given", async () => {
    // Prepare
    const emulator = await startEmulator();

    // Act
    const added = emulator.addGroup(seed({ name: "Added later" }));
    const response = await call(emulator, "GET", `/v1/groups/${added.id}`);

    // Assess
    expect(added.id).toMatch(GROUP_ID);
    expect(response.body).toEqual({ data: added });
  });

  it.each([
    { label: "an id with a slash", bad: seed({ id: "grp_a/b" }), error: InvalidSeedError },
    { label: "an id with dots", bad: seed({ id: "grp_.." }), error: InvalidSeedError },
    { label: "an id without the prefix", bad: seed({ id: "abc" }), error: InvalidSeedError },
    { label: "an id already taken", bad: seed({ id: "grp_taken" }), error: InvalidSeedError },
    { label: "a name of 256 characters", bad: seed({ name: "n".repeat(256) }), error: InvalidSeedError },
    { label: "an empty reference", bad: seed({ external_reference_id: "" }), error: InvalidSeedError },
    {
      label: "a reference already used",
      bad: seed({ external_reference_id: "ext_taken" }),
      error: DuplicateExternalReferenceError,
    },
  ])("addGroup refuses $label", async ({ bad, error }) => {
    // Prepare
    const emulator = await startEmulator({
      groups: [seed({ id: "grp_taken", external_reference_id: "ext_taken" })],
    });
    const before = emulator.groups();

    // Act
    const add = () => emulator.addGroup(bad);

    // Assess
    expect(add).toThrow(error);
    expect(emulator.groups()).toEqual(before);
  });

  it("sampleGroups seeds valid groups with fixed ids and distinct references", async () => {
    // Prepare
    const samples = sampleGroups();

    // Act
    const emulator = await startEmulator({ groups: samples });

    // Assess
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(emulator.groups().map((group) => group.id)).toEqual(samples.map((sample) => sample.id));
    for (const sample of samples) expect(sample.id).toMatch(GROUP_ID);
    expect(sampleGroups()).toEqual(samples);
  });
});
