import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./signature.ts";
import {
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from "./standard-webhook-signature.ts";

/** `group-sync`: this project's x-group-sync-* headers; `standard`: Standard Webhooks v1.0.0 (webhook-*). */
export type SigningScheme = "group-sync" | "standard";

export const SCHEME_HEADERS: Record<SigningScheme, readonly string[]> = {
  "group-sync": [TIMESTAMP_HEADER, SIGNATURE_HEADER],
  standard: [WEBHOOK_ID_HEADER, WEBHOOK_TIMESTAMP_HEADER, WEBHOOK_SIGNATURE_HEADER],
};

export type SchemeChoice =
  | { ok: true; scheme: SigningScheme }
  /** `unsigned` carries no header of either scheme; the others say what is wrong in `message`. */
  | { ok: false; reason: "unsigned" }
  | { ok: false; reason: "mixed_schemes" | "incomplete_headers"; message: string };

/**
 * The scheme is chosen by the headers present. Headers of both schemes, or only part of one, are refused with a
 * message naming the headers: it tells the sender nothing it did not send itself, and saves it guessing.
 */
export function chooseSigningScheme(headers: ReadonlyMap<string, string>): SchemeChoice {
  const present = (name: string) => (headers.get(name) ?? "").trim() !== "";
  const used = (Object.keys(SCHEME_HEADERS) as SigningScheme[]).filter((scheme) =>
    SCHEME_HEADERS[scheme].some(present),
  );
  const [scheme, other] = used;
  if (scheme === undefined) return { ok: false, reason: "unsigned" };
  if (other !== undefined) {
    return {
      ok: false,
      reason: "mixed_schemes",
      message:
        "the request carries headers of two signature schemes; send either x-group-sync-timestamp and " +
        "x-group-sync-signature, or webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks)",
    };
  }
  const missing = SCHEME_HEADERS[scheme].filter((name) => !present(name));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: "incomplete_headers",
      message: `missing ${missing.join(" and ")}: a signed request carries ${SCHEME_HEADERS[scheme].join(", ")}`,
    };
  }
  return { ok: true, scheme };
}
