import { loadSyncConfig } from "../../functions/group-sync/config.ts";
import { staticApiKey } from "../../functions/shared/vitable/api-key.ts";
import { VitableClient } from "../../functions/shared/vitable/client.ts";
import { createPowertoolsReferenceHandler } from "./powertools-handler.ts";

/**
 * Lambda entry of the Powertools reference, bundled by the cold-start scenario the way `npm run build` bundles
 * ours. It reads the same configuration and builds the same client; only a static key is supported.
 */
const config = loadSyncConfig(process.env);
const client = new VitableClient({
  baseUrl: config.VITABLE_CONNECT_BASE_URL,
  apiKey: staticApiKey(config.VITABLE_CONNECT_API_KEY ?? ""),
  attemptTimeoutMs: config.API_ATTEMPT_TIMEOUT_MS,
  concurrency: config.API_CONCURRENCY,
  retry: {
    maxAttempts: config.API_MAX_ATTEMPTS,
    baseDelayMs: config.API_RETRY_BASE_DELAY_MS,
    maxDelayMs: config.API_RETRY_MAX_DELAY_MS,
    maxConflictRetries: config.API_MAX_CONFLICT_RETRIES,
  },
});

export const handler = createPowertoolsReferenceHandler(client.groups);
