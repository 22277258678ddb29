import { isGroupId } from "../group-id.ts";
import type { Group } from "../vitable/types.ts";
import { type ReconcileStatus, type StatusCounts, zeroCounts } from "./reconcile-status.ts";
import type { CheckedSnapshotRow, SnapshotRow, SnapshotValues } from "./snapshot-row.ts";

/** Name and reference of one side of a comparison. */
export interface GroupFields {
  name: string | null;
  external_reference_id: string | null;
}

/** One line of the report: a snapshot row (with the group it matched, if any) or a Vitable group no row matched. */
export interface ReconcileEntry {
  status: ReconcileStatus;
  group_id: string | null;
  external_reference_id: string | null;
  vitable: GroupFields | null;
  snapshot: GroupFields | null;
  /** The row's line in the snapshot; null for not_in_snapshot. */
  line: number | null;
  /** Why an invalid_row was not acted on. */
  problem?: string;
}

export interface Comparison {
  counts: StatusCounts;
  /** Every entry that is not in_sync, snapshot rows in file order, then unmatched Vitable groups in list order. */
  entries: ReconcileEntry[];
}

type Checked = { row: CheckedSnapshotRow; group: Group | undefined };

/**
 * Compares the snapshot with every Vitable group. A row is matched by `id` when it has one, otherwise by
 * `external_reference_id`. A key (id or reference) used by two rows, or two rows matching one group, makes each of
 * those rows invalid: which one HR meant cannot be known, so none is acted on.
 * Memory grows with the number of rows and groups (a few hundred bytes each), never with the file's text.
 */
export async function compareSnapshot(
  rows: AsyncIterable<CheckedSnapshotRow>,
  groups: readonly Group[],
): Promise<Comparison> {
  const byId = new Map<string, Group>();
  const byRef = new Map<string, Group>();
  for (const group of groups) {
    byId.set(group.id, group);
    if (!byRef.has(group.external_reference_id)) byRef.set(group.external_reference_id, group);
  }

  const checked: Checked[] = [];
  const linesById = new Map<string, number[]>();
  const linesByRef = new Map<string, number[]>();
  const linesByGroup = new Map<string, number[]>();
  for await (const row of rows) {
    const group = row.ok ? matchValid(row.row, byId, byRef) : matchInvalid(row.values, byId, byRef);
    checked.push({ row, group });
    if (!row.ok) {
      if (group) push(linesByGroup, group.id, row.line);
      continue;
    }
    if (row.row.id !== undefined) push(linesById, row.row.id, row.row.line);
    push(linesByRef, row.row.external_reference_id, row.row.line);
    if (group) push(linesByGroup, group.id, row.row.line);
  }

  const counts = zeroCounts();
  const entries: ReconcileEntry[] = [];
  const covered = new Set<string>();
  const record = (entry: ReconcileEntry) => {
    counts[entry.status] += 1;
    if (entry.status !== "in_sync") entries.push(entry);
  };
  for (const { row, group } of checked) {
    if (group) covered.add(group.id);
    if (!row.ok) {
      record(invalidEntry(row.line, row.values, group, row.problem));
      continue;
    }
    const duplicate = duplicateProblem(row.row, group, linesById, linesByRef, linesByGroup);
    record(duplicate ? invalidEntry(row.row.line, row.row, group, duplicate) : rowEntry(row.row, group));
  }
  for (const group of groups) {
    if (covered.has(group.id)) continue;
    covered.add(group.id);
    record({
      status: "not_in_snapshot",
      group_id: group.id,
      external_reference_id: group.external_reference_id,
      vitable: fieldsOf(group),
      snapshot: null,
      line: null,
    });
  }
  return { counts, entries };
}

function matchValid(
  row: SnapshotRow,
  byId: Map<string, Group>,
  byRef: Map<string, Group>,
): Group | undefined {
  return row.id !== undefined ? byId.get(row.id) : byRef.get(row.external_reference_id);
}

/** An invalid row still claims the group its key names, so that group is not also called not_in_snapshot. */
function matchInvalid(
  values: SnapshotValues,
  byId: Map<string, Group>,
  byRef: Map<string, Group>,
): Group | undefined {
  if (values.id !== undefined) return isGroupId(values.id) ? byId.get(values.id) : undefined;
  return values.external_reference_id === undefined ? undefined : byRef.get(values.external_reference_id);
}

function rowEntry(row: SnapshotRow, group: Group | undefined): ReconcileEntry {
  const snapshot = { name: row.name, external_reference_id: row.external_reference_id };
  if (!group) {
    return {
      status: "missing_in_vitable",
      group_id: row.id ?? null,
      external_reference_id: row.external_reference_id,
      vitable: null,
      snapshot,
      line: row.line,
    };
  }
  // Only a row with an id can say the reference is wrong: a row matched by reference agrees on it by definition.
  const status: ReconcileStatus =
    group.external_reference_id !== row.external_reference_id
      ? "reference_differs"
      : group.name !== row.name
        ? "name_differs"
        : "in_sync";
  return {
    status,
    group_id: group.id,
    external_reference_id: row.external_reference_id,
    vitable: fieldsOf(group),
    snapshot,
    line: row.line,
  };
}

function invalidEntry(
  line: number,
  values: SnapshotValues,
  group: Group | undefined,
  problem: string,
): ReconcileEntry {
  return {
    status: "invalid_row",
    group_id: group?.id ?? values.id ?? null,
    external_reference_id: values.external_reference_id ?? null,
    vitable: group ? fieldsOf(group) : null,
    snapshot: { name: values.name ?? null, external_reference_id: values.external_reference_id ?? null },
    line,
    problem,
  };
}

function duplicateProblem(
  row: SnapshotRow,
  group: Group | undefined,
  linesById: Map<string, number[]>,
  linesByRef: Map<string, number[]>,
  linesByGroup: Map<string, number[]>,
): string | undefined {
  const others = (lines: number[] | undefined) => (lines ?? []).filter((line) => line !== row.line);
  const byId = row.id === undefined ? [] : others(linesById.get(row.id));
  if (byId.length > 0) return `duplicate key: id ${row.id} is also on ${linesText(byId)}`;
  const byRef = others(linesByRef.get(row.external_reference_id));
  if (byRef.length > 0) {
    return `duplicate key: external_reference_id ${JSON.stringify(row.external_reference_id)} is also on ${linesText(byRef)}`;
  }
  const byGroup = group ? others(linesByGroup.get(group.id)) : [];
  if (byGroup.length > 0)
    return `duplicate match: group ${group?.id} is also matched by ${linesText(byGroup)}`;
  return undefined;
}

function linesText(lines: number[]): string {
  const shown = lines.slice(0, 5).join(", ");
  return `line${lines.length === 1 ? "" : "s"} ${shown}${lines.length > 5 ? ` and ${lines.length - 5} more` : ""}`;
}

function fieldsOf(group: Group): GroupFields {
  return { name: group.name, external_reference_id: group.external_reference_id };
}

function push(map: Map<string, number[]>, key: string, line: number): void {
  const lines = map.get(key);
  if (lines) lines.push(line);
  else map.set(key, [line]);
}
