import { describe, expect, expectTypeOf, it } from "vitest";
import type * as z from "zod";
import type {
  GroupRenamedEvent,
  GroupRenamedEventSchema,
} from "../../../../functions/shared/contract/group-renamed-event.ts";
import { parseEventBody, parseEventValue } from "../../../../functions/shared/contract/parse-event.ts";
import { aRawEvent, bodyOf, withChanges, withGroup } from "../../../fixtures/events/factories.ts";
import { expectOutcome } from "./expect-outcome.ts";

describe("group target", () => {
  it.each([
    "grp_x/../../employers",
    "grp_x%2F..",
    "grp_../x",
    "grp_",
    "grp_abc def",
    "GRP_abc123",
    "empr_abc123def456",
    `grp_${"a".repeat(129)}`,
  ])("rejects the id %j", (id) => {
    expectOutcome(withGroup({ id }), { ok: false, path: "group.id", message: /must be a Vitable group id/ });
  });

  it("rejects an invalid id even when a valid external reference id is also given", () => {
    expectOutcome(withGroup({ id: "grp_x/y", external_reference_id: "mol_seg_001" }), {
      ok: false,
      path: "group.id",
      message: /Vitable group id/,
    });
  });

  it.each([
    { what: "nothing", group: {} },
    { what: "only unknown keys", group: { name: "Tier 1" } },
  ])("rejects a group naming $what", ({ group }) => {
    expectOutcome(withGroup(group), { ok: false, path: "group", message: /id or external_reference_id/ });
  });

  it("keeps both id and external reference id when both are given", () => {
    // Prepare
    const group = { id: "grp_zYxWvUtSrQpOnMlKjIhGfE", external_reference_id: "mol_seg_001" };

    // Act
    const result = parseEventValue(withGroup(group));

    // Assess
    expect(result).toMatchObject({ ok: true, event: { group } });
  });
});

describe("changes", () => {
  it.each([
    { what: "no fields", changes: {} },
    { what: "only unknown fields", changes: { title: "Tier 1" } },
  ])("rejects changes with $what", ({ changes }) => {
    expectOutcome(withChanges(changes), {
      ok: false,
      path: "changes",
      message: /name or external_reference_id/,
    });
  });

  it("accepts a blank-looking external reference id: only names must not be blank", () => {
    expectOutcome(withChanges({ external_reference_id: " " }), { ok: true });
  });
});

describe("null or a wrong type where a value is expected", () => {
  const cases = [
    { path: "event_id", event: aRawEvent({ event_id: null }), message: /^expected a string \(got null\)$/ },
    {
      path: "occurred_at",
      event: aRawEvent({ occurred_at: null }),
      message: /expected a string \(got null\)/,
    },
    { path: "source", event: aRawEvent({ source: null }), message: /expected a string \(got null\)/ },
    { path: "group", event: aRawEvent({ group: null }), message: /expected an object \(got null\)/ },
    { path: "changes", event: aRawEvent({ changes: null }), message: /expected an object \(got null\)/ },
    { path: "group.id", event: withGroup({ id: null }), message: /expected a string \(got null\)/ },
    {
      path: "group.external_reference_id",
      event: withGroup({ external_reference_id: null }),
      message: /expected a string \(got null\)/,
    },
    { path: "changes.name", event: withChanges({ name: null }), message: /expected a string \(got null\)/ },
    {
      path: "changes.external_reference_id",
      event: withChanges({ external_reference_id: null }),
      message: /expected a string \(got null\)/,
    },
    { path: "changes.name", event: withChanges({ name: 7 }), message: /expected a string \(got number\)/ },
    {
      path: "group",
      event: aRawEvent({ group: ["grp_abc123def456"] }),
      message: /expected an object \(got array\)/,
    },
    { path: "event_id", event: aRawEvent({ event_id: undefined }), message: /^is required$/ },
    { path: "type", event: aRawEvent({ type: null }), message: /expected a string \(got null\)/ },
    { path: "type", event: aRawEvent({ type: undefined }), message: /^is required$/ },
  ];

  it.each(cases)("reports $path: $message", ({ path, event, message }) => {
    expectOutcome(event, { ok: false, path, message });
  });

  it("names the path in the one-line detail", () => {
    // Act
    const result = parseEventBody(bodyOf(withChanges({ name: null })));

    // Assess
    expect(result).toMatchObject({ ok: false, detail: "changes.name: expected a string (got null)" });
  });
});

describe("schema_version", () => {
  const cases = [
    { what: "absent", version: undefined, expected: { ok: true, version: 1 } },
    { what: "1", version: 1, expected: { ok: true, version: 1 } },
    { what: "1.0 (same JSON number)", version: 1.0, expected: { ok: true, version: 1 } },
    { what: "2", version: 2, expected: { ok: false, reason: "unsupported_schema_version" } },
    { what: "0", version: 0, expected: { ok: false, reason: "unsupported_schema_version" } },
    { what: "1.5", version: 1.5, expected: { ok: false, reason: "unsupported_schema_version" } },
    { what: '"1" (a string)', version: "1", expected: { ok: false, reason: "invalid_message" } },
    { what: "null", version: null, expected: { ok: false, reason: "invalid_message" } },
  ] as const;

  it.each(cases)("$what", ({ version, expected }) => {
    // Prepare
    const body = bodyOf(aRawEvent({ schema_version: version }));

    // Act
    const result = parseEventBody(body);

    // Assess
    if (expected.ok) {
      expect(result).toMatchObject({ ok: true, event: { schema_version: expected.version } });
    } else {
      expect(result).toMatchObject({
        ok: false,
        reason: expected.reason,
        issues: [{ path: "schema_version" }],
      });
    }
  });

  it("names the unsupported version in the detail", () => {
    expect(parseEventValue(aRawEvent({ schema_version: 2 }))).toMatchObject({
      detail: "schema_version: 2 is not supported (this consumer reads 1)",
    });
  });
});

describe("type", () => {
  it.each(["group.deleted", "group.created", "Group.Renamed", "group.renamed ", ""])(
    "refuses %j as unsupported_event_type",
    (type) => {
      // Act
      const result = parseEventValue(aRawEvent({ type }));

      // Assess
      expect(result).toMatchObject({
        ok: false,
        reason: "unsupported_event_type",
        issues: [{ path: "type" }],
      });
    },
  );

  it("shows a long unknown type shortened", () => {
    // Act
    const result = parseEventValue(aRawEvent({ type: `x${"y".repeat(10_000)}` }));

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.detail.length).toBeLessThanOrEqual(256);
    expect(result.detail).toContain("…");
  });
});

describe("occurred_at", () => {
  it.each([
    { value: "2026-01-16T09:12:00Z", ok: true },
    { value: "2026-01-16T14:42:00+05:30", ok: true },
    { value: "2026-01-16T01:12:00-08:00", ok: true },
    { value: "2026-01-16t09:12:00z", ok: true },
    { value: "2026-01-16T09:12:00.5Z", ok: true },
    { value: "2026-01-16T09:12:00", ok: false },
    { value: "2026-01-16 09:12:00Z", ok: false },
    { value: "2026-01-16T09:12Z", ok: false },
    { value: "2026-01-16T09:12:00+0530", ok: false },
    { value: "2026-02-30T09:12:00Z", ok: false },
    { value: "Fri, 16 Jan 2026 09:12:00 GMT", ok: false },
  ])("$value -> ok $ok", ({ value, ok }) => {
    // Act
    const result = parseEventValue(aRawEvent({ occurred_at: value }));

    // Assess
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.issues).toEqual([{ path: "occurred_at", message: expect.any(String) }]);
  });

  it("keeps the timestamp as sent (the ledger canonicalizes it)", () => {
    // Act
    const result = parseEventValue(aRawEvent({ occurred_at: "2026-01-16t14:42:00+05:30" }));

    // Assess
    expect(result).toMatchObject({ ok: true, event: { occurred_at: "2026-01-16t14:42:00+05:30" } });
  });
});

describe("forward compatibility", () => {
  it("ignores unknown keys at every level and leaves them out of the parsed event", () => {
    // Prepare
    const event = {
      ...aRawEvent({
        group: { id: "grp_abc123def456", display: "Tier 1" },
        changes: { name: "Tier 2", cost_center: "CC-9" },
      }),
      trace: { tenant: "acme" },
    };

    // Act
    const result = parseEventValue(event);

    // Assess
    expect(result).toEqual({
      ok: true,
      envelope: "raw",
      event: {
        schema_version: 1,
        type: "group.renamed",
        event_id: "hr-evt-000123",
        occurred_at: "2026-01-16T09:12:00Z",
        group: { id: "grp_abc123def456" },
        changes: { name: "Tier 2" },
        source: "workday",
      },
    });
  });

  it("ignores an unknown key named __proto__", () => {
    // Prepare
    const body = bodyOf(aRawEvent()).replace("{", '{"__proto__":{"polluted":true},');

    // Act
    const result = parseEventBody(body);

    // Assess
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("the published type", () => {
  it("is exactly what the schema produces", () => {
    expectTypeOf<z.output<typeof GroupRenamedEventSchema>>().toEqualTypeOf<GroupRenamedEvent>();
  });
});
