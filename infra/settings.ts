import { DEFAULTS } from "../functions/shared/defaults.ts";
import { DEFAULT_LEDGER_TTL_SECONDS } from "../functions/shared/ledger/ledger-table.ts";
import { DEFAULT_MAX_REQUEST_BYTES } from "../functions/webhook-ingest/request-body.ts";

const SECONDS_PER_DAY = 86_400;

/**
 * Everything a deployer can set. Each key is a CDK context key (`npx cdk deploy -c maxConcurrency=3`, or the
 * `context` block of cdk.json) and a field of the stack's `settings` prop; both go through resolveSettings.
 * docs/configuration.md lists them, generated from DEFAULT_SETTINGS, SETTING_RANGES and SETTING_DESCRIPTIONS.
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
  vitableBaseUrl: DEFAULTS.vitableBaseUrl,
  apiKeySecretArn: undefined,
  maxReceiveCount: DEFAULTS.maxReceiveCount,
  batchSize: 10,
  maxConcurrency: 5,
  apiConcurrency: DEFAULTS.apiConcurrency,
  timeoutSeconds: 60,
  // The function is bound by CPU up to 1024 MB (0.58 vCPU): a cold batch costs no more GB-s there than at 256 MB
  // and ends about 5x sooner (bench `cpu-share`, docs/performance.md#at-lambdas-cpu-share).
  memorySize: 1024,
  apiAttemptTimeoutMs: DEFAULTS.apiAttemptTimeoutMs,
  logRetentionDays: 30,
  ledgerTtlDays: DEFAULT_LEDGER_TTL_SECONDS / SECONDS_PER_DAY,
  oldestMessageAgeAlarmSeconds: 900,
  alarmEmail: undefined,
  alarmTopicArn: undefined,
  webhookSecretArn: undefined,
  webhookRateLimit: 50,
  webhookBurstLimit: 100,
  webhookMaxBodyBytes: DEFAULT_MAX_REQUEST_BYTES,
  webhookReservedConcurrency: 10,
  reconcile: true,
  reconcileAutoApply: false,
  reconcileRetentionDays: 90,
};

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];

type IntegerKey = {
  [K in SettingKey]: GroupSyncSettings[K] extends number ? K : never;
}[SettingKey];

/** The whole numbers each numeric setting accepts, inclusive. */
export const SETTING_RANGES: Readonly<Record<IntegerKey, readonly [min: number, max: number]>> = {
  maxReceiveCount: [1, 1000],
  // Lambda caps a FIFO queue's batch at 10 records.
  batchSize: [1, 10],
  // AWS requires at least 2 for an SQS event source's maximum concurrency.
  maxConcurrency: [2, 1000],
  apiConcurrency: [1, 100],
  timeoutSeconds: [1, 900],
  memorySize: [128, 10_240],
  apiAttemptTimeoutMs: [100, 900_000],
  logRetentionDays: [1, 3653],
  // Ledger items must outlive the 14-day dead-letter retention, or a replayed event could pass its guard.
  ledgerTtlDays: [16, 3650],
  oldestMessageAgeAlarmSeconds: [60, 1_209_600],
  // API Gateway's default account quota is 10,000 requests per second with a burst of 5,000.
  webhookRateLimit: [1, 10_000],
  webhookBurstLimit: [1, 5_000],
  // The function's own bounds (MAX_BODY_BYTES): 1 KiB to 1 MiB.
  webhookMaxBodyBytes: [1024, 1_048_576],
  // Lambda's default account limit is 1,000; AWS also refuses to leave fewer than 100 unreserved at deploy time.
  webhookReservedConcurrency: [1, 1000],
  reconcileRetentionDays: [1, 3650],
};

/** What each setting does, as docs/configuration.md shows it. */
export const SETTING_DESCRIPTIONS: Readonly<Record<SettingKey, string>> = {
  vitableBaseUrl: "Vitable Connect API address (https only). UAT: https://api.uat.vitablehealth.com.",
  apiKeySecretArn:
    "Complete ARN of an existing Secrets Manager secret that holds the API key. Unset: an empty secret is created.",
  maxReceiveCount: "Deliveries of one event before it moves to the DLQ.",
  batchSize: "Events per function invocation (a FIFO queue allows at most 10).",
  maxConcurrency:
    "Function invocations running at once (AWS minimum 2). This limits the load on the Vitable API.",
  apiConcurrency: "Vitable API calls running at once inside one invocation.",
  timeoutSeconds: "Function timeout. The source queue hides an event for 6 times this while it is processed.",
  memorySize: "Function memory in MB.",
  apiAttemptTimeoutMs:
    "Timeout of one HTTP attempt to Vitable, ms. Must be shorter than the function timeout.",
  logRetentionDays:
    "How long the function's logs are kept, days. Must be a CloudWatch Logs value (1, 3, 5, 7, 14, 30, 60, 90, ...).",
  ledgerTtlDays: "How long ledger entries are kept, days.",
  oldestMessageAgeAlarmSeconds: "Alarm when the oldest waiting event is older than this, seconds.",
  alarmEmail: "E-mail address to subscribe to the alarm topic. Unset: no subscription.",
  alarmTopicArn: "Send alarms to this existing standard SNS topic instead of creating one.",
  webhookSecretArn:
    "Complete ARN of an existing secret with the webhook signing secret (see docs/webhook.md). Unset: one is generated.",
  webhookRateLimit: "Requests per second the webhook endpoint accepts, steady state.",
  webhookBurstLimit:
    "Requests the webhook endpoint accepts in a burst. Above the limits API Gateway answers 429.",
  webhookMaxBodyBytes: "Largest webhook request body, bytes.",
  webhookReservedConcurrency:
    "Reserved concurrency of the webhook function: both the most it may use and what it always has.",
  reconcile: "The snapshot bucket and the reconcile function (see docs/reconcile.md). false: left out.",
  reconcileAutoApply: "The reconcile function sends the repair events, as reconcile --apply does.",
  reconcileRetentionDays: "Snapshots and reports in the bucket expire after this many days.",
};

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

function integer(raw: Raw, key: IntegerKey): number {
  const [min, max] = SETTING_RANGES[key];
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
  const timeoutSeconds = integer(raw, "timeoutSeconds");
  const apiAttemptTimeoutMs = integer(raw, "apiAttemptTimeoutMs");
  if (apiAttemptTimeoutMs >= timeoutSeconds * 1000) {
    throw new InvalidSettingError(
      "apiAttemptTimeoutMs",
      `must be shorter than the function timeout (${timeoutSeconds * 1000} ms)`,
      apiAttemptTimeoutMs,
    );
  }
  const logRetentionDays = integer(raw, "logRetentionDays");
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
    maxReceiveCount: integer(raw, "maxReceiveCount"),
    batchSize: integer(raw, "batchSize"),
    maxConcurrency: integer(raw, "maxConcurrency"),
    apiConcurrency: integer(raw, "apiConcurrency"),
    timeoutSeconds,
    memorySize: integer(raw, "memorySize"),
    apiAttemptTimeoutMs,
    logRetentionDays,
    ledgerTtlDays: integer(raw, "ledgerTtlDays"),
    oldestMessageAgeAlarmSeconds: integer(raw, "oldestMessageAgeAlarmSeconds"),
    alarmEmail: optionalText(raw, "alarmEmail", EMAIL, "must be an e-mail address"),
    // CloudWatch alarms cannot publish to FIFO topics, so the pattern leaves out `.fifo` names.
    alarmTopicArn: optionalText(raw, "alarmTopicArn", TOPIC_ARN, "must be the ARN of a standard SNS topic"),
    webhookSecretArn: optionalText(
      raw,
      "webhookSecretArn",
      SECRET_ARN,
      "must be the complete ARN of a Secrets Manager secret, ending in its 6-character suffix",
    ),
    webhookRateLimit: integer(raw, "webhookRateLimit"),
    webhookBurstLimit: integer(raw, "webhookBurstLimit"),
    webhookMaxBodyBytes: integer(raw, "webhookMaxBodyBytes"),
    webhookReservedConcurrency: integer(raw, "webhookReservedConcurrency"),
    reconcile: flag(raw, "reconcile"),
    reconcileAutoApply: flag(raw, "reconcileAutoApply"),
    reconcileRetentionDays: integer(raw, "reconcileRetentionDays"),
  };
}

/** Reads every setting from CDK context (cdk.json or `-c key=value`) and resolves it. */
export function settingsFromContext(tryGetContext: (key: string) => unknown): GroupSyncSettings {
  const raw: Raw = {};
  for (const key of SETTING_KEYS) raw[key] = tryGetContext(key);
  return resolveSettings(raw);
}
