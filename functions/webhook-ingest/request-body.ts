/** The request body as a whole may be at most this many bytes unless MAX_BODY_BYTES says otherwise (256 KiB). */
export const DEFAULT_MAX_REQUEST_BYTES = 262_144;

/** Plain JSON, and the CloudEvents structured and batch modes, which are JSON too (what CloudEvents SDKs send). */
const JSON_MEDIA_TYPES = new Set([
  "application/json",
  "application/cloudevents+json",
  "application/cloudevents-batch+json",
]);

/**
 * `application/json` (or a CloudEvents JSON type), in any letter case, optionally with a UTF-8 charset parameter.
 * JSON is UTF-8 on the wire (RFC 8259), so any other charset or parameter means the sender is not sending what
 * we read.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [mediaType = "", ...parameters] = header.split(";").map((part) => part.trim().toLowerCase());
  if (!JSON_MEDIA_TYPES.has(mediaType)) return false;
  return parameters.every((parameter) => parameter === "" || /^charset="?utf-8"?$/.test(parameter));
}

/**
 * The body's bytes exactly as the sender sent them: API Gateway base64-encodes some bodies, and a signature is
 * computed over bytes, so nothing may be re-encoded on the way.
 */
export function rawBodyBytes(body: string | undefined, isBase64Encoded: boolean): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
}

/** Decodes UTF-8 strictly: a malformed byte sequence is an error, not a silent U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}
