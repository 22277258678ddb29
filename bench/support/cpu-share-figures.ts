import type { ChildMeasurement } from "./child-run.ts";
import { type Throttling, vcpuShareFor } from "./cpu-cgroup.ts";
import { derived, type Figure, measured } from "./scenario.ts";
import { median, type Summary, summarize } from "./stats.ts";

export type BundleKey = "ours" | "reference";

export const BUNDLE_LABELS: Record<BundleKey, string> = {
  ours: "group-sync",
  reference: "powertools-reference",
};

/** One fresh process of one bundle in a group capped at one memory size's CPU share. */
export interface CpuShareSample {
  memoryMb: number;
  bundle: BundleKey;
  measurement: Pick<
    ChildMeasurement,
    | "bootMs"
    | "importMs"
    | "importCpuMs"
    | "firstInvokeMs"
    | "secondInvokeMs"
    | "invokeMs"
    | "cpuMsPerSteadyEvent"
  >;
  throttling: Throttling;
}

interface Metric {
  label: string;
  unit: string;
  of(sample: CpuShareSample): number | undefined;
}

const METRICS: readonly Metric[] = [
  { label: "module initialisation (import)", unit: "ms", of: (s) => s.measurement.importMs },
  { label: "first invocation (10 records)", unit: "ms", of: (s) => s.measurement.firstInvokeMs },
  {
    label: "cold start: import + first invocation",
    unit: "ms",
    of: (s) => s.measurement.importMs + s.measurement.firstInvokeMs,
  },
  { label: "second invocation (warm)", unit: "ms", of: (s) => s.measurement.secondInvokeMs },
  {
    label: "later warm invocations (median per process)",
    unit: "ms",
    of: (s) => (s.measurement.invokeMs.length > 2 ? median(s.measurement.invokeMs.slice(2)) : undefined),
  },
  {
    label: "CPU per event, warm",
    unit: "ms",
    of: (s) => s.measurement.cpuMsPerSteadyEvent ?? undefined,
  },
];

/** `256 MB (0.145 vCPU)`: how every line of one memory size starts. */
export function sizeLabel(memoryMb: number): string {
  return `${memoryMb} MB (${vcpuShareFor(memoryMb).toFixed(3)} vCPU)`;
}

/**
 * The table of the cpu-share scenario, per memory size in the order first seen: each figure for ours then the
 * reference (ours with its ratio to the reference), then the CPU share the processes got, how often the quota
 * throttled them, and what a cold and a warm batch of ours cost in GB-ms at that size.
 */
export function cpuShareFigures(samples: readonly CpuShareSample[]): Figure[] {
  const figures: Figure[] = [];
  const sizes = [...new Set(samples.map((sample) => sample.memoryMb))];
  for (const memoryMb of sizes) {
    const atSize = samples.filter((sample) => sample.memoryMb === memoryMb);
    const prefix = sizeLabel(memoryMb);
    const medians: Partial<Record<string, number>> = {};
    for (const metric of METRICS) {
      const ours = summaryOf(atSize, "ours", metric);
      const reference = summaryOf(atSize, "reference", metric);
      if (ours && reference) {
        const ratio = ours.median / reference.median;
        figures.push(
          measured(
            `${prefix} ${BUNDLE_LABELS.ours}: ${metric.label}`,
            metric.unit,
            ours,
            `${ratio.toFixed(2)}× the reference`,
          ),
          measured(`${prefix} ${BUNDLE_LABELS.reference}: ${metric.label}`, metric.unit, reference),
        );
      }
      if (ours) medians[metric.label] = ours.median;
    }
    const shares = atSize.map((sample) => sample.measurement.importCpuMs / sample.measurement.importMs);
    const periods = atSize.reduce((sum, sample) => sum + sample.throttling.periods, 0);
    const throttled = atSize.reduce((sum, sample) => sum + sample.throttling.throttledPeriods, 0);
    const gb = memoryMb / 1024;
    figures.push(
      measured(
        `${prefix} node start-up before the script (both)`,
        "ms",
        summarize(atSize.map((sample) => sample.measurement.bootMs)),
        "capped too; Lambda starts its runtime its own way",
      ),
      measured(
        `${prefix} CPU share during the import (both)`,
        "vCPU",
        summarize(shares),
        `quota ${vcpuShareFor(memoryMb).toFixed(3)}; lower means the machine, not the quota, held it back`,
      ),
      derived(
        `${prefix} periods throttled by the quota (both)`,
        "%",
        periods > 0 ? (100 * throttled) / periods : Number.NaN,
        `${throttled} of ${periods} periods of 100 ms`,
      ),
      derived(
        `${prefix} ${BUNDLE_LABELS.ours}: cost of a cold batch (import + first)`,
        "GB-ms",
        gb * (medians["cold start: import + first invocation"] ?? Number.NaN),
        "memory × duration, from the medians",
      ),
      derived(
        `${prefix} ${BUNDLE_LABELS.ours}: cost of a warm batch (later invocations)`,
        "GB-ms",
        gb * (medians["later warm invocations (median per process)"] ?? Number.NaN),
      ),
    );
  }
  return figures;
}

function summaryOf(
  samples: readonly CpuShareSample[],
  bundle: BundleKey,
  metric: Metric,
): Summary | undefined {
  const values = samples
    .filter((sample) => sample.bundle === bundle)
    .map(metric.of)
    .filter((value): value is number => value !== undefined);
  return values.length > 0 ? summarize(values, `${metric.label} of ${bundle}`) : undefined;
}
