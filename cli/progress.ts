import { Presets, SingleBar } from "cli-progress";
import type { OutputStream } from "./io.ts";

/** Progress of a long run: a bar with counts and ETA on a terminal, nothing on a pipe (plain lines say it there). */
export interface ProgressBar {
  update(value: number, counts: Record<string, number>): void;
  stop(): void;
}

/** True when progress should be drawn as a bar: stderr is a terminal. */
export function wantsBar(stream: OutputStream): boolean {
  return stream.isTTY === true;
}

/**
 * A cli-progress bar on `stream` (stderr, so stdout stays clean for the summary). `total` is an estimate (SQS counts
 * are approximate) and grows if the run goes past it. `labels` name the counts shown next to the bar.
 */
export function createProgressBar(
  stream: OutputStream,
  title: string,
  total: number,
  labels: readonly string[],
): ProgressBar {
  const counts = labels.map((label) => `${label} {${label}}`).join(" | ");
  const bar = new SingleBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: `${title} [{bar}] {value}/{total} | ${counts} | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 20,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  let currentTotal = Math.max(total, 1);
  bar.start(currentTotal, 0, zeroes(labels));
  return {
    update(value, values) {
      if (value > currentTotal) {
        currentTotal = value;
        bar.setTotal(currentTotal);
      }
      bar.update(value, values);
    },
    stop() {
      bar.stop();
    },
  };
}

function zeroes(labels: readonly string[]): Record<string, number> {
  return Object.fromEntries(labels.map((label) => [label, 0]));
}
