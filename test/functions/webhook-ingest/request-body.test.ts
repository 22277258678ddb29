import { describe, expect, it } from "vitest";
import {
  decodeUtf8,
  isJsonContentType,
  rawBodyBytes,
} from "../../../functions/webhook-ingest/request-body.ts";

describe("isJsonContentType", () => {
  it.each([
    { header: "application/json", expected: true },
    { header: "Application/JSON", expected: true },
    { header: "application/json; charset=utf-8", expected: true },
    { header: "application/json;charset=UTF-8", expected: true },
    { header: 'application/json; charset="utf-8"', expected: true },
    { header: "application/cloudevents+json; charset=utf-8", expected: true },
    { header: "application/cloudevents-batch+json", expected: true },
    { header: undefined, expected: false },
    { header: "", expected: false },
    { header: "text/plain", expected: false },
    { header: "application/x-www-form-urlencoded", expected: false },
    { header: "application/jsonp", expected: false },
    { header: "application/json; charset=iso-8859-1", expected: false },
    { header: "application/json; boundary=x", expected: false },
    { header: "application/cloudevents+xml", expected: false },
  ])("says $expected for $header", ({ header, expected }) => {
    // Act
    const accepted = isJsonContentType(header);

    // Assess
    expect(accepted).toBe(expected);
  });
});

describe("rawBodyBytes", () => {
  it.each([
    { title: "a plain body", body: '{"name":"Équipe"}', base64: false },
    {
      title: "a base64-encoded body",
      body: Buffer.from('{"name":"Équipe"}\r\n').toString("base64"),
      base64: true,
    },
  ])("returns the bytes as sent for $title", ({ body, base64 }) => {
    // Act
    const bytes = rawBodyBytes(body, base64);

    // Assess
    expect(bytes.toString("utf8").startsWith('{"name":"Équipe"}')).toBe(true);
  });

  it("keeps bytes that are not UTF-8 when they arrive base64-encoded", () => {
    // Prepare
    const original = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);

    // Act
    const bytes = rawBodyBytes(original.toString("base64"), true);

    // Assess
    expect(bytes.equals(original)).toBe(true);
    expect(decodeUtf8(bytes)).toBeUndefined();
  });

  it("treats a missing body as empty", () => {
    // Act
    const bytes = rawBodyBytes(undefined, false);

    // Assess
    expect(bytes.length).toBe(0);
  });
});
