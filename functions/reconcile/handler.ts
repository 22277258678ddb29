import { loadReconcileConfig } from "./config.ts";
import { createReconcileRuntime } from "./create-runtime.ts";

/**
 * Lambda entry point for S3 "object created" notifications under snapshots/. Configuration is read once per cold
 * start; a misconfiguration fails the init with a message that names the variable.
 */
export const handler = createReconcileRuntime(loadReconcileConfig(process.env)).handler;
