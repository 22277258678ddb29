import { describe, expect, it } from "vitest";
import type { GroupRenamedEvent } from "../../../../functions/shared/contract/group-renamed-event.ts";
import { toGroupUpdateParams } from "../../../../functions/shared/contract/group-update-params.ts";
import { parseEventValue } from "../../../../functions/shared/contract/parse-event.ts";
import { withChanges } from "../../../fixtures/events/factories.ts";

function parsedWithChanges(changes: Record<string, unknown>): GroupRenamedEvent {
  const result = parseEventValue(withChanges(changes));
  if (!result.ok) throw new Error(`fixture did not parse: ${result.detail}`);
  return result.event;
}

describe("toGroupUpdateParams", () => {
  it.each([
    {
      what: "both fields",
      changes: { name: "Tier 1 (renamed)", external_reference_id: "mol_seg_001_v2" },
      params: { name: "Tier 1 (renamed)", external_reference_id: "mol_seg_001_v2" },
    },
    { what: "the name only", changes: { name: "Tier 1 (renamed)" }, params: { name: "Tier 1 (renamed)" } },
    {
      what: "the external reference id only",
      changes: { external_reference_id: "mol_seg_001_v2" },
      params: { external_reference_id: "mol_seg_001_v2" },
    },
    { what: "unknown change fields dropped", changes: { name: "A", colour: "red" }, params: { name: "A" } },
  ])("maps $what", ({ changes, params }) => {
    // Prepare
    const event = parsedWithChanges(changes);

    // Act
    const body = toGroupUpdateParams(event);

    // Assess: toStrictEqual also fails on keys present with an undefined value
    expect(body).toStrictEqual(params);
    expect(Object.keys(JSON.parse(JSON.stringify(body)))).toEqual(Object.keys(params));
  });
});
