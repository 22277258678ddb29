import * as z from "zod/mini";
import { GROUP_ID_PATTERN } from "../group-id.ts";
import { checkOccurredAt, OCCURRED_AT_MESSAGES } from "./occurred-at.ts";
import { boundedText, displayName } from "./text-fields.ts";

export const SCHEMA_VERSION = 1;
export const EVENT_TYPE = "group.renamed";

/**
 * Version 1 of the HR "group renamed" event. Unknown keys are accepted and dropped from the parsed value, so the HR
 * side can add fields without breaking us. Lengths count Unicode code points, as JSON Schema does.
 */
export type GroupRenamedEvent = {
  schema_version: 1;
  type: "group.renamed";
  event_id: string;
  occurred_at: string;
  group: { id?: string; external_reference_id?: string };
  changes: { name?: string; external_reference_id?: string };
  source?: string;
};

// JSON Schema leaves unknown keys allowed by default; saying it explicitly documents the forward-compatibility rule.
const OPEN_OBJECT = { additionalProperties: true };

const occurredAt = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = checkOccurredAt(value);
    if (problem) ctx.addIssue({ code: "custom", message: OCCURRED_AT_MESSAGES[problem] });
  }),
  z.meta({ format: "date-time", description: "RFC 3339 date-time with an offset (Z or ±HH:MM)." }),
);

const groupTarget = z
  .object({
    id: z.optional(
      z.string().check(
        z.regex(GROUP_ID_PATTERN, {
          error: "must be a Vitable group id: grp_ then 1 to 128 of A-Z a-z 0-9 _ + - (no / or %)",
        }),
      ),
    ),
    external_reference_id: z.optional(boundedText()),
  })
  .check(
    z.superRefine((group, ctx) => {
      if (group.id === undefined && group.external_reference_id === undefined) {
        ctx.addIssue({ code: "custom", message: "must contain id or external_reference_id" });
      }
    }),
    z.meta({
      ...OPEN_OBJECT,
      description:
        "The target group, by Vitable id or by external reference id. When both are given, id wins.",
      anyOf: [{ required: ["id"] }, { required: ["external_reference_id"] }],
    }),
  );

const changes = z
  .object({
    name: z.optional(displayName()),
    external_reference_id: z.optional(boundedText()),
  })
  .check(
    z.superRefine((fields, ctx) => {
      if (fields.name === undefined && fields.external_reference_id === undefined) {
        ctx.addIssue({ code: "custom", message: "must contain name or external_reference_id" });
      }
    }),
    z.meta({
      ...OPEN_OBJECT,
      description: "The new values. Fields left out stay unchanged in Vitable.",
      anyOf: [{ required: ["name"] }, { required: ["external_reference_id"] }],
    }),
  );

export const GroupRenamedEventSchema = z
  .object({
    schema_version: z._default(z.literal(SCHEMA_VERSION), SCHEMA_VERSION).check(z.meta({ type: "integer" })),
    type: z.literal(EVENT_TYPE),
    event_id: boundedText().check(
      z.meta({ description: "Unique per event; repeats of an id are treated as duplicates." }),
    ),
    occurred_at: occurredAt,
    group: groupTarget,
    changes,
    source: z.optional(boundedText()).check(z.meta({ description: "Free text naming the sending system." })),
  })
  .check(
    z.meta({
      ...OPEN_OBJECT,
      title: "HR group renamed event, version 1",
      description:
        "Body of a group.renamed message, as sent raw or inside an envelope: SNS (the event as JSON text in Message), " +
        'EventBridge (in detail) or CloudEvents 1.0 structured mode (specversion "1.0", a non-empty type, id and ' +
        "source, and the event in data, or as JSON in data_base64). Unknown keys are ignored.",
    }),
  );
