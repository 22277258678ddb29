import { describe, expect, it } from "vitest";
import { call, errorOf, seed, startEmulator, stopEmulatorsAfterEach, TEST_KEY } from "./support.ts";

stopEmulatorsAfterEach();

const OTHER_KEY = "vit_apk_second_accepted_key";

describe("Bearer authentication", () => {
  it.each([
    { label: "no Authorization header", authorization: null, status: 401 },
    { label: "an unknown key", authorization: "Bearer vit_apk_not_accepted", status: 401 },
    { label: "a prefix of the key", authorization: `Bearer ${TEST_KEY.slice(0, -1)}`, status: 401 },
    { label: "the key under another scheme", authorization: `Basic ${TEST_KEY}`, status: 401 },
    { label: "the scheme without a key", authorization: "Bearer ", status: 401 },
    { label: "the key", authorization: `Bearer ${TEST_KEY}`, status: 200 },
    { label: "the scheme in lower case", authorization: `bearer ${TEST_KEY}`, status: 200 },
    { label: "the second accepted key", authorization: `Bearer ${OTHER_KEY}`, status: 200 },
  ])("answers $status for $label", async ({ authorization, status }) => {
    // Prepare
    const emulator = await startEmulator({ apiKeys: [TEST_KEY, OTHER_KEY] });

    // Act
    const response = await call(emulator, "GET", "/v1/groups", { authorization });

    // Assess
    expect(response.status).toBe(status);
  });

  it("answers 401 with the flat error body, naming no key", async () => {
    // Prepare
    const emulator = await startEmulator();

    // Act
    const response = await call(emulator, "GET", "/v1/groups", { authorization: "Bearer vit_apk_wrong_one" });

    // Assess
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    const body = errorOf(response);
    expect(body).toEqual({
      timestamp: expect.any(String),
      message: body.message,
      error: body.message,
      app_error_code: "unauthorized",
      trace_id: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
    expect(JSON.stringify(body)).not.toContain("vit_apk_");
  });

  it("checks the key before routing inside /v1, but not outside it", async () => {
    // Prepare
    const emulator = await startEmulator();

    // Act
    const insideApi = await call(emulator, "GET", "/v1/employers", { authorization: null });
    const outsideApi = await call(emulator, "GET", "/health", { authorization: null });

    // Assess
    expect(insideApi.status).toBe(401);
    expect(outsideApi.status).toBe(404);
  });

  it("changes nothing on an unauthenticated write", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: [seed({ id: "grp_auth_target" })] });
    const before = emulator.groups();

    // Act
    const create = await call(emulator, "POST", "/v1/groups", {
      authorization: null,
      json: { name: "Intruder", external_reference_id: "intruder" },
    });
    const update = await call(emulator, "PATCH", "/v1/groups/grp_auth_target", {
      authorization: "Bearer nope",
      json: { name: "Renamed" },
    });

    // Assess
    expect([create.status, update.status]).toEqual([401, 401]);
    expect(emulator.groups()).toEqual(before);
  });
});
