import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { type Deadline, NO_DEADLINE, signalFor } from "../deadline.ts";

/**
 * Where the client gets its bearer credential. `refresh()` re-reads it (after a 401, e.g. a rotated key) and
 * later `get()` calls return the refreshed value. A read from a remote store ends by `deadline`.
 */
export interface ApiKeyProvider {
  get(deadline?: Deadline): Promise<string>;
  refresh(deadline?: Deadline): Promise<string>;
}

/**
 * The key could not be obtained or is unusable. Messages name the source (e.g. the secret ARN), never the value.
 * Not the record's fault: callers should let the work be retried and alert, not dead-letter it.
 */
export class ApiKeyUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ApiKeyUnavailableError";
  }
}

// Printable ASCII without spaces: anything else is not a token, and would make the Headers constructor
// throw an error that quotes the header value, i.e. the key.
const HEADER_SAFE_TOKEN = /^[\x21-\x7e]+$/;

export function assertUsableApiKey(key: string, source: string): void {
  if (!HEADER_SAFE_TOKEN.test(key)) {
    throw new ApiKeyUnavailableError(
      `API key from ${source} is empty or has characters not allowed in an Authorization header`,
    );
  }
}

export function staticApiKey(key: string): ApiKeyProvider {
  assertUsableApiKey(key, "static configuration");
  return { get: async () => key, refresh: async () => key };
}

/**
 * Reads the key from Secrets Manager once and caches it for the life of the container; `refresh()` re-reads it.
 * The SecretString is either the raw key (`vit_apk_...`) or a JSON object `{ "apiKey": "vit_apk_..." }`;
 * a value starting with `{` is always read as JSON. Surrounding whitespace is ignored. A read is bounded by the
 * deadline of the call that starts it; callers that join a read already under way wait for it.
 */
export function secretsManagerApiKey(secretArn: string, client: SecretsManagerClient): ApiKeyProvider {
  let cachedKey: string | undefined;
  let inFlight: Promise<string> | undefined;

  // Concurrent calls that all hit a 401 share one read instead of each asking Secrets Manager.
  const load = (deadline: Deadline = NO_DEADLINE): Promise<string> => {
    inFlight ??= readApiKey(secretArn, client, deadline)
      .then((key) => {
        cachedKey = key;
        return key;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    get: async (deadline) => cachedKey ?? load(deadline),
    refresh: load,
  };
}

async function readApiKey(
  secretArn: string,
  client: SecretsManagerClient,
  deadline: Deadline,
): Promise<string> {
  if (deadline.remainingMs() <= 0) {
    throw new ApiKeyUnavailableError(
      `no time left in this invocation to read Vitable API key secret ${secretArn}`,
    );
  }
  let secretString: string | undefined;
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretArn }), {
      abortSignal: signalFor(deadline),
    });
    secretString = output.SecretString;
  } catch (error) {
    const reason = error instanceof Error ? error.name : "unknown error";
    throw new ApiKeyUnavailableError(`could not read Vitable API key secret ${secretArn} (${reason})`, {
      cause: error,
    });
  }
  if (secretString === undefined) {
    throw new ApiKeyUnavailableError(
      `secret ${secretArn} has no SecretString (binary secrets are not supported)`,
    );
  }
  const key = extractApiKey(secretString.trim(), secretArn);
  assertUsableApiKey(key, `secret ${secretArn}`);
  return key;
}

function extractApiKey(secretString: string, secretArn: string): string {
  if (!secretString.startsWith("{")) {
    return secretString;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // The SyntaxError quotes the input, which is the secret: do not attach it.
    throw new ApiKeyUnavailableError(`secret ${secretArn} starts with "{" but is not valid JSON`);
  }
  const apiKey = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "apiKey") : undefined;
  if (typeof apiKey !== "string") {
    throw new ApiKeyUnavailableError(`secret ${secretArn} is JSON without a string "apiKey" field`);
  }
  return apiKey.trim();
}
