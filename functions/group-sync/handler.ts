import { loadSyncConfig } from "./config.ts";
import { createSyncRuntime } from "./create-runtime.ts";

/**
 * Lambda entry point for the SQS event source mapping (ReportBatchItemFailures). Configuration is read once per
 * cold start; a misconfiguration fails the init with a message that names the variable.
 */
export const handler = createSyncRuntime(loadSyncConfig(process.env)).handler;
