import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseEventBody } from "../../../../functions/shared/contract/parse-event.ts";
import { loadInvalidEvents, loadValidEvents } from "../../../fixtures/events/corpus.ts";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));

/** The event as sent: an SNS Message is parsed, EventBridge's detail taken; the parsed event must match it. */
function sentEvent(body: string, envelope: string): Record<string, unknown> {
  const outer = JSON.parse(body);
  if (envelope === "sns") return JSON.parse(outer.Message);
  return envelope === "eventbridge" ? outer.detail : outer;
}

/** Every field of the parsed event has the value that was sent (schema_version may come from the default). */
function expectFaithful(parsed: Record<string, unknown>, sent: Record<string, unknown>): void {
  const { schema_version, ...fields } = parsed;
  expect(sent).toMatchObject(fields);
  expect(schema_version).toBe(sent.schema_version ?? 1);
}

describe("valid corpus", () => {
  const corpus = loadValidEvents();

  it("covers all three envelopes", () => {
    expect(new Set(corpus.map((entry) => entry.envelope))).toEqual(new Set(["raw", "sns", "eventbridge"]));
  });

  it.each(corpus)("$name", ({ body, envelope }) => {
    // Act
    const result = parseEventBody(body);

    // Assess
    expect(result).toMatchObject({ ok: true, envelope });
    if (result.ok) expectFaithful(result.event, sentEvent(body, envelope));
  });
});

describe("invalid corpus", () => {
  const corpus = loadInvalidEvents();

  it("covers every failure reason", () => {
    expect(new Set(corpus.map((entry) => entry.reason))).toEqual(
      new Set(["invalid_json", "invalid_message", "unsupported_schema_version", "unsupported_event_type"]),
    );
  });

  it.each(corpus)("$name", ({ body, reason, path }) => {
    // Act
    const result = parseEventBody(body);

    // Assess
    expect(result).toMatchObject({ ok: false, reason });
    if (result.ok) return;
    expect(result.issues[0]?.path).toBe(path);
    expect(result.detail.length).toBeGreaterThan(0);
    expect(result.detail.length).toBeLessThanOrEqual(256);
  });
});

describe("documentation examples", () => {
  const examples = readdirSync(`${REPO}examples`)
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({ file, body: readFileSync(`${REPO}examples/${file}`, "utf8") }));

  const expectedEnvelope: Record<string, string> = {
    "rename-by-id.json": "raw",
    "rename-by-external-id.json": "raw",
    "sns-envelope.json": "sns",
    "eventbridge-envelope.json": "eventbridge",
    "cloudevents-envelope.json": "cloudevents",
  };

  it("has the examples the documentation points to", () => {
    expect(examples.map(({ file }) => file).sort()).toEqual(Object.keys(expectedEnvelope).sort());
  });

  it.each(examples)("examples/$file parses", ({ file, body }) => {
    expect(parseEventBody(body)).toMatchObject({ ok: true, envelope: expectedEnvelope[file] });
  });

  // The contract's page: its examples are the raw, SNS and EventBridge forms, in that order.
  const contractPage = readFileSync(`${REPO}docs/contract.md`, "utf8");
  const blocks = [...contractPage.matchAll(/```json\n([\s\S]*?)```/g)].map((match, index) => ({
    index,
    body: match[1] ?? "",
  }));

  it("shows the raw, SNS and EventBridge forms", () => {
    // Act
    const envelopes = blocks
      .map(({ body }) => parseEventBody(body))
      .map((result) => result.ok && result.envelope);

    // Assess
    expect(envelopes).toEqual(["raw", "sns", "eventbridge"]);
  });
});
