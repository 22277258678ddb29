import { describe, expect, it } from "vitest";
import { chooseSigningScheme } from "../../../functions/webhook-ingest/signing-scheme.ts";

const GROUP_SYNC = { "x-group-sync-timestamp": "1768554720", "x-group-sync-signature": "sha256=00" };
const STANDARD = { "webhook-id": "msg_1", "webhook-timestamp": "1768554720", "webhook-signature": "v1,AA==" };

const choose = (headers: Record<string, string | undefined>) =>
  chooseSigningScheme(
    new Map(Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, value]]))),
  );

describe("chooseSigningScheme", () => {
  it.each([
    { what: "the group-sync headers", headers: GROUP_SYNC, expected: { ok: true, scheme: "group-sync" } },
    { what: "the Standard Webhooks headers", headers: STANDARD, expected: { ok: true, scheme: "standard" } },
    {
      what: "no signature header",
      headers: { "content-type": "application/json" },
      expected: { ok: false, reason: "unsigned" },
    },
    {
      what: "blank headers only",
      headers: { "webhook-id": " ", "x-group-sync-signature": "" },
      expected: { ok: false, reason: "unsigned" },
    },
  ])("takes $what", ({ headers, expected }) => {
    expect(choose(headers)).toEqual(expected);
  });

  it.each([
    { what: "both complete sets", headers: { ...GROUP_SYNC, ...STANDARD } },
    {
      what: "one header of each",
      headers: { "webhook-signature": "v1,AA==", "x-group-sync-timestamp": "1" },
    },
  ])("refuses $what as mixed", ({ headers }) => {
    expect(choose(headers)).toMatchObject({
      ok: false,
      reason: "mixed_schemes",
      message: /two signature schemes/,
    });
  });

  it.each([
    {
      headers: { "webhook-id": "msg_1", "webhook-signature": "v1,AA==" },
      message:
        "missing webhook-timestamp: a signed request carries webhook-id, webhook-timestamp, webhook-signature",
    },
    {
      headers: { "webhook-timestamp": "1" },
      message:
        "missing webhook-id and webhook-signature: a signed request carries webhook-id, webhook-timestamp, webhook-signature",
    },
    {
      headers: { "x-group-sync-signature": "sha256=00" },
      message:
        "missing x-group-sync-timestamp: a signed request carries x-group-sync-timestamp, x-group-sync-signature",
    },
  ])("names what is missing from a half set: $message", ({ headers, message }) => {
    expect(choose(headers)).toEqual({ ok: false, reason: "incomplete_headers", message });
  });
});
