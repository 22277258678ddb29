import { closeSync, openSync, writeSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { OperationError } from "./errors.ts";

/** One JSON object per line, written as each decision is made so that a crash loses nothing already done. */
export interface AuditLog {
  readonly path: string;
  write(record: Record<string, unknown>): void;
  close(): void;
}

/** `audit-<UTC timestamp>.jsonl` in the working directory; .gitignore already keeps such files out of git. */
export function defaultAuditPath(cwd: string, now: Date): string {
  return join(cwd, `audit-${now.toISOString().replace(/[:.]/g, "-")}.jsonl`);
}

export function resolveAuditPath(cwd: string, path: string): string {
  return isAbsolute(path) ? path : join(cwd, path);
}

/** Appends to the file (creating it), so two runs given the same --audit file keep both histories. */
export function openAuditLog(path: string): AuditLog {
  let fd: number;
  try {
    fd = openSync(path, "a");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OperationError(`cannot write the audit file ${path}: ${reason}`);
  }
  return {
    path,
    write(record) {
      writeSync(fd, `${JSON.stringify(record)}\n`);
    },
    close() {
      closeSync(fd);
    },
  };
}
