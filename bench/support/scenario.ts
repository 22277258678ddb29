import type { Summary } from "./stats.ts";

export interface ScenarioOptions {
  /** Fewer repetitions and smaller loads, for debugging the harness on a busy machine. */
  quick: boolean;
  repetitions: number;
  /** Fixed latency the emulator adds to every API request. */
  latencyMs: number;
  /** Lambda memory sizes (MB) whose CPU share the cpu-share scenario runs the function at. */
  memorySizesMb: readonly number[];
  progress(message: string): void;
}

/** One line of the printed table: a median with its spread, or a single derived value (a ratio, a size). */
export interface Figure {
  label: string;
  unit: string;
  summary?: Summary;
  value?: number;
  /** The bound or yardstick the figure is read against, in words. */
  note?: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  figures: Figure[];
  /** Why the scenario measured nothing on this machine (it needs something the machine lacks); no figures then. */
  skipped?: string;
  /** Raw samples and parameters, written to results.json. */
  details: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  title: string;
  run(options: ScenarioOptions): Promise<ScenarioResult>;
}

/** The run cannot be trusted (records failed, calls went missing): stop instead of printing a wrong table. */
export class BenchInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BenchInvariantError";
  }
}

export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new BenchInvariantError(message);
}

export function measured(label: string, unit: string, summary: Summary, note?: string): Figure {
  return note === undefined ? { label, unit, summary } : { label, unit, summary, note };
}

export function derived(label: string, unit: string, value: number, note?: string): Figure {
  return note === undefined ? { label, unit, value } : { label, unit, value, note };
}
