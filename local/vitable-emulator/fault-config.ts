import type { FaultAction, FaultConfig } from "./types.ts";

/** A fault configuration that cannot be applied; thrown by startVitableEmulator() and setFaults(). */
export class FaultConfigError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "FaultConfigError";
  }
}

export function validateFaultConfig(config: FaultConfig): void {
  const { latencyMs, random = [], script = [], rateLimit, seed } = config;
  if (typeof latencyMs === "number") requireNonNegative("latencyMs", latencyMs);
  if (typeof latencyMs === "object") {
    requireNonNegative("latencyMs.min", latencyMs.min);
    requireNonNegative("latencyMs.max", latencyMs.max);
    if (latencyMs.min > latencyMs.max)
      throw new FaultConfigError("latencyMs.min must not exceed latencyMs.max");
  }
  random.forEach((rule, index) => {
    if (!(rule.rate >= 0 && rule.rate <= 1))
      throw new FaultConfigError(`random[${index}].rate must be in [0, 1]`);
    validateAction(`random[${index}].action`, rule.action);
  });
  script.forEach((step, index) => {
    validateAction(`script[${index}].action`, step.action);
  });
  if (rateLimit !== undefined) {
    if (!Number.isInteger(rateLimit.perSecond) || rateLimit.perSecond < 1) {
      throw new FaultConfigError("rateLimit.perSecond must be a positive integer");
    }
    if (rateLimit.retryAfterMs !== undefined)
      requireNonNegative("rateLimit.retryAfterMs", rateLimit.retryAfterMs);
  }
  if (seed !== undefined && !Number.isFinite(seed))
    throw new FaultConfigError("seed must be a finite number");
}

function validateAction(where: string, action: FaultAction): void {
  switch (action.type) {
    case "status":
      // 1xx would not end the exchange, so it cannot stand for an answer.
      if (!Number.isInteger(action.status) || action.status < 200 || action.status > 599) {
        throw new FaultConfigError(`${where}.status must be an integer from 200 to 599`);
      }
      if (action.retryAfterSeconds !== undefined) {
        requireNonNegative(`${where}.retryAfterSeconds`, action.retryAfterSeconds);
      }
      if (action.retryAfterMs !== undefined) requireNonNegative(`${where}.retryAfterMs`, action.retryAfterMs);
      return;
    case "hang":
      if (action.ms !== undefined) requireNonNegative(`${where}.ms`, action.ms);
      return;
    case "reset":
      return;
    default:
      throw new FaultConfigError(`${where}.type is not a known fault type`);
  }
}

function requireNonNegative(where: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0))
    throw new FaultConfigError(`${where} must be a finite number >= 0`);
}
