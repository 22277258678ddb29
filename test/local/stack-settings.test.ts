import { describe, expect, it } from "vitest";
import { loadSyncConfig } from "../../functions/group-sync/config.ts";
import { LocalStackConfigError, resolveRunnerSettings, syncTuningFor } from "../../local/stack-settings.ts";

describe("local runner settings", () => {
  it.each([
    { target: "emulator", functionTimeoutMs: 3_000, visibilityTimeoutSeconds: 3 },
    { target: "real", functionTimeoutMs: 30_000, visibilityTimeoutSeconds: 30 },
  ] as const)("defaults for the $target", ({ target, functionTimeoutMs, visibilityTimeoutSeconds }) => {
    // Act
    const settings = resolveRunnerSettings(target, { batchSize: undefined });

    // Assess
    expect(settings).toEqual({
      batchSize: 10,
      maxConcurrency: 5,
      functionTimeoutMs,
      visibilityTimeoutSeconds,
      maxReceiveCount: 5,
    });
  });

  it.each([
    { given: { batchSize: 11 }, names: "batchSize" },
    { given: { maxConcurrency: 0 }, names: "maxConcurrency" },
    { given: { maxReceiveCount: 1.5 }, names: "maxReceiveCount" },
    { given: { functionTimeoutMs: 5_000, visibilityTimeoutSeconds: 4 }, names: "visibilityTimeoutSeconds" },
  ])("refuses $given", ({ given, names }) => {
    // Act
    const attempt = () => resolveRunnerSettings("emulator", given);

    // Assess
    expect(attempt).toThrow(LocalStackConfigError);
    expect(attempt).toThrow(names);
  });

  it.each([200, 1_500, 3_000, 30_000, 900_000])(
    "gives a %i ms function a valid sync configuration whose attempts and margin fit in it",
    (functionTimeoutMs) => {
      // Prepare
      const settings = resolveRunnerSettings("emulator", {
        functionTimeoutMs,
        visibilityTimeoutSeconds: Math.ceil(functionTimeoutMs / 1000),
      });

      // Act
      const config = loadSyncConfig({
        ...syncTuningFor(settings),
        VITABLE_CONNECT_API_KEY: "k",
        DLQ_URL: "http://127.0.0.1:1/000000000000/q-dlq.fifo",
      });

      // Assess
      expect(config.MAX_RECEIVE_COUNT).toBe(settings.maxReceiveCount);
      expect(config.DEADLINE_SAFETY_MARGIN_MS).toBeLessThan(functionTimeoutMs);
      expect(config.API_ATTEMPT_TIMEOUT_MS).toBeLessThan(functionTimeoutMs);
    },
  );
});
