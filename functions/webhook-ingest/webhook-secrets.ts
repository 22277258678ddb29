import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** Shorter secrets are refused: an HMAC key should carry at least 128 bits, i.e. 32 hex digits. */
export const MIN_SECRET_LENGTH = 32;

/** How long a secret read from Secrets Manager is trusted before it is read again (so a rotation takes hold). */
export const DEFAULT_SECRET_CACHE_MS = 300_000;

/** After a failed re-read, the old secrets keep serving and the next attempt waits this long at most. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * The secrets a signature may match: the current one first, then, during a rotation, the previous one.
 * Messages of errors thrown by `get()` name the source, never a value.
 */
export interface WebhookSecretSource {
  get(): Promise<string[]>;
}

/** No usable secret could be read. Requests are answered 503 until it can be. */
export class WebhookSecretUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WebhookSecretUnavailableError";
  }
}

function checkedSecrets(current: unknown, previous: unknown, source: string): string[] {
  if (typeof current !== "string" || current.trim().length < MIN_SECRET_LENGTH) {
    throw new WebhookSecretUnavailableError(
      `the current webhook secret from ${source} is missing or shorter than ${MIN_SECRET_LENGTH} characters`,
    );
  }
  const secrets = [current.trim()];
  if (previous === undefined || previous === null || previous === "") return secrets;
  if (typeof previous !== "string" || previous.trim().length < MIN_SECRET_LENGTH) {
    throw new WebhookSecretUnavailableError(
      `the previous webhook secret from ${source} is not a string of at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  secrets.push(previous.trim());
  return secrets;
}

/** Secrets given directly, e.g. from WEBHOOK_SECRET and WEBHOOK_SECRET_PREVIOUS for local use. */
export function staticWebhookSecrets(current: string, previous?: string): WebhookSecretSource {
  const secrets = checkedSecrets(current, previous, "static configuration");
  return { get: async () => [...secrets] };
}

/**
 * The SecretString is JSON, `{ "current": "...", "previous": "..." }` with `previous` optional (empty or absent
 * outside a rotation), or plain text holding only the current secret.
 */
export function parseWebhookSecretString(secretString: string, source: string): string[] {
  const text = secretString.trim();
  if (!text.startsWith("{")) return checkedSecrets(text, undefined, source);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The SyntaxError would quote the secret itself, so it is not attached.
    throw new WebhookSecretUnavailableError(`${source} starts with "{" but is not valid JSON`);
  }
  const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return checkedSecrets(record.current, record.previous, source);
}

export interface SecretsManagerSourceOptions {
  secretArn: string;
  client: Pick<SecretsManagerClient, "send">;
  cacheMs?: number;
  now?: () => number;
  /** Told when a re-read fails while older secrets keep serving. */
  onStaleServe?: (error: WebhookSecretUnavailableError) => void;
}

/**
 * Reads the secret once, then again at most every `cacheMs`; concurrent requests share one read. If a re-read
 * fails, the secrets read before keep working, so a Secrets Manager hiccup does not turn every webhook away.
 */
export function secretsManagerWebhookSecrets(options: SecretsManagerSourceOptions): WebhookSecretSource {
  const cacheMs = options.cacheMs ?? DEFAULT_SECRET_CACHE_MS;
  const now = options.now ?? Date.now;
  let cached: string[] | undefined;
  let freshUntil = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<string[]> | undefined;

  const load = async (): Promise<string[]> => {
    try {
      const secrets = await readSecrets(options.secretArn, options.client);
      cached = secrets;
      freshUntil = now() + cacheMs;
      return secrets;
    } catch (error) {
      const failure =
        error instanceof WebhookSecretUnavailableError
          ? error
          : new WebhookSecretUnavailableError(`could not read webhook secret ${options.secretArn}`, {
              cause: error,
            });
      if (!cached) throw failure;
      freshUntil = now() + Math.min(cacheMs, RETRY_AFTER_FAILURE_MS);
      options.onStaleServe?.(failure);
      return cached;
    }
  };

  return {
    get: async () => {
      if (cached && now() < freshUntil) return [...cached];
      inFlight ??= load().finally(() => {
        inFlight = undefined;
      });
      return [...(await inFlight)];
    },
  };
}

async function readSecrets(secretArn: string, client: Pick<SecretsManagerClient, "send">): Promise<string[]> {
  let secretString: string | undefined;
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    secretString = output.SecretString;
  } catch (error) {
    const reason = error instanceof Error ? error.name : "unknown error";
    throw new WebhookSecretUnavailableError(`could not read webhook secret ${secretArn} (${reason})`, {
      cause: error,
    });
  }
  if (secretString === undefined) {
    throw new WebhookSecretUnavailableError(`webhook secret ${secretArn} has no SecretString`);
  }
  return parseWebhookSecretString(secretString, `webhook secret ${secretArn}`);
}
