import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  SIGNATURE_TOLERANCE_SECONDS,
  signatureHeaders,
} from "../../../functions/webhook-ingest/signature.ts";
import {
  type StandardCheck,
  standardWebhookHeaders,
  standardWebhookKey,
  verifyStandardSignature,
} from "../../../functions/webhook-ingest/standard-webhook-signature.ts";
import { NOW_MS, NOW_SECONDS, SECRET } from "./support.ts";

/** Standard Webhooks secrets: whsec_ and the base64 of random-looking bytes, as senders issue them. */
const CURRENT = `whsec_${Buffer.from("current-key-0123456789abcdef").toString("base64")}`;
const PREVIOUS = `whsec_${Buffer.from("previous-key-0123456789abcde").toString("base64")}`;
const ATTACKER = `whsec_${Buffer.from("attacker-key-0123456789abcde").toString("base64")}`;

const BODY = '{"type":"group.renamed","event_id":"e-1","name":"Équipe"}\n';
const ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

/** The `v1,<base64>` entry the standardwebhooks package (what Svix-style senders run) writes. */
function signed(secret: string, body = BODY, timestamp = NOW_SECONDS, id = ID): string {
  return new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
}

interface Case {
  title: string;
  signature: string;
  timestamp?: number;
  secrets?: string[];
  expected: StandardCheck;
}

describe("verifyStandardSignature against the standardwebhooks package as the sender", () => {
  it.each<Case>([
    {
      title: "a valid signature",
      signature: signed(CURRENT),
      expected: { ok: true, secretIndex: 0, webhookId: ID },
    },
    {
      title: "a tampered body",
      signature: signed(CURRENT, BODY.replace("e-1", "e-2")),
      expected: { ok: false, reason: "mismatch" },
    },
    {
      title: "a signature over another webhook-id",
      signature: signed(CURRENT, BODY, NOW_SECONDS, "msg_other"),
      expected: { ok: false, reason: "mismatch" },
    },
    { title: "the wrong secret", signature: signed(ATTACKER), expected: { ok: false, reason: "mismatch" } },
    {
      title: "an expired timestamp",
      timestamp: NOW_SECONDS - SIGNATURE_TOLERANCE_SECONDS - 1,
      signature: signed(CURRENT, BODY, NOW_SECONDS - SIGNATURE_TOLERANCE_SECONDS - 1),
      expected: { ok: false, reason: "stale_timestamp" },
    },
    {
      title: "a timestamp from the future",
      timestamp: NOW_SECONDS + SIGNATURE_TOLERANCE_SECONDS + 1,
      signature: signed(CURRENT, BODY, NOW_SECONDS + SIGNATURE_TOLERANCE_SECONDS + 1),
      expected: { ok: false, reason: "stale_timestamp" },
    },
    {
      title: "a timestamp at the edge of the tolerance, in the past",
      timestamp: NOW_SECONDS - SIGNATURE_TOLERANCE_SECONDS,
      signature: signed(CURRENT, BODY, NOW_SECONDS - SIGNATURE_TOLERANCE_SECONDS),
      expected: { ok: true, secretIndex: 0, webhookId: ID },
    },
    {
      title: "a timestamp at the edge of the tolerance, in the future",
      timestamp: NOW_SECONDS + SIGNATURE_TOLERANCE_SECONDS,
      signature: signed(CURRENT, BODY, NOW_SECONDS + SIGNATURE_TOLERANCE_SECONDS),
      expected: { ok: true, secretIndex: 0, webhookId: ID },
    },
    {
      title: "the previous secret during a rotation",
      signature: signed(PREVIOUS),
      secrets: [CURRENT, PREVIOUS],
      expected: { ok: true, secretIndex: 1, webhookId: ID },
    },
    {
      title: "several entries where only the last matches",
      signature: `${signed(ATTACKER)} ${signed(PREVIOUS)} ${signed(CURRENT)}`,
      expected: { ok: true, secretIndex: 0, webhookId: ID },
    },
    {
      title: "a v1a entry beside a matching v1 entry (v1a is ignored)",
      signature: `v1a,${"A".repeat(86)}== ${signed(CURRENT)}`,
      expected: { ok: true, secretIndex: 0, webhookId: ID },
    },
    {
      title: "the right HMAC under the v1a prefix only",
      signature: signed(CURRENT).replace(/^v1,/, "v1a,"),
      expected: { ok: false, reason: "no_v1_signature" },
    },
    {
      title: "a v1 entry that is not 32 bytes of base64",
      signature: "v1,c2hvcnQ=",
      expected: { ok: false, reason: "no_v1_signature" },
    },
    {
      title: "secrets none of which is a whsec_ key",
      signature: signed(CURRENT),
      secrets: ["plain-secret-used-by-the-group-sync-scheme"],
      expected: { ok: false, reason: "no_standard_secret" },
    },
  ])("$title", ({ signature, timestamp, secrets, expected }) => {
    // Act
    const check = verifyStandardSignature(
      {
        webhookId: ID,
        timestampHeader: String(timestamp ?? NOW_SECONDS),
        signatureHeader: signature,
        rawBody: Buffer.from(BODY, "utf8"),
      },
      secrets ?? [CURRENT, PREVIOUS],
      NOW_SECONDS,
    );

    // Assess
    expect(check).toEqual(expected);
  });

  it.each([
    { title: "a webhook-id with a space", id: "msg 1", timestamp: String(NOW_SECONDS) },
    { title: "a webhook-id of 257 characters", id: "m".repeat(257), timestamp: String(NOW_SECONDS) },
    { title: "a timestamp in milliseconds with a fraction", id: ID, timestamp: `${NOW_MS}.5` },
    { title: "a negative timestamp", id: ID, timestamp: "-5" },
  ])("refuses $title as malformed", ({ id, timestamp }) => {
    // Act
    const check = verifyStandardSignature(
      {
        webhookId: id,
        timestampHeader: timestamp,
        signatureHeader: signed(CURRENT),
        rawBody: Buffer.from(BODY),
      },
      [CURRENT],
      NOW_SECONDS,
    );

    // Assess
    expect(check).toEqual({ ok: false, reason: "malformed_header" });
  });
});

describe("standardWebhookHeaders", () => {
  it("signs so that the standardwebhooks package, as a receiver, accepts the request", () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);

    // Act
    const headers = standardWebhookHeaders(CURRENT, ID, Buffer.from(BODY, "utf8"), now);

    // Assess
    expect(headers).toEqual({
      "webhook-id": ID,
      "webhook-timestamp": String(now),
      "webhook-signature": signed(CURRENT, BODY, now),
    });
    expect(new Webhook(CURRENT).verify(BODY, headers, { jsonParse: false })).toBeUndefined();
  });

  it("refuses a secret that is not of the whsec_ form", () => {
    expect(() => standardWebhookHeaders(SECRET, ID, BODY, NOW_SECONDS)).toThrow(/whsec_<base64>/);
  });

  it("differs from the group-sync scheme's signature for the same secret and body", () => {
    // Act
    const standard = standardWebhookHeaders(CURRENT, ID, BODY, NOW_SECONDS)["webhook-signature"];
    const groupSync = signatureHeaders(CURRENT, BODY, NOW_SECONDS)["x-group-sync-signature"];

    // Assess
    expect(standard.slice(3)).not.toBe(Buffer.from(groupSync.slice(7), "hex").toString("base64"));
  });
});

describe("standardWebhookKey", () => {
  it.each([
    { title: "a whsec_ secret", secret: CURRENT, key: Buffer.from("current-key-0123456789abcdef") },
    { title: "an unpadded whsec_ secret", secret: "whsec_YWJjZA", key: Buffer.from("abcd") },
    { title: "a plain secret", secret: "plain-secret-used-by-the-group-sync-scheme", key: undefined },
    { title: "whsec_ then url-safe or other characters", secret: SECRET, key: undefined },
    { title: "whsec_ and nothing", secret: "whsec_", key: undefined },
    { title: "whsec_ and an impossible length", secret: "whsec_YWJjZ", key: undefined },
  ])("reads $title", ({ secret, key }) => {
    expect(standardWebhookKey(secret)).toEqual(key);
  });
});
