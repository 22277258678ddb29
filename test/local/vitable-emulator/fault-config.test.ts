import { describe, expect, it } from "vitest";
import { type FaultConfig, FaultConfigError } from "../../../local/vitable-emulator/index.ts";
import { call, startEmulator, stopEmulatorsAfterEach } from "./support.ts";

stopEmulatorsAfterEach();

const invalidConfigs: Array<{ label: string; faults: FaultConfig }> = [
  { label: "negative latency", faults: { latencyMs: -1 } },
  { label: "latency range upside down", faults: { latencyMs: { min: 50, max: 10 } } },
  { label: "rate above 1", faults: { random: [{ rate: 1.5, action: { type: "reset" } }] } },
  { label: "NaN rate", faults: { random: [{ rate: Number.NaN, action: { type: "reset" } }] } },
  { label: "1xx status", faults: { script: [{ action: { type: "status", status: 100 } }] } },
  { label: "status 600", faults: { script: [{ action: { type: "status", status: 600 } }] } },
  {
    label: "negative retry-after",
    faults: { script: [{ action: { type: "status", status: 503, retryAfterSeconds: -1 } }] },
  },
  { label: "negative hang", faults: { script: [{ action: { type: "hang", ms: -5 } }] } },
  {
    label: "unknown action type",
    faults: { script: [{ action: { type: "explode" } as unknown as { type: "reset" } }] },
  },
  { label: "zero per second", faults: { rateLimit: { perSecond: 0 } } },
  { label: "fractional per second", faults: { rateLimit: { perSecond: 1.5 } } },
  { label: "infinite seed", faults: { seed: Number.POSITIVE_INFINITY } },
];

describe("fault configuration is checked up front", () => {
  it.each(invalidConfigs)("startVitableEmulator rejects $label", async ({ faults }) => {
    // Act
    const starting = startEmulator({ faults });

    // Assess
    await expect(starting).rejects.toBeInstanceOf(FaultConfigError);
  });

  it.each(invalidConfigs)("setFaults rejects $label and keeps the faults it had", async ({ faults }) => {
    // Prepare
    const emulator = await startEmulator({
      faults: { random: [{ rate: 1, action: { type: "status", status: 503 } }] },
    });

    // Act
    const apply = () => emulator.setFaults(faults);

    // Assess
    expect(apply).toThrow(FaultConfigError);
    expect((await call(emulator, "GET", "/v1/groups")).status).toBe(503);
  });
});
