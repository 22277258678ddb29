import { createHash, timingSafeEqual } from "node:crypto";

/** True when the Authorization header is `Bearer <one of the keys>`; compared in constant time. */
export function isAuthorized(header: string | undefined, apiKeys: readonly string[]): boolean {
  const presented = /^Bearer +(\S+) *$/i.exec(header ?? "")?.[1];
  if (presented === undefined) return false;
  const presentedDigest = digest(presented);
  let accepted = false;
  for (const key of apiKeys) accepted = timingSafeEqual(digest(key), presentedDigest) || accepted;
  return accepted;
}

// Equal-length digests let timingSafeEqual compare keys of any length.
function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
