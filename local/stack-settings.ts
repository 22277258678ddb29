import { DEFAULTS as SHARED_DEFAULTS } from "../functions/shared/defaults.ts";
import type { VitableTarget } from "./vitable-target.ts";

/** How the local event source and queues behave; each has a default per Vitable target. */
export interface RunnerSettings {
  batchSize: number;
  maxConcurrency: number;
  functionTimeoutMs: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}

/** A setting the local stack cannot run with; the message names it. */
export class LocalStackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalStackConfigError";
  }
}

/**
 * Against the emulator, failed records come back after 3 s instead of the deployed 6 x 60 s, so a demo drains in
 * seconds; against the real API, the timeouts leave room for real latency.
 */
const DEFAULTS: Record<VitableTarget["kind"], RunnerSettings> = {
  emulator: {
    batchSize: 10,
    maxConcurrency: 5,
    functionTimeoutMs: 3_000,
    visibilityTimeoutSeconds: 3,
    maxReceiveCount: 5,
  },
  real: {
    batchSize: 10,
    maxConcurrency: 5,
    functionTimeoutMs: 30_000,
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 5,
  },
};

export function resolveRunnerSettings(
  target: VitableTarget["kind"],
  given: Partial<RunnerSettings>,
): RunnerSettings {
  const settings = { ...DEFAULTS[target], ...definedOnly(given) };
  requireInteger("batchSize", settings.batchSize, 1, 10);
  requireInteger("maxConcurrency", settings.maxConcurrency, 1, 1000);
  requireInteger("functionTimeoutMs", settings.functionTimeoutMs, 200, 900_000);
  requireInteger("visibilityTimeoutSeconds", settings.visibilityTimeoutSeconds, 1, 43_200);
  requireInteger("maxReceiveCount", settings.maxReceiveCount, 1, 1000);
  // AWS refuses an SQS event source whose queue hides messages for less time than the function may run.
  if (settings.visibilityTimeoutSeconds * 1000 < settings.functionTimeoutMs) {
    throw new LocalStackConfigError(
      `visibilityTimeoutSeconds (${settings.visibilityTimeoutSeconds}) must cover functionTimeoutMs (${settings.functionTimeoutMs})`,
    );
  }
  return settings;
}

/**
 * Sync function configuration derived from the runner settings: each API attempt and the safety margin fit in
 * the function timeout, and the ledger horizon is ten years so the fixed-date sample events are never too old.
 */
export function syncTuningFor(settings: RunnerSettings): Record<string, string> {
  const timeout = settings.functionTimeoutMs;
  return {
    MAX_RECEIVE_COUNT: String(settings.maxReceiveCount),
    API_ATTEMPT_TIMEOUT_MS: String(
      Math.max(100, Math.min(SHARED_DEFAULTS.apiAttemptTimeoutMs, timeout - 1_000)),
    ),
    DEADLINE_SAFETY_MARGIN_MS: String(
      Math.min(SHARED_DEFAULTS.deadlineSafetyMarginMs, Math.floor(timeout / 6)),
    ),
    LEDGER_TTL_DAYS: "3650",
    LOG_LEVEL: "WARN",
  };
}

function requireInteger(name: keyof RunnerSettings, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new LocalStackConfigError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
