import * as z from "zod/mini";
import { GroupRenamedEventSchema } from "./group-renamed-event.ts";

export const JSON_SCHEMA_ID = "urn:vitable-group-sync:schema:group-renamed-event:v1";

/**
 * The published JSON Schema (draft 2020-12) of the event as the HR side writes it (io "input": schema_version
 * may be left out). Generated from the zod schema so the two cannot drift; lengths are in code points.
 */
export function groupRenamedEventJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(GroupRenamedEventSchema, { target: "draft-2020-12", io: "input" });
  const { $schema, ...rest } = generated;
  return { $schema, $id: JSON_SCHEMA_ID, ...rest };
}

/** The file content of schema/group-renamed-event.v1.schema.json. */
export function renderGroupRenamedEventJsonSchema(): string {
  return `${JSON.stringify(groupRenamedEventJsonSchema(), null, 2)}\n`;
}
