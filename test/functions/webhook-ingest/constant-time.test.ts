import type * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

// Spy on the comparison the module imports, keeping its real behaviour.
vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const { timingSafeEqual } = await import("node:crypto");
const { signatureHeaders, verifySignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } = await import(
  "../../../functions/webhook-ingest/signature.ts"
);
const { NOW_SECONDS, OTHER_SECRET, PREVIOUS_SECRET, SECRET } = await import("./support.ts");

const compare = vi.mocked(timingSafeEqual);
const BODY = Buffer.from('{"event_id":"e-1"}');

afterEach(() => {
  compare.mockClear();
});

describe("signature comparison", () => {
  it.each([
    { title: "the current secret matches", signWith: SECRET, ok: true },
    { title: "the previous secret matches", signWith: PREVIOUS_SECRET, ok: true },
    { title: "no secret matches", signWith: OTHER_SECRET, ok: false },
  ])("runs timingSafeEqual on two 32-byte buffers for every secret when $title", ({ signWith, ok }) => {
    // Prepare
    const headers = signatureHeaders(signWith, BODY, NOW_SECONDS);

    // Act
    const result = verifySignature(
      {
        signatureHeader: headers[SIGNATURE_HEADER],
        timestampHeader: headers[TIMESTAMP_HEADER],
        rawBody: BODY,
      },
      [SECRET, PREVIOUS_SECRET],
      NOW_SECONDS,
    );

    // Assess
    expect(result.ok).toBe(ok);
    expect(compare).toHaveBeenCalledTimes(2);
    for (const [expected, presented] of compare.mock.calls) {
      expect(expected.byteLength).toBe(32);
      expect(presented.byteLength).toBe(32);
    }
  });

  it("never compares a signature of the wrong length (it is refused as malformed first)", () => {
    // Act
    const result = verifySignature(
      { signatureHeader: "sha256=abcd", timestampHeader: String(NOW_SECONDS), rawBody: BODY },
      [SECRET],
      NOW_SECONDS,
    );

    // Assess
    expect(result).toEqual({ ok: false, reason: "malformed_header" });
    expect(compare).not.toHaveBeenCalled();
  });
});
