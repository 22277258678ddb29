/**
 * The shape of the ledger table that the CDK stack creates and both ledger stores honour. Kept free of AWS
 * imports so the stack, the Lambda and the in-memory store can all share it.
 */

/** The only key attribute: a string partition key, no sort key. */
export const LEDGER_PARTITION_KEY = "pk";

/** DynamoDB's TTL attribute: epoch seconds after which an item counts as gone. */
export const LEDGER_TTL_ATTRIBUTE = "expires_at";

/** Items outlive the 14-day SQS retention twice over; every write restarts the clock. */
export const DEFAULT_LEDGER_TTL_SECONDS = 30 * 24 * 3600;

/** The epoch second at which an item written at `nowMs` expires. */
export function expiresAtSeconds(nowMs: number, ttlSeconds: number): number {
  return Math.floor(nowMs / 1000) + ttlSeconds;
}

/**
 * True while an item is live. DynamoDB deletes expired items lazily (often days later), so readers must treat
 * an expired item as absent themselves; an item without the attribute never expires.
 */
export function isLive(expiresAt: number | undefined, nowMs: number): boolean {
  return expiresAt === undefined || Math.floor(nowMs / 1000) < expiresAt;
}
