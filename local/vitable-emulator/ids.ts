import { randomBytes, randomUUID } from "node:crypto";

/**
 * `<prefix>_` + 16 random bytes in unpadded base64url: 22 characters, the length of the documented examples.
 * The docs do not name the alphabet; base64url keeps `/` (a path separator) out of ids.
 */
export function newPrefixedId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString("base64url")}`;
}

export function newGroupId(): string {
  return newPrefixedId("grp");
}

export function newOrganizationId(): string {
  return newPrefixedId("org");
}

/** The trace id format is not documented; a UUID is unique per response, which is all clients rely on. */
export function newTraceId(): string {
  return randomUUID();
}
