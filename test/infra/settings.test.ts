import { afterAll, describe, expect, it } from "vitest";
import {
  DEFAULT_SETTINGS,
  InvalidSettingError,
  resolveSettings,
  SETTING_KEYS,
  type SettingKey,
} from "../../infra/settings.ts";
import { cdkJsonContext, fastApp, removeSynthOutput } from "./stack-fixture.ts";

afterAll(removeSynthOutput);

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:vitable/api-key-AbC123";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:ops-alarms";

function rejected(raw: Record<string, unknown>): InvalidSettingError {
  try {
    resolveSettings(raw);
  } catch (error) {
    if (error instanceof InvalidSettingError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe("resolveSettings", () => {
  it("applies every default when nothing is set", () => {
    // Act
    const settings = resolveSettings({});

    // Assess
    expect(settings).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    { key: "maxConcurrency", given: "3", expected: 3 },
    { key: "batchSize", given: 4, expected: 4 },
    { key: "timeoutSeconds", given: " 120 ", expected: 120 },
    { key: "ledgerTtlDays", given: "16", expected: 16 },
    { key: "logRetentionDays", given: "365", expected: 365 },
    {
      key: "vitableBaseUrl",
      given: "https://api.uat.vitablehealth.com/",
      expected: "https://api.uat.vitablehealth.com",
    },
    { key: "apiKeySecretArn", given: SECRET_ARN, expected: SECRET_ARN },
    { key: "alarmTopicArn", given: TOPIC_ARN, expected: TOPIC_ARN },
    { key: "alarmEmail", given: "ops@example.com", expected: "ops@example.com" },
    { key: "alarmEmail", given: "", expected: undefined },
  ] satisfies { key: SettingKey; given: unknown; expected: unknown }[])(
    "reads $key = $given (CLI strings included) as $expected",
    ({ key, given, expected }) => {
      // Act
      const settings = resolveSettings({ [key]: given });

      // Assess
      expect(settings[key]).toEqual(expected);
    },
  );

  it.each([
    { key: "maxConcurrency", given: 1, why: "from 2 to 1000" },
    { key: "maxConcurrency", given: "five", why: "whole number" },
    { key: "batchSize", given: 11, why: "from 1 to 10" },
    { key: "maxReceiveCount", given: 0, why: "from 1 to 1000" },
    { key: "timeoutSeconds", given: 901, why: "from 1 to 900" },
    { key: "timeoutSeconds", given: 2.5, why: "whole number" },
    { key: "memorySize", given: 64, why: "from 128 to 10240" },
    { key: "ledgerTtlDays", given: 15, why: "from 16 to 3650" },
    { key: "logRetentionDays", given: 31, why: "must be one of" },
    { key: "apiAttemptTimeoutMs", given: 60_000, why: "shorter than the function timeout" },
    { key: "vitableBaseUrl", given: "http://api.vitablehealth.com", why: "https URL" },
    { key: "vitableBaseUrl", given: "https://api.vitablehealth.com/?x=1", why: "https URL" },
    {
      key: "apiKeySecretArn",
      given: "arn:aws:secretsmanager:us-east-1:123456789012:secret:key",
      why: "complete ARN",
    },
    { key: "alarmTopicArn", given: `${TOPIC_ARN}.fifo`, why: "standard SNS topic" },
    { key: "alarmEmail", given: "ops at example", why: "e-mail" },
  ] satisfies { key: SettingKey; given: unknown; why: string }[])(
    "rejects $key = $given, naming the key",
    ({ key, given, why }) => {
      // Act
      const error = rejected({ [key]: given });

      // Assess
      expect(error.key).toBe(key);
      expect(error.message).toContain(`"${key}"`);
      expect(error.message).toContain(why);
    },
  );
});

describe("cdk.json", () => {
  it("repeats no setting: every default lives in infra/settings.ts alone", () => {
    // Prepare
    const context = cdkJsonContext();

    // Act
    const repeated = SETTING_KEYS.filter((key) => key in context);

    // Assess
    expect(repeated).toEqual([]);
    expect(Object.keys(context).length).toBeGreaterThan(0);
  });
});

describe("createApp", () => {
  it.each([
    { context: { maxConcurrency: "1" }, key: "maxConcurrency" },
    { context: { batchSize: "20" }, key: "batchSize" },
    { context: { apiKeySecretArn: "not-an-arn" }, key: "apiKeySecretArn" },
    { context: { stackName: "1-bad name" }, key: "stackName" },
  ])("fails on bad context $context with a message naming $key", ({ context, key }) => {
    // Act
    const build = () => fastApp(context);

    // Assess
    expect(build).toThrow(`"${key}"`);
  });

  it("names the stack from context, VitableGroupSync by default", () => {
    // Act
    const byDefault = fastApp().stack;
    const renamed = fastApp({ stackName: "VitableGroupSyncStaging" }).stack;

    // Assess
    expect(byDefault.stackName).toBe("VitableGroupSync");
    expect(renamed.stackName).toBe("VitableGroupSyncStaging");
  });
});
