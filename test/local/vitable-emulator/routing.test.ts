import { describe, expect, it } from "vitest";
import { call, errorOf, rawCall, seed, startEmulator, stopEmulatorsAfterEach } from "./support.ts";

stopEmulatorsAfterEach();

/** Groups whose ids an injection would try to reach by walking up from `grp_x`. */
const targets = () => [seed({ id: "grp_x" }), seed({ id: "grp_y" }), seed({ id: "grp_employers" })];

describe("path ids are decoded once and never re-routed", () => {
  it.each([
    { method: "GET", path: "/v1/groups/grp_x%2F..%2F..%2Femployers" },
    { method: "PATCH", path: "/v1/groups/grp_x%2F..%2F..%2Femployers" },
    { method: "GET", path: "/v1/groups/grp_x/../../employers" },
    { method: "PATCH", path: "/v1/groups/grp_x/../../employers" },
    { method: "PATCH", path: "/v1/groups/grp_x/../grp_y" },
    { method: "PATCH", path: "/v1/groups/grp_x%2F..%2Fgrp_y" },
    { method: "PATCH", path: "/v1/groups/..%2Fgroups%2Fgrp_x" },
    { method: "PATCH", path: "/v1/groups/grp_x%252F..%252Fgrp_y" },
    { method: "PATCH", path: "/v1/groups/grp_x/" },
    { method: "PATCH", path: "/v1/groups/%E0%A4%A" },
    { method: "PATCH", path: "/v1/groups/" },
  ])("$method $path is 404 and changes nothing", async ({ method, path }) => {
    // Prepare
    const emulator = await startEmulator({ groups: targets() });
    const before = emulator.groups();

    // Act
    const response = await rawCall(emulator, method, path, JSON.stringify({ name: "Injected" }));

    // Assess
    expect(response.status).toBe(404);
    expect(errorOf(response).app_error_code).toBe("not_found");
    expect(emulator.groups()).toEqual(before);
    expect(emulator.journal.map((entry) => entry.path)).toEqual([path]);
  });

  it("keeps an encoded slash inside the id when called through fetch", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: targets() });
    const before = emulator.groups();

    // Act
    const response = await call(emulator, "PATCH", "/v1/groups/grp_x%2F..%2F..%2Femployers", {
      json: { name: "Injected" },
    });

    // Assess
    expect(response.status).toBe(404);
    expect(emulator.groups()).toEqual(before);
    expect(emulator.journal[0]?.groupId).toBe("grp_x/../../employers");
  });

  it("decodes an id exactly once", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: [seed({ id: "grp_a-b_c" })] });

    // Act
    const encoded = await rawCall(emulator, "GET", "/v1/groups/grp_a%2Db_c");
    const doubleEncoded = await rawCall(emulator, "GET", "/v1/groups/grp_a%252Db_c");

    // Assess
    expect(encoded.status).toBe(200);
    expect(doubleEncoded.status).toBe(404);
  });
});

describe("unknown endpoints and methods", () => {
  it.each([
    { method: "GET", path: "/v1/employers", status: 404 },
    { method: "GET", path: "/v1", status: 404 },
    { method: "GET", path: "/v1/groups/grp_x/members/sync", status: 404 },
    { method: "POST", path: "/v1/groups/grp_x/members/sync", status: 404 },
    { method: "GET", path: "/v2/groups", status: 404 },
    { method: "GET", path: "/", status: 404 },
    { method: "DELETE", path: "/v1/groups/grp_x", status: 405, allow: "GET, PATCH" },
    { method: "PUT", path: "/v1/groups/grp_x", status: 405, allow: "GET, PATCH" },
    { method: "POST", path: "/v1/groups/grp_x", status: 405, allow: "GET, PATCH" },
    { method: "PATCH", path: "/v1/groups", status: 405, allow: "GET, POST" },
    { method: "DELETE", path: "/v1/groups", status: 405, allow: "GET, POST" },
  ])("$method $path answers $status", async ({ method, path, status, allow }) => {
    // Prepare
    const emulator = await startEmulator({ groups: targets() });
    const before = emulator.groups();

    // Act
    const response = await call(
      emulator,
      method,
      path,
      method === "GET" ? {} : { json: { name: "Changed" } },
    );

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers.get("allow")).toBe(allow ?? null);
    expect(errorOf(response).trace_id).toEqual(expect.any(String));
    expect(emulator.groups()).toEqual(before);
  });
});
