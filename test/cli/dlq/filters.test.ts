import { describe, expect, it } from "vitest";
import { filterFromOptions, type MessageFilter, matchesFilter } from "../../../cli/dlq/filters.ts";
import { makeEvent } from "../../support/events.ts";
import { receivedDlqMessage } from "./dlq-message-factory.ts";

const NOW = new Date("2026-01-16T12:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

/** A message about grp_AAAA (external id ref-a) that failed with group_not_found three hours ago. */
const message = receivedDlqMessage({
  body: makeEvent({ event_id: "evt-a", group: { id: "grp_AAAA", external_reference_id: "ref-a" } }),
  messageGroupId: "tenant-7",
  attributes: { failure_reason: "group_not_found", failed_at: hoursAgo(3) },
});

describe("matchesFilter", () => {
  it.each<{ name: string; filter: MessageFilter; matches: boolean }>([
    { name: "no criteria", filter: {}, matches: true },
    { name: "its reason among others", filter: { reasons: ["conflict", "group_not_found"] }, matches: true },
    { name: "another reason", filter: { reasons: ["conflict"] }, matches: false },
    { name: "its grp id", filter: { groups: ["grp_AAAA"] }, matches: true },
    { name: "its external reference id", filter: { groups: ["ref-a"] }, matches: true },
    { name: "its group key", filter: { groups: ["id:grp_AAAA"] }, matches: true },
    { name: "its FIFO message group", filter: { groups: ["tenant-7"] }, matches: true },
    { name: "another group", filter: { groups: ["grp_BBBB"] }, matches: false },
    { name: "its event id", filter: { eventIds: ["evt-b", "evt-a"] }, matches: true },
    { name: "another event id", filter: { eventIds: ["evt-b"] }, matches: false },
    { name: "failed before two hours ago", filter: { failedBefore: new Date(hoursAgo(2)) }, matches: true },
    { name: "failed before four hours ago", filter: { failedBefore: new Date(hoursAgo(4)) }, matches: false },
    { name: "failed after four hours ago", filter: { failedAfter: new Date(hoursAgo(4)) }, matches: true },
    { name: "failed after two hours ago", filter: { failedAfter: new Date(hoursAgo(2)) }, matches: false },
    {
      name: "all criteria but one holding",
      filter: { reasons: ["group_not_found"], groups: ["grp_AAAA"], eventIds: ["evt-other"] },
      matches: false,
    },
  ])("with $name: $matches", ({ filter, matches }) => {
    expect(matchesFilter(message, filter)).toBe(matches);
  });

  it("falls back to the time the message reached the DLQ when failed_at is missing", () => {
    // Prepare
    const redriven = receivedDlqMessage({ sentTimestamp: NOW.getTime() - 30 * 60_000 });

    // Act
    const filter = filterFromOptions({ newerThan: "1h" }, NOW);

    // Assess
    expect(redriven.reason).toBe("unknown");
    expect(matchesFilter(redriven, filter)).toBe(true);
    expect(matchesFilter(redriven, filterFromOptions({ olderThan: "1h" }, NOW))).toBe(false);
  });

  it("splits --reason lists at commas but keeps group and event ids whole", () => {
    // Act
    const filter = filterFromOptions(
      { reason: ["conflict, group_not_found", "invalid_json"], group: ["a,b"] },
      NOW,
    );

    // Assess
    expect(filter.reasons).toEqual(["conflict", "group_not_found", "invalid_json"]);
    expect(filter.groups).toEqual(["a,b"]);
  });
});
