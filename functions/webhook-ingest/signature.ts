import { createHmac, timingSafeEqual } from "node:crypto";

/** Header names as API Gateway hands them over (HTTP API payload v2 lowercases every header name). */
export const SIGNATURE_HEADER = "x-group-sync-signature";
export const TIMESTAMP_HEADER = "x-group-sync-timestamp";

export const SIGNATURE_SCHEME = "sha256";

/** A signed request is accepted this many seconds either side of our clock, and no further. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE_VALUE = /^sha256=([0-9a-f]{64})$/i;
// Digits only: "1e9", "+5" or " 5" are not timestamps, whatever Number() says.
const TIMESTAMP_VALUE = /^\d{1,12}$/;

/** HMAC-SHA256 over `<timestamp>.<raw body>`, the bytes exactly as sent. */
export function computeSignature(secret: string, timestamp: string, rawBody: Uint8Array | string): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.`, "utf8").update(rawBody).digest();
}

/** The two headers a sender adds to a request whose body is `rawBody`. */
export function signatureHeaders(
  secret: string,
  rawBody: Uint8Array | string,
  timestampSeconds: number,
): Record<typeof SIGNATURE_HEADER | typeof TIMESTAMP_HEADER, string> {
  const timestamp = String(Math.floor(timestampSeconds));
  const hex = computeSignature(secret, timestamp, rawBody).toString("hex");
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `${SIGNATURE_SCHEME}=${hex}` };
}

/** Why a request was refused. For our logs only: the caller is told nothing more than "invalid signature". */
export type SignatureRefusal = "missing_header" | "malformed_header" | "stale_timestamp" | "mismatch";

export type SignatureCheck = { ok: true; secretIndex: number } | { ok: false; reason: SignatureRefusal };

export interface SignedRequest {
  signatureHeader: string | undefined;
  timestampHeader: string | undefined;
  rawBody: Uint8Array;
}

/**
 * Accepts the request when its timestamp is within the tolerance and its signature matches any of `secrets`
 * (the current one and, during a rotation, the previous one). Every secret is compared, in constant time, so
 * the time taken does not tell which one matched or how much of a signature was right.
 */
export function verifySignature(
  request: SignedRequest,
  secrets: readonly string[],
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  const { signatureHeader, timestampHeader } = request;
  if (!signatureHeader || !timestampHeader) return { ok: false, reason: "missing_header" };
  const hex = SIGNATURE_VALUE.exec(signatureHeader.trim())?.[1];
  const timestamp = timestampHeader.trim();
  if (hex === undefined || !TIMESTAMP_VALUE.test(timestamp)) return { ok: false, reason: "malformed_header" };
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, reason: "stale_timestamp" };
  }
  // The regex guarantees 64 hex digits, so both buffers are 32 bytes, as timingSafeEqual requires.
  const presented = Buffer.from(hex, "hex");
  let matched = -1;
  secrets.forEach((secret, index) => {
    const expected = computeSignature(secret, timestamp, request.rawBody);
    if (timingSafeEqual(expected, presented) && matched === -1) matched = index;
  });
  return matched === -1 ? { ok: false, reason: "mismatch" } : { ok: true, secretIndex: matched };
}
