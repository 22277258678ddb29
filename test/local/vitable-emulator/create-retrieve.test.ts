import { describe, expect, it } from "vitest";
import {
  call,
  emoji,
  errorOf,
  GROUP_ID,
  groupOf,
  ORGANIZATION_ID,
  seed,
  startEmulator,
  stopEmulatorsAfterEach,
} from "./support.ts";

stopEmulatorsAfterEach();

describe("POST /v1/groups", () => {
  it("creates a group with fresh ids, equal timestamps and the seeds' organization", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: [seed({ id: "grp_existing_one" })] });
    const input = seed();

    // Act
    const response = await call(emulator, "POST", "/v1/groups", { json: input });

    // Assess
    expect(response.status).toBe(201);
    const group = groupOf(response);
    expect(group).toMatchObject({ name: input.name, external_reference_id: input.external_reference_id });
    expect(group.id).toMatch(GROUP_ID);
    expect(group.organization_id).toMatch(ORGANIZATION_ID);
    expect(group.organization_id).toBe(emulator.group("grp_existing_one")?.organization_id);
    expect(group.updated_at).toBe(group.created_at);
    expect(emulator.group(group.id)).toEqual(group);
  });

  it("draws a different id for every group", async () => {
    // Prepare
    const emulator = await startEmulator();

    // Act
    const responses = await Promise.all(
      [seed(), seed(), seed()].map((json) => call(emulator, "POST", "/v1/groups", { json })),
    );

    // Assess
    expect(new Set(responses.map((response) => groupOf(response).id)).size).toBe(3);
  });

  it("answers 409 for an external_reference_id already in the organization, and creates nothing", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: [seed({ external_reference_id: "hr_seg_dup" })] });
    const before = emulator.groups();

    // Act
    const response = await call(emulator, "POST", "/v1/groups", {
      json: { name: "Other name", external_reference_id: "hr_seg_dup" },
    });

    // Assess
    expect(response.status).toBe(409);
    expect(errorOf(response).app_error_code).toBe("duplicate_external_reference_id");
    expect(emulator.groups()).toEqual(before);
  });

  it.each([
    { label: "name of 255 emoji", json: { name: emoji(255), external_reference_id: "e1" }, status: 201 },
    {
      label: "external_reference_id of 255 emoji",
      json: { name: "n", external_reference_id: emoji(255) },
      status: 201,
    },
    { label: "name of 256 emoji", json: { name: emoji(256), external_reference_id: "e1" }, status: 422 },
    {
      label: "external_reference_id of 256 chars",
      json: { name: "n", external_reference_id: "x".repeat(256) },
      status: 422,
    },
    { label: "empty name", json: { name: "", external_reference_id: "e1" }, status: 422 },
    { label: "empty external_reference_id", json: { name: "n", external_reference_id: "" }, status: 422 },
    { label: "missing name", json: { external_reference_id: "e1" }, status: 422 },
    { label: "missing external_reference_id", json: { name: "n" }, status: 422 },
    { label: "null name", json: { name: null, external_reference_id: "e1" }, status: 422 },
    { label: "numeric name", json: { name: 7, external_reference_id: "e1" }, status: 422 },
    { label: "an array body", json: [{ name: "n", external_reference_id: "e1" }], status: 400 },
    { label: "a string body", json: "n", status: 400 },
  ])("answers $status for $label", async ({ json, status }) => {
    // Prepare
    const emulator = await startEmulator();

    // Act
    const response = await call(emulator, "POST", "/v1/groups", { json });

    // Assess
    expect(response.status).toBe(status);
    expect(emulator.groups()).toHaveLength(status === 201 ? 1 : 0);
  });

  it("answers 400 for a body that is not JSON", async () => {
    // Prepare
    const emulator = await startEmulator();

    // Act
    const response = await call(emulator, "POST", "/v1/groups", { rawBody: '{"name": "n",' });

    // Assess
    expect(response.status).toBe(400);
    expect(errorOf(response).app_error_code).toBe("invalid_json");
  });
});

describe("GET /v1/groups/{group_id}", () => {
  it("returns the group", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: [seed({ id: "grp_abc123def456", name: "Tier 1" })] });

    // Act
    const response = await call(emulator, "GET", "/v1/groups/grp_abc123def456");

    // Assess
    expect(response.status).toBe(200);
    expect(groupOf(response)).toEqual(emulator.group("grp_abc123def456"));
    expect(groupOf(response).name).toBe("Tier 1");
  });

  it("answers 404 with a fresh trace_id each time for an unknown id", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: [seed()] });

    // Act
    const first = await call(emulator, "GET", "/v1/groups/grp_unknown");
    const second = await call(emulator, "GET", "/v1/groups/grp_unknown");

    // Assess
    expect([first.status, second.status]).toEqual([404, 404]);
    expect(errorOf(first)).toMatchObject({ app_error_code: "not_found", error: errorOf(first).message });
    expect(errorOf(first).trace_id).not.toBe(errorOf(second).trace_id);
  });
});
