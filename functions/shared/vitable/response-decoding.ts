import * as z from "zod/mini";
import { VitableResponseError } from "./errors.ts";
import type { Group, GroupPage } from "./types.ts";

const nullableTimestamp = z.pipe(
  z.nullish(z.string()),
  z.transform((value: string | null | undefined) => value ?? null),
);

const groupSchema = z.object({
  id: z.string(),
  organization_id: z.optional(z.string()),
  name: z.string(),
  external_reference_id: z.string(),
  created_at: nullableTimestamp,
  updated_at: nullableTimestamp,
});

const groupEnvelopeSchema = z.object({ data: groupSchema });

const groupPageSchema = z.object({
  data: z.array(groupSchema),
  pagination: z.object({
    page: z.number(),
    limit: z.number(),
    total: z.number(),
    total_pages: z.number(),
  }),
});

export interface RawResponse {
  status: number;
  bodyText: string;
  attempts: number;
}

/** `{ data: Group }`, as answered by retrieve and update. */
export function decodeGroup(response: RawResponse): Group {
  return decode(groupEnvelopeSchema, response).data;
}

/** `{ data: Group[], pagination }`, as answered by list. */
export function decodeGroupPage(response: RawResponse): GroupPage {
  return decode(groupPageSchema, response);
}

function decode<T>(schema: z.ZodMiniType<T>, response: RawResponse): T {
  let json: unknown;
  try {
    json = JSON.parse(response.bodyText);
  } catch {
    throw new VitableResponseError("response body is not JSON", response.status, response.attempts);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    // Paths and issue codes only: issue messages can quote received values.
    const issues = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.code}`)
      .join("; ");
    throw new VitableResponseError(
      `response body has an unexpected shape (${issues})`,
      response.status,
      response.attempts,
    );
  }
  return result.data;
}
