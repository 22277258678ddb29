import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { WebhookLogger } from "../../../functions/webhook-ingest/create-handler.ts";
import { signatureHeaders } from "../../../functions/webhook-ingest/signature.ts";

/** Test secrets, long enough to be accepted; distinctive so that a leak into output is easy to spot. */
export const SECRET = "whsec_current_0123456789abcdef0123456789abcdef";
export const PREVIOUS_SECRET = "whsec_previous_fedcba9876543210fedcba9876543210";
export const OTHER_SECRET = "whsec_attacker_00000000000000000000000000000000";

/** A fixed clock: 2026-01-16T09:12:00Z. */
export const NOW_MS = 1_768_554_720_000;
export const NOW_SECONDS = NOW_MS / 1000;

export interface RequestOptions {
  secret?: string;
  timestampSeconds?: number;
  contentType?: string | null;
  /** Replaces or removes (undefined) headers after signing. */
  headers?: Record<string, string | undefined>;
  base64?: boolean;
  /** Sign this instead of the body that is sent (a tampered body). */
  signedBody?: string | Buffer;
}

/** An API Gateway HTTP API (payload 2.0) event carrying `body`, signed like a well-behaved sender would. */
export function signedEvent(body: string | Buffer, options: RequestOptions = {}): APIGatewayProxyEventV2 {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const signed = signatureHeaders(
    options.secret ?? SECRET,
    options.signedBody ?? bytes,
    options.timestampSeconds ?? NOW_SECONDS,
  );
  const headers: Record<string, string> = { ...signed };
  if (options.contentType !== null) headers["content-type"] = options.contentType ?? "application/json";
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const base64 = options.base64 ?? false;
  return {
    version: "2.0",
    routeKey: "POST /events",
    rawPath: "/events",
    rawQueryString: "",
    headers,
    requestContext: {
      accountId: "123456789012",
      apiId: "test",
      domainName: "test.execute-api.us-east-1.amazonaws.com",
      domainPrefix: "test",
      http: {
        method: "POST",
        path: "/events",
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.9",
        userAgent: "t",
      },
      requestId: "req-1",
      routeKey: "POST /events",
      stage: "$default",
      time: "16/Jan/2026:09:12:00 +0000",
      timeEpoch: NOW_MS,
    },
    body: base64 ? bytes.toString("base64") : bytes.toString("utf8"),
    isBase64Encoded: base64,
  };
}

export interface CapturedLog {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps every line, to assert on what is (and is not) logged. */
export function captureLogger(): WebhookLogger & { lines: CapturedLog[]; text(): string } {
  const lines: CapturedLog[] = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  return {
    lines,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    text: () => JSON.stringify(lines),
  };
}
