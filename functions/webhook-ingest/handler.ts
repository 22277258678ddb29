import { loadWebhookConfig } from "./config.ts";
import { createWebhookRuntime } from "./create-runtime.ts";

/**
 * Lambda entry point behind the API Gateway HTTP API (payload format 2.0). Configuration is read once per cold
 * start; a misconfiguration fails the init with a message that names the variable, never its value.
 */
export const handler = createWebhookRuntime(loadWebhookConfig(process.env)).handler;
