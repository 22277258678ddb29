import {
  RECONCILE_STATUSES,
  type ReconcileEntry,
  type ReconcileReport,
} from "../../functions/shared/reconcile/index.ts";
import { clip, countOf, formatTable } from "../table.ts";
import { terminalText } from "../terminal-text.ts";

const AS_OF_SOURCES: Record<ReconcileReport["as_of_source"], string> = {
  as_of_option: "from --as-of",
  file_modified_time: "the snapshot file's modification time",
  object_last_modified: "the snapshot object's last-modified time",
};

const NAME_WIDTH = 40;

/** The human report: the instant used, the counts per status, then a table of every entry that is not in_sync. */
export function reconcileText(report: ReconcileReport, listed: { groups: number; pages: number }): string[] {
  const lines = [
    `as of ${report.as_of} (${AS_OF_SOURCES[report.as_of_source]})`,
    `vitable: ${countOf(listed.groups, "group")} listed in ${countOf(listed.pages, "page")}`,
    "",
  ];
  const width = Math.max(...RECONCILE_STATUSES.map((status) => status.length));
  for (const status of RECONCILE_STATUSES) lines.push(`${status.padEnd(width)}  ${report.counts[status]}`);
  if (report.rows.length > 0) {
    lines.push("");
    lines.push(
      ...formatTable(
        ["STATUS", "LINE", "GROUP", "REFERENCE", "VITABLE NAME", "SNAPSHOT NAME", "DETAIL"],
        report.rows.map(tableRow),
      ).split("\n"),
    );
  }
  return lines;
}

function tableRow(entry: ReconcileEntry): string[] {
  return [
    entry.status,
    entry.line === null ? "-" : String(entry.line),
    entry.group_id === null ? "-" : terminalText(entry.group_id),
    cell(entry.external_reference_id ?? entry.vitable?.external_reference_id ?? null),
    cell(entry.vitable?.name ?? null),
    cell(entry.snapshot?.name ?? null),
    detail(entry),
  ];
}

function detail(entry: ReconcileEntry): string {
  if (entry.problem !== undefined) return terminalText(entry.problem);
  if (entry.status === "reference_differs") {
    return `reference ${cell(entry.vitable?.external_reference_id ?? null)} -> ${cell(entry.snapshot?.external_reference_id ?? null)}`;
  }
  return "";
}

function cell(text: string | null): string {
  return text === null ? "-" : clip(terminalText(text), NAME_WIDTH);
}
