import { describe, expect, it } from "vitest";
import type { Group } from "../../../functions/shared/vitable/types.ts";
import { call, emoji, errorOf, groupOf, seed, startEmulator, stopEmulatorsAfterEach } from "./support.ts";

stopEmulatorsAfterEach();

const ID = "grp_zYxWvUtSrQpOnMlKjIhGfE";
const OTHER_ID = "grp_aBcDeFgHiJkLmNoPqRsTuV";

async function startWithTwoGroups() {
  return startEmulator({
    groups: [
      seed({ id: ID, name: "Tier 1", external_reference_id: "mol_seg_001" }),
      seed({ id: OTHER_ID, name: "Tier 2", external_reference_id: "mol_seg_002" }),
    ],
  });
}

function current(emulator: { group(id: string): Group | undefined }): Group {
  const group = emulator.group(ID);
  if (!group) throw new Error(`${ID} vanished`);
  return group;
}

describe("PATCH /v1/groups/{group_id} applies what was sent", () => {
  it.each([
    { label: "name only", json: { name: "Tier 1 (renamed)" }, name: "Tier 1 (renamed)", ref: "mol_seg_001" },
    {
      label: "reference only",
      json: { external_reference_id: "mol_seg_001_v2" },
      name: "Tier 1",
      ref: "mol_seg_001_v2",
    },
    {
      label: "both fields",
      json: { name: "Tier 1 (renamed)", external_reference_id: "mol_seg_001_v2" },
      name: "Tier 1 (renamed)",
      ref: "mol_seg_001_v2",
    },
    { label: "an empty object", json: {}, name: "Tier 1", ref: "mol_seg_001" },
    {
      label: "its own current reference",
      json: { external_reference_id: "mol_seg_001" },
      name: "Tier 1",
      ref: "mol_seg_001",
    },
    {
      label: "an empty reference (no minLength on PATCH)",
      json: { external_reference_id: "" },
      name: "Tier 1",
      ref: "",
    },
    { label: "a 255-emoji name", json: { name: emoji(255) }, name: emoji(255), ref: "mol_seg_001" },
    { label: "unknown extra fields", json: { name: "X", colour: "red" }, name: "X", ref: "mol_seg_001" },
  ])("with $label", async ({ json, name, ref }) => {
    // Prepare
    const emulator = await startWithTwoGroups();
    const before = current(emulator);

    // Act
    const response = await call(emulator, "PATCH", `/v1/groups/${ID}`, { json });

    // Assess
    expect(response.status).toBe(200);
    const after = current(emulator);
    expect(groupOf(response)).toEqual(after);
    expect(after).toMatchObject({ id: ID, name, external_reference_id: ref, created_at: before.created_at });
    expect(after.updated_at).not.toBe(before.updated_at);
  });

  it("accepts a PATCH without any body as 'change nothing'", async () => {
    // Prepare
    const emulator = await startWithTwoGroups();
    const before = current(emulator);

    // Act
    const response = await call(emulator, "PATCH", `/v1/groups/${ID}`);

    // Assess
    expect(response.status).toBe(200);
    expect(groupOf(response)).toMatchObject({
      name: before.name,
      external_reference_id: before.external_reference_id,
    });
  });

  it("frees the old reference once a group moved to a new one", async () => {
    // Prepare
    const emulator = await startWithTwoGroups();
    await call(emulator, "PATCH", `/v1/groups/${ID}`, { json: { external_reference_id: "mol_seg_001_v2" } });

    // Act
    const response = await call(emulator, "PATCH", `/v1/groups/${OTHER_ID}`, {
      json: { external_reference_id: "mol_seg_001" },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(emulator.group(OTHER_ID)?.external_reference_id).toBe("mol_seg_001");
  });
});

describe("PATCH /v1/groups/{group_id} rejections change nothing", () => {
  it.each([
    {
      label: "a 256-emoji name",
      send: { json: { name: emoji(256) } },
      status: 422,
      code: "validation_error",
    },
    {
      label: "a 256-char reference",
      send: { json: { external_reference_id: "r".repeat(256) } },
      status: 422,
      code: "validation_error",
    },
    { label: "an empty name", send: { json: { name: "" } }, status: 422, code: "validation_error" },
    { label: "a null name", send: { json: { name: null } }, status: 422, code: "validation_error" },
    {
      label: "a null reference",
      send: { json: { external_reference_id: null } },
      status: 422,
      code: "validation_error",
    },
    { label: "a numeric name", send: { json: { name: 42 } }, status: 422, code: "validation_error" },
    {
      label: "a valid name next to a null reference",
      send: { json: { name: "ok", external_reference_id: null } },
      status: 422,
      code: "validation_error",
    },
    { label: "invalid JSON", send: { rawBody: "{name: 'x'}" }, status: 400, code: "invalid_json" },
    { label: "a JSON array", send: { json: [] }, status: 400, code: "invalid_body" },
    { label: "JSON null", send: { rawBody: "null" }, status: 400, code: "invalid_body" },
    { label: "a JSON string", send: { json: "Tier 1" }, status: 400, code: "invalid_body" },
    {
      label: "another group's reference",
      send: { json: { external_reference_id: "mol_seg_002" } },
      status: 409,
      code: "duplicate_external_reference_id",
    },
  ])("answers $status for $label", async ({ send, status, code }) => {
    // Prepare
    const emulator = await startWithTwoGroups();
    const before = emulator.groups();

    // Act
    const response = await call(emulator, "PATCH", `/v1/groups/${ID}`, send);

    // Assess
    expect(response.status).toBe(status);
    expect(errorOf(response).app_error_code).toBe(code);
    expect(emulator.groups()).toEqual(before);
  });

  it("answers 404 for an unknown id", async () => {
    // Prepare
    const emulator = await startWithTwoGroups();
    const before = emulator.groups();

    // Act
    const response = await call(emulator, "PATCH", "/v1/groups/grp_missing", { json: { name: "X" } });

    // Assess
    expect(response.status).toBe(404);
    expect(emulator.groups()).toEqual(before);
  });
});

describe("updated_at", () => {
  it("strictly increases over back-to-back writes", async () => {
    // Prepare
    const emulator = await startWithTwoGroups();
    const stamps = [current(emulator).updated_at ?? ""];

    // Act
    for (let round = 0; round < 10; round++) {
      const response = await call(emulator, "PATCH", `/v1/groups/${ID}`, {
        json: { name: `Tier 1 #${round}` },
      });
      stamps.push(groupOf(response).updated_at ?? "");
    }

    // Assess
    for (let index = 1; index < stamps.length; index++) {
      expect(Date.parse(stamps[index] ?? "")).toBeGreaterThan(Date.parse(stamps[index - 1] ?? ""));
    }
  });

  it("differs for every one of many concurrent writes", async () => {
    // Prepare
    const emulator = await startWithTwoGroups();
    const names = Array.from({ length: 20 }, (_, index) => `Concurrent ${index}`);

    // Act
    const responses = await Promise.all(
      names.map((name) => call(emulator, "PATCH", `/v1/groups/${ID}`, { json: { name } })),
    );

    // Assess
    const stamps = responses.map((response) => groupOf(response).updated_at);
    expect(new Set(stamps).size).toBe(names.length);
    const latest = [...stamps].sort().at(-1);
    expect(current(emulator).updated_at).toBe(latest);
  });
});
