import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  groupRenamedEventJsonSchema,
  renderGroupRenamedEventJsonSchema,
} from "../../../../functions/shared/contract/json-schema.ts";
import { parseEventValue } from "../../../../functions/shared/contract/parse-event.ts";
import { DISPLAY_NAME_PATTERN } from "../../../../functions/shared/contract/text-fields.ts";
import { GROUP_ID_PATTERN } from "../../../../functions/shared/group-id.ts";
import { withChanges } from "../../../fixtures/events/factories.ts";

const SCHEMA_FILE = fileURLToPath(
  new URL("../../../../schema/group-renamed-event.v1.schema.json", import.meta.url),
);

type Schema = Record<string, unknown> & { properties: Record<string, Schema> };

function propertyAt(schema: Schema, path: string): Schema {
  return path.split(".").reduce<Schema>((node, key) => {
    const child = node.properties[key];
    if (!child) throw new Error(`no property ${path} in the JSON Schema`);
    return child;
  }, schema);
}

describe("schema/group-renamed-event.v1.schema.json", () => {
  it("is what `npm run schema` generates now (run it after changing the contract)", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(renderGroupRenamedEventJsonSchema());
  });
});

describe("the generated JSON Schema", () => {
  const schema = groupRenamedEventJsonSchema() as Schema;

  it("is draft 2020-12, open to unknown keys, and requires the mandatory fields", () => {
    expect(schema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      additionalProperties: true,
      required: ["type", "event_id", "occurred_at", "group", "changes"],
    });
    expect(propertyAt(schema, "group").additionalProperties).toBe(true);
    expect(propertyAt(schema, "changes").additionalProperties).toBe(true);
  });

  it.each([
    "event_id",
    "source",
    "group.external_reference_id",
    "changes.name",
    "changes.external_reference_id",
  ])("states the code-point length of %s", (path) => {
    expect(propertyAt(schema, path)).toMatchObject({ type: "string", minLength: 1, maxLength: 255 });
  });

  it("states the group id pattern, version, type and timestamp format", () => {
    expect(propertyAt(schema, "group.id")).toMatchObject({
      type: "string",
      pattern: GROUP_ID_PATTERN.source,
    });
    expect(propertyAt(schema, "schema_version")).toMatchObject({ type: "integer", const: 1, default: 1 });
    expect(propertyAt(schema, "type")).toMatchObject({ const: "group.renamed" });
    expect(propertyAt(schema, "occurred_at")).toMatchObject({ type: "string", format: "date-time" });
  });

  it.each([
    { path: "group", keys: ["id", "external_reference_id"] },
    { path: "changes", keys: ["name", "external_reference_id"] },
  ])("requires at least one of $keys in $path", ({ path, keys }) => {
    expect(propertyAt(schema, path).anyOf).toEqual(keys.map((key) => ({ required: [key] })));
  });
});

describe("the name pattern published in the JSON Schema", () => {
  const pattern = new RegExp(DISPLAY_NAME_PATTERN, "u");

  it.each([
    "Tier 1",
    "  Tier 1  ",
    "😀",
    "e\u0301",
    "\u00a0x",
    " ",
    "\t",
    "\u3000",
    "\ufeff",
    "Tier\u00001",
    "Tier\u001f",
    "\u007f",
    "a\u0085",
    "a\u009f",
    "a\u00a0",
    "line\nbreak",
  ])("agrees with the contract on %j", (name) => {
    // Act
    const accepted = parseEventValue(withChanges({ name })).ok;

    // Assess
    expect(pattern.test(name)).toBe(accepted);
  });
});
