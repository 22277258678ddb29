import type { GroupUpdateParams } from "../../functions/shared/vitable/types.ts";
import { badRequest, unprocessable } from "./http-errors.ts";

/**
 * Request validation. Choices where the API is silent: malformed requests (query values, JSON syntax, a body that
 * is not an object) are 400; well-formed JSON objects with bad field values (missing, wrong type, null, too long)
 * are 422. Lengths count Unicode code points, so an emoji counts once. Unknown body fields are ignored.
 */

export const MAX_TEXT_LENGTH = 255;
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;

export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

export interface ListQuery {
  page: number;
  limit: number;
  externalReferenceId: string | undefined;
}

/** Out-of-range or non-integer `limit`/`page` are rejected (400) rather than clamped, so client bugs surface. */
export function parseListQuery(params: URLSearchParams, filterByExternalReference: boolean): ListQuery {
  return {
    limit: integerParam(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
    page: integerParam(params, "page", 1, 1, Number.MAX_SAFE_INTEGER),
    externalReferenceId: filterByExternalReference ? singleParam(params, "external_reference_id") : undefined,
  };
}

function singleParam(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw badRequest(`${name} must be given at most once`, "invalid_query");
  return values[0];
}

function integerParam(
  params: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = singleParam(params, name);
  if (raw === undefined) return fallback;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw badRequest(`${name} must be an integer ${range}`, "invalid_query");
  }
  return value;
}

/** An empty body counts as `{}` (the SDKs send PATCH without a body). */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("Request body is not valid JSON", "invalid_json");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("Request body must be a JSON object", "invalid_body");
  }
  return value as Record<string, unknown>;
}

export interface CreateGroupBody {
  name: string;
  external_reference_id: string;
}

export function parseCreateBody(body: Record<string, unknown>): CreateGroupBody {
  return {
    name: requiredText(body, "name"),
    external_reference_id: requiredText(body, "external_reference_id"),
  };
}

/**
 * Omitted fields stay unchanged. Explicit null is rejected (422): responses never hold null, so null cannot mean
 * "clear", and silently ignoring it would hide client bugs. The PATCH schema has no minLength for
 * external_reference_id, so "" is accepted there (it must still be unique).
 */
export function parseUpdateBody(body: Record<string, unknown>): GroupUpdateParams {
  const changes: GroupUpdateParams = {};
  const name = optionalText(body, "name", 1);
  const externalReferenceId = optionalText(body, "external_reference_id", 0);
  if (name !== undefined) changes.name = name;
  if (externalReferenceId !== undefined) changes.external_reference_id = externalReferenceId;
  return changes;
}

function requiredText(body: Record<string, unknown>, field: string): string {
  const value = optionalText(body, field, 1);
  if (value === undefined) throw unprocessable(`${field} is required`);
  return value;
}

function optionalText(body: Record<string, unknown>, field: string, minLength: number): string | undefined {
  if (!Object.hasOwn(body, field)) return undefined;
  const value = body[field];
  if (value === null) throw unprocessable(`${field} must not be null`);
  if (typeof value !== "string") throw unprocessable(`${field} must be a string`);
  const length = codePointLength(value);
  if (length < minLength || length > MAX_TEXT_LENGTH) {
    throw unprocessable(`${field} must be ${minLength} to ${MAX_TEXT_LENGTH} characters long`);
  }
  return value;
}
