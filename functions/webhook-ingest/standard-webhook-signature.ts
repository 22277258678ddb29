import { createHmac, timingSafeEqual } from "node:crypto";
import { SIGNATURE_TOLERANCE_SECONDS } from "./signature.ts";

/** Standard Webhooks v1.0.0 header names, lowercased as API Gateway hands them over. */
export const WEBHOOK_ID_HEADER = "webhook-id";
export const WEBHOOK_TIMESTAMP_HEADER = "webhook-timestamp";
export const WEBHOOK_SIGNATURE_HEADER = "webhook-signature";

/** The prefix of a Standard Webhooks secret; the rest is the key in standard base64. */
export const STANDARD_SECRET_PREFIX = "whsec_";

/** A webhook-id goes into logs and deduplication ids: printable ASCII without spaces, and bounded. */
export const MAX_WEBHOOK_ID_LENGTH = 256;
const WEBHOOK_ID_VALUE = new RegExp(`^[\\x21-\\x7e]{1,${MAX_WEBHOOK_ID_LENGTH}}$`);
const TIMESTAMP_VALUE = /^\d{1,12}$/;
const BASE64_KEY = /^[A-Za-z0-9+/]+={0,2}$/;
// The base64 of a 32-byte HMAC-SHA256 is 43 characters and one "=".
const V1_SIGNATURE = /^[A-Za-z0-9+/]{43}=$/;
// A header holds a few entries during a rotation; more is no sender we know, and each costs a comparison.
const MAX_SIGNATURE_ENTRIES = 32;

/** Whether `id` can be a webhook-id here: 1 to 256 printable ASCII characters, no spaces. */
export function isValidWebhookId(id: string): boolean {
  return WEBHOOK_ID_VALUE.test(id);
}

/**
 * The HMAC key behind a `whsec_<base64>` secret, or undefined when the secret is not of that form (such a
 * secret still signs the group-sync scheme, where the text itself is the key).
 */
export function standardWebhookKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(STANDARD_SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(STANDARD_SECRET_PREFIX.length);
  if (!BASE64_KEY.test(encoded) || encoded.replace(/=+$/, "").length % 4 === 1) return undefined;
  const key = Buffer.from(encoded, "base64");
  return key.length > 0 ? key : undefined;
}

/** base64 HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{raw body}`, the body's bytes exactly as sent. */
export function computeStandardSignature(
  key: Uint8Array,
  webhookId: string,
  timestamp: string,
  rawBody: Uint8Array | string,
): Buffer {
  return createHmac("sha256", key).update(`${webhookId}.${timestamp}.`, "utf8").update(rawBody).digest();
}

/** The three headers a Standard Webhooks sender adds; `secret` must be of the `whsec_<base64>` form. */
export function standardWebhookHeaders(
  secret: string,
  webhookId: string,
  rawBody: Uint8Array | string,
  timestampSeconds: number,
): Record<
  typeof WEBHOOK_ID_HEADER | typeof WEBHOOK_TIMESTAMP_HEADER | typeof WEBHOOK_SIGNATURE_HEADER,
  string
> {
  const key = standardWebhookKey(secret);
  if (key === undefined) throw new Error(`the secret is not of the form ${STANDARD_SECRET_PREFIX}<base64>`);
  const timestamp = String(Math.floor(timestampSeconds));
  const signature = computeStandardSignature(key, webhookId, timestamp, rawBody).toString("base64");
  return {
    [WEBHOOK_ID_HEADER]: webhookId,
    [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
    [WEBHOOK_SIGNATURE_HEADER]: `v1,${signature}`,
  };
}

/** Why a Standard Webhooks request was refused; for our logs only. */
export type StandardRefusal =
  | "malformed_header"
  | "stale_timestamp"
  | "no_v1_signature"
  | "no_standard_secret"
  | "mismatch";

export type StandardCheck =
  | { ok: true; secretIndex: number; webhookId: string }
  | { ok: false; reason: StandardRefusal };

export interface StandardSignedRequest {
  webhookId: string;
  timestampHeader: string;
  signatureHeader: string;
  rawBody: Uint8Array;
}

/** The decoded `v1` entries of a webhook-signature header; other versions (e.g. `v1a`) and junk are ignored. */
function v1Signatures(header: string): Buffer[] {
  return header
    .split(" ")
    .slice(0, MAX_SIGNATURE_ENTRIES)
    .flatMap((entry) => {
      const comma = entry.indexOf(",");
      if (comma === -1 || entry.slice(0, comma) !== "v1") return [];
      const value = entry.slice(comma + 1);
      return V1_SIGNATURE.test(value) ? [Buffer.from(value, "base64")] : [];
    });
}

/**
 * Standard Webhooks v1.0.0: accepted when the timestamp is within 5 minutes either way and one `v1` entry
 * matches one `whsec_` secret. Every entry is compared with every key in constant time, without stopping at a
 * match, so the time taken does not tell which entry or key matched.
 */
export function verifyStandardSignature(
  request: StandardSignedRequest,
  secrets: readonly string[],
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): StandardCheck {
  const webhookId = request.webhookId.trim();
  const timestamp = request.timestampHeader.trim();
  if (!isValidWebhookId(webhookId) || !TIMESTAMP_VALUE.test(timestamp)) {
    return { ok: false, reason: "malformed_header" };
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, reason: "stale_timestamp" };
  }
  const presented = v1Signatures(request.signatureHeader);
  if (presented.length === 0) return { ok: false, reason: "no_v1_signature" };
  const keys = secrets.map(standardWebhookKey);
  if (keys.every((key) => key === undefined)) return { ok: false, reason: "no_standard_secret" };
  let matched = -1;
  keys.forEach((key, index) => {
    if (key === undefined) return;
    const expected = computeStandardSignature(key, webhookId, timestamp, request.rawBody);
    for (const signature of presented) {
      if (timingSafeEqual(expected, signature) && matched === -1) matched = index;
    }
  });
  return matched === -1 ? { ok: false, reason: "mismatch" } : { ok: true, secretIndex: matched, webhookId };
}
