import { validateFaultConfig } from "./fault-config.ts";
import { seededRandom } from "./prng.ts";
import { FixedWindowLimiter } from "./rate-limiter.ts";
import type { FaultAction, FaultConfig } from "./types.ts";

export interface FaultDecision {
  action: FaultAction;
  /** Journal label: "status:503", "reset", "hang" or "rate_limit". */
  label: string;
}

type ScriptStep = NonNullable<FaultConfig["script"]>[number];

/** Decides, per authenticated /v1 request, whether to inject a fault: script first, then rate limit, then dice. */
export class FaultEngine {
  readonly #config: FaultConfig;
  readonly #script: ScriptStep[];
  readonly #limiter: FixedWindowLimiter | undefined;
  readonly #rollFault: () => number;
  readonly #rollLatency: () => number;

  constructor(config: FaultConfig = {}, now: () => number = Date.now) {
    validateFaultConfig(config);
    this.#config = structuredClone(config);
    this.#script = [...(this.#config.script ?? [])];
    const rateLimit = this.#config.rateLimit;
    this.#limiter = rateLimit && new FixedWindowLimiter(rateLimit.perSecond, now);
    const seed = this.#config.seed;
    // Separate streams, so a latency range does not change which requests the random rules hit.
    this.#rollFault = seed === undefined ? Math.random : seededRandom(seed);
    this.#rollLatency = seed === undefined ? Math.random : seededRandom(seed ^ 0x5bd1e995);
  }

  latencyMs(): number {
    const latency = this.#config.latencyMs;
    if (latency === undefined || typeof latency === "number") return latency ?? 0;
    return latency.min + Math.floor(this.#rollLatency() * (latency.max - latency.min + 1));
  }

  decide(method: string, path: string): FaultDecision | undefined {
    const stepIndex = this.#script.findIndex((step) => scriptStepMatches(step, method, path));
    if (stepIndex >= 0) {
      const [step] = this.#script.splice(stepIndex, 1);
      if (step) return { action: step.action, label: labelOf(step.action) };
    }

    const retryAfterMs = this.#limiter?.admit();
    if (retryAfterMs !== undefined) {
      const limitedFor = this.#config.rateLimit?.retryAfterMs ?? retryAfterMs;
      return {
        action: {
          type: "status",
          status: 429,
          retryAfterSeconds: Math.ceil(limitedFor / 1000),
          retryAfterMs: limitedFor,
          appErrorCode: "rate_limited",
        },
        label: "rate_limit",
      };
    }

    for (const rule of this.#config.random ?? []) {
      if (rule.methods && !rule.methods.some((allowed) => allowed.toUpperCase() === method)) continue;
      if (this.#rollFault() < rule.rate) return { action: rule.action, label: labelOf(rule.action) };
    }
    return undefined;
  }
}

function scriptStepMatches(step: ScriptStep, method: string, path: string): boolean {
  if (step.method !== undefined && step.method.toUpperCase() !== method) return false;
  return step.pathPrefix === undefined || path.startsWith(step.pathPrefix);
}

function labelOf(action: FaultAction): string {
  return action.type === "status" ? `status:${action.status}` : action.type;
}
