import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  deliveryDeduplicationIdFor,
  messageDeduplicationIdFor,
  messageGroupIdFor,
} from "../../../../functions/shared/contract/fifo-ids.ts";
import { groupKeyOf, MissingGroupTargetError } from "../../../../functions/shared/contract/group-key.ts";
import type { GroupRenamedEvent } from "../../../../functions/shared/contract/group-renamed-event.ts";

const SQS_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

function anEvent(group: GroupRenamedEvent["group"], eventId = "hr-evt-1"): GroupRenamedEvent {
  return {
    schema_version: 1,
    type: "group.renamed",
    event_id: eventId,
    occurred_at: "2026-01-16T09:12:00Z",
    group,
    changes: { name: "Tier 1" },
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

describe("groupKeyOf", () => {
  it.each([
    { group: { id: "grp_abc123def456" }, key: "id:grp_abc123def456" },
    { group: { external_reference_id: "mol_seg_001" }, key: "ext:mol_seg_001" },
    { group: { id: "grp_abc123def456", external_reference_id: "mol_seg_001" }, key: "id:grp_abc123def456" },
  ])("$key", ({ group, key }) => {
    expect(groupKeyOf(anEvent(group))).toBe(key);
  });

  it("throws a typed error for an event without a target", () => {
    expect(() => groupKeyOf(anEvent({}))).toThrow(MissingGroupTargetError);
  });
});

describe("messageGroupIdFor", () => {
  it.each([
    { what: "a group id", group: { id: "grp_abc123def456" }, expected: "id:grp_abc123def456" },
    {
      what: "a short ASCII external id",
      group: { external_reference_id: "mol_seg_001" },
      expected: "ext:mol_seg_001",
    },
    {
      what: "an external id with punctuation SQS allows",
      group: { external_reference_id: "a!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~z" },
      expected: "ext:a!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~z",
    },
    {
      what: "an external id with a space",
      group: { external_reference_id: "Tier 1" },
      expected: `h:${sha256("ext:Tier 1")}`,
    },
    {
      what: "an external id with non-ASCII",
      group: { external_reference_id: "équipe" },
      expected: `h:${sha256("ext:équipe")}`,
    },
    {
      what: "a key of 129 characters",
      group: { external_reference_id: "x".repeat(125) },
      expected: `h:${sha256(`ext:${"x".repeat(125)}`)}`,
    },
    {
      what: "a key of exactly 128 characters",
      group: { external_reference_id: "x".repeat(124) },
      expected: `ext:${"x".repeat(124)}`,
    },
  ])("uses $expected for $what", ({ group, expected }) => {
    // Act
    const id = messageGroupIdFor(anEvent(group));

    // Assess
    expect(id).toBe(expected);
    expect(id).toMatch(SQS_ID);
  });

  it("is stable and tells different long keys apart", () => {
    // Prepare
    const first = anEvent({ external_reference_id: `${"x".repeat(254)}1` });
    const second = anEvent({ external_reference_id: `${"x".repeat(254)}2` });

    // Act
    const ids = [messageGroupIdFor(first), messageGroupIdFor(first), messageGroupIdFor(second)];

    // Assess
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).not.toBe(ids[2]);
  });
});

describe("messageDeduplicationIdFor", () => {
  it.each([
    { eventId: "hr-evt-000123", expected: "hr-evt-000123" },
    { eventId: "x".repeat(128), expected: "x".repeat(128) },
    { eventId: "x".repeat(129), expected: `h:${sha256("x".repeat(129))}` },
    { eventId: "evt 1", expected: `h:${sha256("evt 1")}` },
    { eventId: "événement", expected: `h:${sha256("événement")}` },
    { eventId: "😀".repeat(255), expected: `h:${sha256("😀".repeat(255))}` },
    { eventId: `h:${"0".repeat(64)}`, expected: `h:${sha256(`h:${"0".repeat(64)}`)}` },
    { eventId: `w:${"0".repeat(64)}`, expected: `h:${sha256(`w:${"0".repeat(64)}`)}` },
    { eventId: "w-not-reserved", expected: "w-not-reserved" },
  ])("$eventId -> $expected", ({ eventId, expected }) => {
    // Act
    const id = messageDeduplicationIdFor(eventId);

    // Assess
    expect(id).toBe(expected);
    expect(id).toMatch(SQS_ID);
  });
});

describe("deliveryDeduplicationIdFor", () => {
  const body = '{"event_id":"e-1"}';

  it("is the same for a retry of one delivery, and an SQS-safe id", () => {
    // Act
    const id = deliveryDeduplicationIdFor("msg_1", 0, body);

    // Assess
    expect(id).toBe(deliveryDeduplicationIdFor("msg_1", 0, body));
    expect(id).toMatch(/^w:[0-9a-f]{64}$/);
    expect(id).toMatch(SQS_ID);
  });

  it.each([
    { what: "another delivery id", other: () => deliveryDeduplicationIdFor("msg_2", 0, body) },
    { what: "another position", other: () => deliveryDeduplicationIdFor("msg_1", 1, body) },
    { what: "another body", other: () => deliveryDeduplicationIdFor("msg_1", 0, '{"event_id":"e-2"}') },
    {
      what: "an id and position that run together",
      other: () => deliveryDeduplicationIdFor("msg_1\n0", 0, body),
    },
    { what: "the event id's own deduplication id", other: () => messageDeduplicationIdFor("e-1") },
  ])("differs for $what", ({ other }) => {
    expect(other()).not.toBe(deliveryDeduplicationIdFor("msg_1", 0, body));
  });
});
