import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

/** The one route the deployed HTTP API has; the local adapter serves the same. */
export const WEBHOOK_ROUTE = { method: "POST", path: "/events" } as const;

/**
 * Builds the event API Gateway (HTTP API, payload format 2.0) would hand the function. The body always travels
 * base64-encoded: that keeps its bytes exactly as received, which the signature check needs, and exercises the
 * same decoding path as a binary body on AWS.
 */
export function toApiGatewayEvent(request: IncomingMessage, rawBody: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? "/", "http://localhost");
  const headers: Record<string, string> = {};
  // API Gateway lowercases header names and joins repeated headers with commas.
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values) headers[name.toLowerCase()] = values.join(",");
  }
  const now = new Date();
  const routeKey = `${WEBHOOK_ROUTE.method} ${WEBHOOK_ROUTE.path}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "127.0.0.1",
      domainPrefix: "local",
      http: {
        method: request.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: rawBody.toString("base64"),
    isBase64Encoded: true,
  };
}
