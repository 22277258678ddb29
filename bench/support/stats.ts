/** Median and spread of repeated measurements; a bench reports both, never a single sample. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  /** Interquartile range bounds (linear interpolation between ranks). */
  p25: number;
  p75: number;
}

export class EmptySampleError extends Error {
  constructor(what: string) {
    super(`no samples to summarize for ${what}`);
    this.name = "EmptySampleError";
  }
}

export function summarize(samples: readonly number[], what = "a measurement"): Summary {
  if (samples.length === 0) throw new EmptySampleError(what);
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
  };
}

export function median(samples: readonly number[], what?: string): number {
  return summarize(samples, what).median;
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}
