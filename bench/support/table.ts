import type { Figure, ScenarioResult } from "./scenario.ts";

/** Plain-text table: one block per scenario, one line per figure (median, spread, note). */
export function formatTable(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push("", result.title);
    if (result.skipped !== undefined) {
      lines.push(`  skipped, nothing measured: ${result.skipped}`);
      continue;
    }
    const rows = result.figures.map(toRow);
    const widths = [0, 1, 2, 3].map((column) =>
      Math.max(...[HEADER, ...rows].map((row) => (row[column] ?? "").length)),
    );
    for (const row of [HEADER, ...rows]) {
      lines.push(
        `  ${row.map((cell, column) => pad(cell, widths[column] ?? 0, column)).join("  ")}`.trimEnd(),
      );
    }
  }
  return lines.join("\n");
}

const HEADER = ["figure", "median", "spread (min–max)", "note"];

function toRow(figure: Figure): string[] {
  const unit = figure.unit === "×" ? "×" : ` ${figure.unit}`;
  if (figure.summary) {
    const { median, min, max, n } = figure.summary;
    return [
      figure.label,
      `${format(median)}${unit}`,
      `${format(min)}–${format(max)} (n=${n})`,
      figure.note ?? "",
    ];
  }
  return [figure.label, `${format(figure.value ?? Number.NaN)}${unit}`, "", figure.note ?? ""];
}

export function format(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function pad(cell: string, width: number, column: number): string {
  // Numbers right-aligned, words left-aligned.
  return column === 1 ? cell.padStart(width) : cell.padEnd(width);
}
