import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { LedgerUnavailableError } from "./ledger-store.ts";

const MAX_CAUSE_LENGTH = 200;

/** Wraps any failure of a ledger table call, naming the table, so that callers retry the record instead of guessing. */
export function ledgerUnavailable(
  tableName: string,
  operation: string,
  cause: unknown,
): LedgerUnavailableError {
  if (cause instanceof LedgerUnavailableError) return cause;
  return new LedgerUnavailableError(
    `Ledger table "${tableName}" is unavailable: ${operation} failed (${describe(cause)})`,
    { cause },
  );
}

export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === "ConditionalCheckFailedException")
  );
}

function describe(cause: unknown): string {
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.length > MAX_CAUSE_LENGTH ? `${text.slice(0, MAX_CAUSE_LENGTH)}…` : text;
}
