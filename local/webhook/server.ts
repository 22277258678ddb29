import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createWebhookHandler,
  type WebhookHandler,
  type WebhookHandlerDeps,
} from "../../functions/webhook-ingest/create-handler.ts";
import { toApiGatewayEvent, WEBHOOK_ROUTE } from "./api-gateway-event.ts";

/** API Gateway refuses larger payloads itself (HTTP APIs take at most 10 MB); so does the adapter. */
export const MAX_ADAPTER_BODY_BYTES = 10 * 1024 * 1024;

export interface LocalWebhookOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  handlerDeps: WebhookHandlerDeps;
}

export interface RunningLocalWebhook {
  /** Where to POST events, e.g. http://127.0.0.1:41234/events */
  url: string;
  port: number;
  stop(): Promise<void>;
}

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_ADAPTER_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function serve(handler: WebhookHandler, request: IncomingMessage, response: ServerResponse) {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  // Other routes do not exist on the deployed API either; API Gateway answers them with this body.
  if (request.method !== WEBHOOK_ROUTE.method || path !== WEBHOOK_ROUTE.path) {
    request.resume();
    sendJson(response, 404, { message: "Not Found" });
    return;
  }
  let rawBody: Buffer;
  try {
    rawBody = await readBody(request);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendJson(response, 413, { message: "Request Entity Too Large" });
    request.destroy();
    return;
  }
  const result = await handler(toApiGatewayEvent(request, rawBody));
  const body = result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  response.writeHead(result.statusCode, headers).end(body);
}

/**
 * Serves the webhook handler on a loopback port through a thin HTTP adapter, so the local stack runs the very
 * handler Lambda runs: requests become API Gateway events, results become responses, and nothing else happens.
 */
export async function startLocalWebhook(options: LocalWebhookOptions): Promise<RunningLocalWebhook> {
  const handler = createWebhookHandler(options.handlerDeps);
  const server = createServer((request, response) => {
    serve(handler, request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { message: "Internal Server Error" });
      else response.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}${WEBHOOK_ROUTE.path}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
