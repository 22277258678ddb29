import { DEFAULT_LEDGER_TTL_SECONDS } from "../functions/shared/ledger/ledger-table.ts";

const SECONDS_PER_DAY = 86_400;

/**
 * Everything a deployer can set. Each key is a CDK context key (`npx cdk deploy -c maxConcurrency=3`, or the
 * `context` block of cdk.json) and a field of the stack's `settings` prop; both go through resolveSettings.
 *
 * | key                           | default                         | meaning                                        |
 * |-------------------------------|---------------------------------|------------------------------------------------|
 * | vitableBaseUrl                | https://api.vitablehealth.com   | Vitable Connect API origin (https)             |
 * | apiKeySecretArn               | (none: an empty secret is made) | full ARN of an existing secret with the key    |
 * | maxReceiveCount               | 5                               | deliveries before a message moves to the DLQ   |
 * | batchSize                     | 10                              | records per invocation (FIFO maximum 10)       |
 * | maxConcurrency                | 5                               | concurrent invocations (AWS minimum 2)         |
 * | apiConcurrency                | 5                               | concurrent Vitable calls inside one invocation |
 * | timeoutSeconds                | 60                              | function timeout                               |
 * | memorySize                    | 256                             | function memory, MB                            |
 * | apiAttemptTimeoutMs           | 10000                           | timeout of one HTTP attempt to Vitable         |
 * | logRetentionDays              | 30                              | function log retention (a CloudWatch value)    |
 * | ledgerTtlDays                 | 30                              | ledger item lifetime (16 to 3650 days)         |
 * | oldestMessageAgeAlarmSeconds  | 900                             | alarm when the oldest source message is older  |
 * | alarmEmail                    | (none)                          | e-mail address subscribed to the alarm topic   |
 * | alarmTopicArn                 | (none: a topic is made)         | existing SNS topic for alarms                  |
 * | webhookSecretArn              | (none: a secret is generated)   | existing secret with the webhook signing key   |
 * | webhookRateLimit              | 50                              | webhook requests per second, steady state      |
 * | webhookBurstLimit             | 100                             | webhook requests in a burst                    |
 * | webhookMaxBodyBytes           | 262144                          | largest webhook request body, bytes            |
 * | webhookReservedConcurrency    | 10                              | webhook function's reserved concurrency        |
 * | reconcile                     | true                            | snapshot bucket + reconcile function (false: none) |
 * | reconcileAutoApply            | false                           | the function sends the repairs, as --apply does |
 * | reconcileRetentionDays        | 90                              | snapshots and reports expire after (1 to 3650) |
 *
 * webhookReservedConcurrency is both a floor and a ceiling: a flood of requests (unsigned ones included) within
 * the stage's rate limit cannot take more of the account's Lambda concurrency than this, and the webhook always
 * has this much. The sync function needs no reservation: its SQS event source's maxConcurrency already caps it,
 * and a reservation there would only take concurrency from the account while the queue is idle.
 */
export interface GroupSyncSettings {
  vitableBaseUrl: string;
  apiKeySecretArn: string | undefined;
  maxReceiveCount: number;
  batchSize: number;
  maxConcurrency: number;
  apiConcurrency: number;
  timeoutSeconds: number;
  memorySize: number;
  apiAttemptTimeoutMs: number;
  logRetentionDays: number;
  ledgerTtlDays: number;
  oldestMessageAgeAlarmSeconds: number;
  alarmEmail: string | undefined;
  alarmTopicArn: string | undefined;
  webhookSecretArn: string | undefined;
  webhookRateLimit: number;
  webhookBurstLimit: number;
  webhookMaxBodyBytes: number;
  webhookReservedConcurrency: number;
  reconcile: boolean;
  reconcileAutoApply: boolean;
  reconcileRetentionDays: number;
}

export type SettingKey = keyof GroupSyncSettings;

export const DEFAULT_SETTINGS: Readonly<GroupSyncSettings> = {
  vitableBaseUrl: "https://api.vitablehealth.com",
  apiKeySecretArn: undefined,
  maxReceiveCount: 5,
  batchSize: 10,
  maxConcurrency: 5,
  apiConcurrency: 5,
  timeoutSeconds: 60,
  memorySize: 256,
  apiAttemptTimeoutMs: 10_000,
  logRetentionDays: 30,
  ledgerTtlDays: DEFAULT_LEDGER_TTL_SECONDS / SECONDS_PER_DAY,
  oldestMessageAgeAlarmSeconds: 900,
  alarmEmail: undefined,
  alarmTopicArn: undefined,
  webhookSecretArn: undefined,
  webhookRateLimit: 50,
  webhookBurstLimit: 100,
  webhookMaxBodyBytes: 262_144,
  webhookReservedConcurrency: 10,
  reconcile: true,
  reconcileAutoApply: false,
  reconcileRetentionDays: 90,
};

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];

/** A setting was given a value the stack cannot deploy; the message names the key. */
export class InvalidSettingError extends Error {
  readonly key: SettingKey | "stackName";

  constructor(key: SettingKey | "stackName", requirement: string, received: unknown) {
    super(`Invalid setting "${key}" (context key or stack prop): ${requirement}; got ${describe(received)}`);
    this.name = "InvalidSettingError";
    this.key = key;
  }
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

// The values CloudWatch Logs accepts for a retention period.
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Raw = Partial<Record<SettingKey, unknown>>;

function integer(raw: Raw, key: SettingKey, min: number, max: number): number {
  const value = raw[key] ?? DEFAULT_SETTINGS[key];
  const parsed = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof parsed !== "number" || !Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new InvalidSettingError(key, `must be a whole number from ${min} to ${max}`, value);
  }
  return parsed;
}

function flag(raw: Raw, key: SettingKey): boolean {
  const value = raw[key] ?? DEFAULT_SETTINGS[key];
  // `-c key=false` arrives as a string.
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new InvalidSettingError(key, "must be true or false", value);
}

function optionalText(raw: Raw, key: SettingKey, pattern: RegExp, requirement: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !pattern.test(value))
    throw new InvalidSettingError(key, requirement, value);
  return value;
}

function httpsOrigin(raw: Raw, key: SettingKey): string {
  const value = raw[key] ?? DEFAULT_SETTINGS[key];
  const requirement = "must be an https URL without query or fragment, e.g. https://api.vitablehealth.com";
  if (typeof value !== "string" || !URL.canParse(value))
    throw new InvalidSettingError(key, requirement, value);
  const url = new URL(value);
  if (url.protocol !== "https:" || url.search !== "" || url.hash !== "" || url.username !== "") {
    throw new InvalidSettingError(key, requirement, value);
  }
  // The client appends `/v1/...`; a trailing slash would double it.
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/** Applies defaults and checks every setting; numbers may arrive as strings (CLI `-c key=value`). */
export function resolveSettings(raw: Raw = {}): GroupSyncSettings {
  const timeoutSeconds = integer(raw, "timeoutSeconds", 1, 900);
  const apiAttemptTimeoutMs = integer(raw, "apiAttemptTimeoutMs", 100, 900_000);
  if (apiAttemptTimeoutMs >= timeoutSeconds * 1000) {
    throw new InvalidSettingError(
      "apiAttemptTimeoutMs",
      `must be shorter than the function timeout (${timeoutSeconds * 1000} ms)`,
      apiAttemptTimeoutMs,
    );
  }
  const logRetentionDays = integer(raw, "logRetentionDays", 1, 3653);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new InvalidSettingError(
      "logRetentionDays",
      `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
      logRetentionDays,
    );
  }
  return {
    vitableBaseUrl: httpsOrigin(raw, "vitableBaseUrl"),
    apiKeySecretArn: optionalText(
      raw,
      "apiKeySecretArn",
      SECRET_ARN,
      "must be the complete ARN of a Secrets Manager secret, ending in its 6-character suffix",
    ),
    maxReceiveCount: integer(raw, "maxReceiveCount", 1, 1000),
    // Lambda caps a FIFO queue's batch at 10 records.
    batchSize: integer(raw, "batchSize", 1, 10),
    // AWS requires at least 2 for an SQS event source's maximum concurrency.
    maxConcurrency: integer(raw, "maxConcurrency", 2, 1000),
    apiConcurrency: integer(raw, "apiConcurrency", 1, 100),
    timeoutSeconds,
    memorySize: integer(raw, "memorySize", 128, 10_240),
    apiAttemptTimeoutMs,
    logRetentionDays,
    // Ledger items must outlive the 14-day dead-letter retention, or a replayed event could pass its guard.
    ledgerTtlDays: integer(raw, "ledgerTtlDays", 16, 3650),
    oldestMessageAgeAlarmSeconds: integer(raw, "oldestMessageAgeAlarmSeconds", 60, 1_209_600),
    alarmEmail: optionalText(raw, "alarmEmail", EMAIL, "must be an e-mail address"),
    // CloudWatch alarms cannot publish to FIFO topics, so the pattern leaves out `.fifo` names.
    alarmTopicArn: optionalText(raw, "alarmTopicArn", TOPIC_ARN, "must be the ARN of a standard SNS topic"),
    webhookSecretArn: optionalText(
      raw,
      "webhookSecretArn",
      SECRET_ARN,
      "must be the complete ARN of a Secrets Manager secret, ending in its 6-character suffix",
    ),
    // API Gateway's default account quota is 10,000 requests per second with a burst of 5,000.
    webhookRateLimit: integer(raw, "webhookRateLimit", 1, 10_000),
    webhookBurstLimit: integer(raw, "webhookBurstLimit", 1, 5_000),
    // The function's own bounds (MAX_BODY_BYTES): 1 KiB to 1 MiB.
    webhookMaxBodyBytes: integer(raw, "webhookMaxBodyBytes", 1024, 1_048_576),
    // Lambda's default account limit is 1,000; AWS also refuses to leave fewer than 100 unreserved at deploy time.
    webhookReservedConcurrency: integer(raw, "webhookReservedConcurrency", 1, 1000),
    reconcile: flag(raw, "reconcile"),
    reconcileAutoApply: flag(raw, "reconcileAutoApply"),
    reconcileRetentionDays: integer(raw, "reconcileRetentionDays", 1, 3650),
  };
}

/** Reads every setting from CDK context (cdk.json or `-c key=value`) and resolves it. */
export function settingsFromContext(tryGetContext: (key: string) => unknown): GroupSyncSettings {
  const raw: Raw = {};
  for (const key of SETTING_KEYS) raw[key] = tryGetContext(key);
  return resolveSettings(raw);
}
