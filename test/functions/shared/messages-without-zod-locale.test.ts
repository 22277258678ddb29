import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { loadSyncConfig, SYNC_ENVIRONMENT } from "../../../functions/group-sync/config.ts";
import { loadReconcileConfig } from "../../../functions/reconcile/config.ts";
import { ConfigurationError } from "../../../functions/shared/configuration.ts";
import { parseEventValue } from "../../../functions/shared/contract/parse-event.ts";
import { checkSnapshotRow } from "../../../functions/shared/reconcile/snapshot-row.ts";
import { loadWebhookConfig, WEBHOOK_ENVIRONMENT } from "../../../functions/webhook-ingest/config.ts";
import { aRawEvent, ENVELOPES } from "../../fixtures/events/factories.ts";

/**
 * The functions build their schemas with zod/mini, which loads no message texts: an issue without a message of
 * ours reads "Invalid input". Any classic `zod` import in the same process (a script, a test helper) installs
 * zod's English texts globally and would hide that, so these tests take them out again, as in a Lambda bundle.
 */
const ZOD_FALLBACK = "Invalid input";
let installedLocale: z.core.$ZodConfig["localeError"];

beforeAll(() => {
  installedLocale = z.config().localeError;
  z.config({ localeError: undefined });
});

afterAll(() => {
  z.config({ localeError: installedLocale });
});

function configProblem(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

const SYNC = {
  DLQ_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/dlq.fifo",
  VITABLE_CONNECT_API_KEY: "k",
};
const WEBHOOK = {
  SOURCE_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/source.fifo",
  WEBHOOK_SECRET: "0123456789abcdef0123456789abcdef",
};
const RECONCILE = { VITABLE_CONNECT_API_KEY: "k" };
const LOG_LEVEL_PROBLEM =
  'LOG_LEVEL: Invalid option: expected one of "TRACE"|"DEBUG"|"INFO"|"WARN"|"ERROR"|"CRITICAL"|"SILENT"';

describe("messages without zod's English texts (as in the bundles)", () => {
  it("runs without them: a bare zod/mini issue reads only the fallback", () => {
    expect(z.enum(["A"]).safeParse("B").error?.issues[0]?.message).toBe(ZOD_FALLBACK);
  });

  it.each([
    { load: () => loadSyncConfig({ ...SYNC, LOG_LEVEL: "loud" }) },
    { load: () => loadWebhookConfig({ ...WEBHOOK, LOG_LEVEL: "loud" }) },
    { load: () => loadReconcileConfig({ ...RECONCILE, LOG_LEVEL: "loud" }) },
  ])("names the allowed log levels in every function's configuration", ({ load }) => {
    expect(configProblem(load)).toBe(`Invalid configuration: ${LOG_LEVEL_PROBLEM}`);
  });

  it("says something specific for every bad value of every configuration variable", () => {
    const badValues = [
      "abc",
      "1.5",
      "-1",
      "99999999999",
      "http://remote.example",
      "ftp://x",
      "no spaces",
      "short",
    ];
    const configurations = [
      { load: loadSyncConfig, valid: SYNC, variables: Object.keys(SYNC_ENVIRONMENT.def.shape) },
      { load: loadWebhookConfig, valid: WEBHOOK, variables: Object.keys(WEBHOOK_ENVIRONMENT.def.shape) },
      // The reconcile schema is private; these are its variables that the other two do not share.
      {
        load: loadReconcileConfig,
        valid: RECONCILE,
        variables: ["RECONCILE_AUTO_APPLY", "LOG_LEVEL", "API_CONCURRENCY"],
      },
    ];
    let refused = 0;
    for (const { load, valid, variables } of configurations) {
      for (const variable of variables) {
        for (const value of badValues) {
          try {
            load({ ...valid, [variable]: value });
          } catch (error) {
            if (!(error instanceof ConfigurationError)) throw error;
            refused += 1;
            expect(error.message).not.toContain(ZOD_FALLBACK);
          }
        }
      }
    }
    // Most of these values are wrong for most variables: the loop must have looked at many messages.
    expect(refused).toBeGreaterThan(100);
  });

  it("describes every contract violation in our words, in every envelope", () => {
    const anyField = fc.constantFrom(
      "schema_version",
      "type",
      "event_id",
      "occurred_at",
      "group",
      "changes",
      "source",
      "specversion",
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...ENVELOPES),
        fc.dictionary(anyField, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        ({ wrap }, overrides) => {
          const result = parseEventValue(wrap(aRawEvent(overrides)));
          if (result.ok) return;
          expect(result.detail).not.toContain(ZOD_FALLBACK);
          for (const issue of result.issues) expect(issue.message).not.toContain(ZOD_FALLBACK);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("describes every bad CloudEvents attribute in our words", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("specversion", "type", "id", "source", "datacontenttype", "data_base64"),
        fc.jsonValue({ maxDepth: 1 }),
        (attribute, value) => {
          const envelope = { specversion: "1.0", type: "t", id: "i", source: "s", [attribute]: value };
          const result = parseEventValue({
            ...envelope,
            ...(attribute === "data_base64" ? {} : { data: aRawEvent() }),
          });
          if (result.ok) return;
          for (const issue of result.issues) expect(issue.message).not.toContain(ZOD_FALLBACK);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("describes every bad snapshot row in our words", () => {
    fc.assert(
      fc.property(
        fc.record(
          { id: fc.jsonValue({ maxDepth: 1 }), external_reference_id: fc.jsonValue(), name: fc.jsonValue() },
          {
            requiredKeys: [],
          },
        ),
        (fields) => {
          const checked = checkSnapshotRow({ line: 2, fields });
          if (!checked.ok) expect(checked.problem).not.toContain(ZOD_FALLBACK);
        },
      ),
      { numRuns: 300 },
    );
  });
});
