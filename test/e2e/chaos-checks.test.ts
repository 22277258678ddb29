import { describe, expect, it } from "vitest";
import type { RecordReport } from "../../functions/group-sync/outcome.ts";
import { OutcomeLog } from "../../local/outcome-log.ts";
import type { JournalEntry } from "../../local/vitable-emulator/index.ts";
import { staleWrites } from "./support/chaos-checks.ts";
import { buildChaosPlan, type ChaosPlan } from "./support/chaos-plan.ts";

/** One group, three name-setting events e1 < e2 < e3, no duplicates or invalid events. */
function aPlan(): ChaosPlan {
  // A constant 0.1 picks "by id" and "names only", in plan order, with no duplicates.
  return buildChaosPlan(() => 0.1, {
    groups: 1,
    eventsPerGroup: 3,
    byExternalIdShare: 0,
    duplicateRate: 0,
    disorder: 0,
    invalidEvents: 0,
  });
}

const GROUP = "grp_chaos00000000000000000";

function patch(seq: number, at: number, name: string): JournalEntry {
  return {
    seq,
    at,
    method: "PATCH",
    path: `/v1/groups/${GROUP}`,
    query: {},
    body: { name },
    status: 200,
    groupId: GROUP,
  };
}

function appliedReport(log: OutcomeLog, eventId: string, at: number): void {
  const report: RecordReport = {
    messageId: `m-${eventId}`,
    eventId,
    groupKey: `id:${GROUP}`,
    groupId: GROUP,
    result: { outcome: "applied", fields: ["name"] },
    attempts: 1,
    durationMs: 1,
  };
  log.record(report);
  const entry = log.entries.at(-1);
  if (entry) entry.at = at;
}

describe("staleWrites", () => {
  it.each([
    {
      title: "an older value written after a newer one was reported applied",
      journal: [patch(1, 10, "g0 name 2"), patch(2, 30, "g0 name 1")],
      applied: [{ eventId: "chaos-g0-e2", at: 20 }],
      stale: [{ seq: 2, after: "chaos-g0-e2" }],
    },
    {
      title: "an older value written before the newer one was reported (its answer was lost)",
      journal: [patch(1, 10, "g0 name 2"), patch(2, 30, "g0 name 1")],
      applied: [{ eventId: "chaos-g0-e2", at: 40 }],
      stale: [],
    },
    {
      title: "values written in event order",
      journal: [patch(1, 10, "g0 name 1"), patch(2, 30, "g0 name 3")],
      applied: [
        { eventId: "chaos-g0-e1", at: 20 },
        { eventId: "chaos-g0-e3", at: 40 },
      ],
      stale: [],
    },
  ])("flags $title: $stale.length", ({ journal, applied, stale }) => {
    // Prepare
    const log = new OutcomeLog();
    for (const { eventId, at } of applied) appliedReport(log, eventId, at);

    // Act
    const found = staleWrites(journal, aPlan(), log);

    // Assess
    expect(found.map(({ seq, after }) => ({ seq, after }))).toEqual(stale);
  });
});
