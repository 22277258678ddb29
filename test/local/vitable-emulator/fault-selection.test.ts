import { describe, expect, it } from "vitest";
import type { FaultAction } from "../../../local/vitable-emulator/index.ts";
import { call, seed, startEmulator, stopEmulatorsAfterEach } from "./support.ts";

stopEmulatorsAfterEach();

const ID = "grp_faultTarget";
const oneGroup = () => [seed({ id: ID, name: "Before" })];
const status = (
  code: number,
  extra: Partial<Extract<FaultAction, { type: "status" }>> = {},
): FaultAction => ({
  type: "status",
  status: code,
  ...extra,
});

describe("scripted and random faults", () => {
  it("consumes each script step on the first request matching its method and path prefix", async () => {
    // Prepare
    const emulator = await startEmulator({
      groups: oneGroup(),
      faults: {
        script: [
          { method: "PATCH", action: status(503) },
          { pathPrefix: `/v1/groups/${ID}`, method: "get", action: status(500) },
        ],
      },
    });

    // Act
    const statuses = [];
    statuses.push((await call(emulator, "GET", "/v1/groups")).status);
    statuses.push((await call(emulator, "PATCH", `/v1/groups/${ID}`, { json: { name: "After" } })).status);
    statuses.push((await call(emulator, "GET", `/v1/groups/${ID}`)).status);
    statuses.push((await call(emulator, "PATCH", `/v1/groups/${ID}`, { json: { name: "After" } })).status);
    statuses.push((await call(emulator, "GET", `/v1/groups/${ID}`)).status);

    // Assess
    expect(statuses).toEqual([200, 503, 500, 200, 200]);
    expect(emulator.group(ID)?.name).toBe("After");
  });

  it("plays the script before the random rules", async () => {
    // Prepare
    const emulator = await startEmulator({
      faults: { script: [{ action: status(503) }], random: [{ rate: 1, action: status(500) }] },
    });

    // Act
    const first = await call(emulator, "GET", "/v1/groups");
    const second = await call(emulator, "GET", "/v1/groups");

    // Assess
    expect([first.status, second.status]).toEqual([503, 500]);
  });

  it.each([
    { label: "rate 0 never fires", rule: { rate: 0, action: status(500) }, get: 200, patch: 200 },
    { label: "rate 1 always fires", rule: { rate: 1, action: status(500) }, get: 500, patch: 500 },
    {
      label: "a method filter spares other methods",
      rule: { rate: 1, action: status(500), methods: ["patch"] },
      get: 200,
      patch: 500,
    },
  ])("$label", async ({ rule, get, patch }) => {
    // Prepare
    const emulator = await startEmulator({ groups: oneGroup(), faults: { random: [rule] } });

    // Act
    const getResponse = await call(emulator, "GET", `/v1/groups/${ID}`);
    const patchResponse = await call(emulator, "PATCH", `/v1/groups/${ID}`, { json: { name: "After" } });

    // Assess
    expect([getResponse.status, patchResponse.status]).toEqual([get, patch]);
    expect(emulator.group(ID)?.name).toBe(patch === 200 ? "After" : "Before");
  });

  it("repeats the same random fault sequence for the same seed", async () => {
    // Prepare
    const faults = {
      seed: 42,
      random: [
        { rate: 0.3, action: status(503) },
        { rate: 0.3, action: { type: "status", status: 429 } as const },
      ],
    };
    const runs = [await startEmulator({ faults }), await startEmulator({ faults })];

    // Act
    const sequences = [];
    for (const emulator of runs) {
      for (let index = 0; index < 30; index++) await call(emulator, "GET", "/v1/groups");
      sequences.push(emulator.journal.map((entry) => entry.status));
    }

    // Assess
    expect(sequences[0]).toEqual(sequences[1]);
    expect(new Set(sequences[0])).toEqual(new Set([200, 503, 429]));
  });

  it("restarts the seeded sequence when setFaults is called again", async () => {
    // Prepare
    const faults = { seed: 7, random: [{ rate: 0.5, action: status(503) }] };
    const emulator = await startEmulator({ faults });
    const sequence = async () => {
      const statuses = [];
      for (let index = 0; index < 12; index++)
        statuses.push((await call(emulator, "GET", "/v1/groups")).status);
      return statuses;
    };

    // Act
    const first = await sequence();
    emulator.setFaults(faults);
    const second = await sequence();

    // Assess
    expect(second).toEqual(first);
  });
});

describe("fault scope and lifecycle", () => {
  it("spares requests without a valid key and requests outside /v1", async () => {
    // Prepare
    const emulator = await startEmulator({ faults: { random: [{ rate: 1, action: status(500) }] } });

    // Act
    const unauthenticated = await call(emulator, "GET", "/v1/groups", { authorization: null });
    const outside = await call(emulator, "GET", "/health");

    // Assess
    expect([unauthenticated.status, outside.status]).toEqual([401, 404]);
    expect(emulator.journal.every((entry) => entry.fault === undefined)).toBe(true);
  });

  it("setFaults(undefined) turns faults off while running", async () => {
    // Prepare
    const emulator = await startEmulator({ faults: { random: [{ rate: 1, action: status(500) }] } });
    const before = await call(emulator, "GET", "/v1/groups");

    // Act
    emulator.setFaults(undefined);
    const after = await call(emulator, "GET", "/v1/groups");

    // Assess
    expect([before.status, after.status]).toEqual([500, 200]);
  });

  it("keeps journal arrival order when latency lets later requests finish first", async () => {
    // Prepare
    const emulator = await startEmulator({ faults: { latencyMs: { min: 0, max: 40 }, seed: 3 } });
    const paths = Array.from({ length: 8 }, (_, index) => `/v1/groups?page=${index + 1}`);

    // Act
    const responses = await Promise.all(paths.map((path) => call(emulator, "GET", path)));

    // Assess
    expect(responses.map((response) => response.status)).toEqual(paths.map(() => 200));
    const seqs = emulator.journal.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(emulator.journal.map((entry) => entry.query.page))).toEqual(
      new Set(paths.map((_, index) => String(index + 1))),
    );
  });
});
