import { webcrypto } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  computeSignature,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  type SignatureCheck,
  signatureHeaders,
  TIMESTAMP_HEADER,
  verifySignature,
} from "../../../functions/webhook-ingest/signature.ts";
import { NOW_SECONDS, OTHER_SECRET, PREVIOUS_SECRET, SECRET } from "./support.ts";

const BODY = Buffer.from('{"type":"group.renamed","event_id":"e-1"}\n', "utf8");

interface Case {
  title: string;
  secrets?: string[];
  signWith?: string;
  signedBody?: Buffer;
  timestamp?: number;
  headers?: Partial<Record<typeof SIGNATURE_HEADER | typeof TIMESTAMP_HEADER, string | undefined>>;
  expected: SignatureCheck;
}

function check(testCase: Case): SignatureCheck {
  const signed = signatureHeaders(
    testCase.signWith ?? SECRET,
    testCase.signedBody ?? BODY,
    testCase.timestamp ?? NOW_SECONDS,
  );
  const headers = { ...signed, ...testCase.headers };
  return verifySignature(
    { signatureHeader: headers[SIGNATURE_HEADER], timestampHeader: headers[TIMESTAMP_HEADER], rawBody: BODY },
    testCase.secrets ?? [SECRET],
    NOW_SECONDS,
  );
}

describe("verifySignature", () => {
  it.each<Case>([
    { title: "a valid signature", expected: { ok: true, secretIndex: 0 } },
    {
      title: "a tampered body",
      signedBody: Buffer.from('{"type":"group.renamed","event_id":"e-2"}\n'),
      expected: { ok: false, reason: "mismatch" },
    },
    {
      title: "a body that lost its trailing newline",
      signedBody: BODY.subarray(0, BODY.length - 1),
      expected: { ok: false, reason: "mismatch" },
    },
    { title: "the wrong secret", signWith: OTHER_SECRET, expected: { ok: false, reason: "mismatch" } },
    {
      title: "an expired timestamp",
      timestamp: NOW_SECONDS - SIGNATURE_TOLERANCE_SECONDS - 1,
      expected: { ok: false, reason: "stale_timestamp" },
    },
    {
      title: "a future timestamp beyond the tolerance",
      timestamp: NOW_SECONDS + SIGNATURE_TOLERANCE_SECONDS + 1,
      expected: { ok: false, reason: "stale_timestamp" },
    },
    {
      title: "a timestamp exactly at the past edge of the tolerance",
      timestamp: NOW_SECONDS - SIGNATURE_TOLERANCE_SECONDS,
      expected: { ok: true, secretIndex: 0 },
    },
    {
      title: "a timestamp exactly at the future edge of the tolerance",
      timestamp: NOW_SECONDS + SIGNATURE_TOLERANCE_SECONDS,
      expected: { ok: true, secretIndex: 0 },
    },
    {
      title: "a missing signature header",
      headers: { [SIGNATURE_HEADER]: undefined },
      expected: { ok: false, reason: "missing_header" },
    },
    {
      title: "a missing timestamp header",
      headers: { [TIMESTAMP_HEADER]: undefined },
      expected: { ok: false, reason: "missing_header" },
    },
    {
      title: "an empty signature header",
      headers: { [SIGNATURE_HEADER]: "" },
      expected: { ok: false, reason: "missing_header" },
    },
    {
      title: "a signature without the scheme",
      headers: { [SIGNATURE_HEADER]: "a".repeat(64) },
      expected: { ok: false, reason: "malformed_header" },
    },
    {
      title: "another scheme",
      headers: { [SIGNATURE_HEADER]: `sha512=${"a".repeat(64)}` },
      expected: { ok: false, reason: "malformed_header" },
    },
    {
      title: "a truncated signature",
      headers: { [SIGNATURE_HEADER]: `sha256=${"a".repeat(63)}` },
      expected: { ok: false, reason: "malformed_header" },
    },
    {
      title: "a signature with non-hex digits",
      headers: { [SIGNATURE_HEADER]: `sha256=${"g".repeat(64)}` },
      expected: { ok: false, reason: "malformed_header" },
    },
    {
      title: "a timestamp in exponent notation",
      headers: { [TIMESTAMP_HEADER]: "1.768554720e9" },
      expected: { ok: false, reason: "malformed_header" },
    },
    {
      title: "a timestamp in milliseconds",
      headers: { [TIMESTAMP_HEADER]: String(NOW_SECONDS * 1000) },
      expected: { ok: false, reason: "malformed_header" },
    },
    {
      title: "a request signed with the previous secret during a rotation",
      secrets: [SECRET, PREVIOUS_SECRET],
      signWith: PREVIOUS_SECRET,
      expected: { ok: true, secretIndex: 1 },
    },
    {
      title: "a request signed with the previous secret after the rotation ended",
      secrets: [SECRET],
      signWith: PREVIOUS_SECRET,
      expected: { ok: false, reason: "mismatch" },
    },
    {
      title: "a request signed with the new secret during a rotation",
      secrets: [SECRET, PREVIOUS_SECRET],
      expected: { ok: true, secretIndex: 0 },
    },
  ])("judges $title", (testCase) => {
    // Act
    const result = check(testCase);

    // Assess
    expect(result).toEqual(testCase.expected);
  });

  it("refuses a signature replayed with a different timestamp", () => {
    // Prepare
    const original = signatureHeaders(SECRET, BODY, NOW_SECONDS - 10);

    // Act
    const result = verifySignature(
      { signatureHeader: original[SIGNATURE_HEADER], timestampHeader: String(NOW_SECONDS), rawBody: BODY },
      [SECRET],
      NOW_SECONDS,
    );

    // Assess
    expect(result).toEqual({ ok: false, reason: "mismatch" });
  });

  it("accepts upper-case hex and surrounding whitespace in the headers", () => {
    // Prepare
    const signed = signatureHeaders(SECRET, BODY, NOW_SECONDS);

    // Act
    const result = verifySignature(
      {
        signatureHeader: ` ${signed[SIGNATURE_HEADER].toUpperCase().replace("SHA256=", "sha256=")} `,
        timestampHeader: ` ${signed[TIMESTAMP_HEADER]}`,
        rawBody: BODY,
      },
      [SECRET],
      NOW_SECONDS,
    );

    // Assess
    expect(result).toEqual({ ok: true, secretIndex: 0 });
  });
});

describe("signatureHeaders", () => {
  it.each([
    { title: "ASCII JSON", body: '{"a":1}' },
    { title: "UTF-8 text with CRLF", body: '{"name":"Équipe Montréal 🇨🇦"}\r\n' },
    { title: "an empty body", body: "" },
  ])(
    "signs `<timestamp>.<raw body>` with HMAC-SHA256, as an independent implementation computes it ($title)",
    async ({ body }) => {
      // Prepare
      const key = await webcrypto.subtle.importKey(
        "raw",
        Buffer.from(SECRET, "utf8"),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const expected = Buffer.from(
        await webcrypto.subtle.sign("HMAC", key, Buffer.from(`${NOW_SECONDS}.${body}`, "utf8")),
      ).toString("hex");

      // Act
      const headers = signatureHeaders(SECRET, Buffer.from(body, "utf8"), NOW_SECONDS + 0.9);

      // Assess
      expect(headers).toEqual({
        [TIMESTAMP_HEADER]: String(NOW_SECONDS),
        [SIGNATURE_HEADER]: `sha256=${expected}`,
      });
      expect(computeSignature(SECRET, String(NOW_SECONDS), body).toString("hex")).toBe(expected);
    },
  );
});
