import { envInteger, envSecretArn } from "../functions/shared/configuration.ts";
import { DEFAULTS } from "../functions/shared/defaults.ts";
import {
  type ApiKeyProvider,
  secretsManagerApiKey,
  staticApiKey,
} from "../functions/shared/vitable/api-key.ts";
import { vitableBaseUrl } from "../functions/shared/vitable/base-url.ts";
import { VitableClient } from "../functions/shared/vitable/client.ts";
import { connectionSettings } from "./connection.ts";
import { UsageError } from "./errors.ts";
import type { CliIo } from "./io.ts";

/** --api-key-secret-arn and --region as given on the command line. */
export interface VitableApiOptions {
  apiKeySecretArn?: string;
  region?: string;
}

/**
 * The Vitable client, configured like the sync function: VITABLE_CONNECT_BASE_URL (https, or http on loopback),
 * the key from VITABLE_CONNECT_API_KEY or a Secrets Manager secret (VITABLE_CONNECT_API_KEY_SECRET_ARN, or
 * --api-key-secret-arn, which wins), API_CONCURRENCY and API_ATTEMPT_TIMEOUT_MS. Errors name the variable, never
 * its value.
 */
export function vitableClientFor(io: CliIo, options: VitableApiOptions): VitableClient {
  const baseUrl = vitableBaseUrl.safeParse(io.env.VITABLE_CONNECT_BASE_URL);
  if (!baseUrl.success) {
    throw new UsageError(`VITABLE_CONNECT_BASE_URL ${baseUrl.error.issues[0]?.message ?? "is not valid"}`);
  }
  return new VitableClient({
    baseUrl: baseUrl.data,
    apiKey: apiKeyFor(io, options),
    concurrency: integerVariable(io, "API_CONCURRENCY", 1, 100, DEFAULTS.apiConcurrency),
    attemptTimeoutMs: integerVariable(io, "API_ATTEMPT_TIMEOUT_MS", 100, 900_000, 10_000),
  });
}

/** The sync function's tuning variables, read with the same bounds. */
function integerVariable(io: CliIo, name: string, min: number, max: number, fallback: number): number {
  const parsed = envInteger(min, max, fallback).safeParse(io.env[name]);
  if (!parsed.success) throw new UsageError(`${name} ${parsed.error.issues[0]?.message ?? "is not valid"}`);
  return parsed.data;
}

function apiKeyFor(io: CliIo, options: VitableApiOptions): ApiKeyProvider {
  const [secretArn, secretSource] = options.apiKeySecretArn
    ? [options.apiKeySecretArn, "--api-key-secret-arn"]
    : [io.env.VITABLE_CONNECT_API_KEY_SECRET_ARN || undefined, "VITABLE_CONNECT_API_KEY_SECRET_ARN"];
  const key = io.env.VITABLE_CONNECT_API_KEY || undefined;
  if (secretArn !== undefined) {
    if (!options.apiKeySecretArn && key !== undefined) {
      throw new UsageError(
        "set only one of VITABLE_CONNECT_API_KEY and VITABLE_CONNECT_API_KEY_SECRET_ARN (or give --api-key-secret-arn)",
      );
    }
    if (!envSecretArn.safeParse(secretArn).success) {
      throw new UsageError(`${secretSource} must be a Secrets Manager secret ARN`);
    }
    const client = io.clients.secretsManager(connectionSettings({ region: options.region }, io.env));
    return secretsManagerApiKey(secretArn, client);
  }
  if (key === undefined) {
    throw new UsageError(
      "no Vitable API key: set VITABLE_CONNECT_API_KEY or VITABLE_CONNECT_API_KEY_SECRET_ARN, or give --api-key-secret-arn",
    );
  }
  try {
    return staticApiKey(key);
  } catch {
    throw new UsageError("VITABLE_CONNECT_API_KEY has characters not allowed in an Authorization header");
  }
}
