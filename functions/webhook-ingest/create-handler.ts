import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type BatchSender, enqueueEvents } from "./enqueue.ts";
import { parseEventBatch } from "./parse-batch.ts";
import { DEFAULT_MAX_REQUEST_BYTES, decodeUtf8, isJsonContentType, rawBodyBytes } from "./request-body.ts";
import {
  enqueueOutcome,
  internalError,
  invalidBody,
  invalidEvents,
  payloadTooLarge,
  tooManyEvents,
  unauthorized,
  unavailable,
  unsupportedMediaType,
  type WebhookResponse,
} from "./responses.ts";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from "./signature.ts";
import { type WebhookSecretSource, WebhookSecretUnavailableError } from "./webhook-secrets.ts";

/** What the handler logs through; a Powertools Logger fits. Fields never hold secrets or signatures. */
export interface WebhookLogger {
  debug(message: string, fields: Record<string, unknown>): void;
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

export interface WebhookHandlerDeps {
  sqs: BatchSender;
  queueUrl: string;
  secrets: WebhookSecretSource;
  /** Milliseconds since the epoch; the signature's timestamp is judged against it. */
  now?: () => number;
  logger?: WebhookLogger;
  /** Largest request body accepted, in bytes (default 256 KiB). */
  maxBodyBytes?: number;
}

export type WebhookHandler = (event: APIGatewayProxyEventV2) => Promise<WebhookResponse>;

const silent: WebhookLogger = { debug() {}, info() {}, warn() {}, error() {} };

interface Handled {
  response: WebhookResponse;
  fields: Record<string, unknown>;
}

function lowercaseHeaders(headers: APIGatewayProxyEventV2["headers"] | undefined): Map<string, string> {
  return new Map(
    Object.entries(headers ?? {}).flatMap(([name, value]) =>
      value === undefined ? [] : [[name.toLowerCase(), value] as const],
    ),
  );
}

/**
 * The webhook: content type, size, signature, then the events, then the queue, in that order, so that nothing
 * unauthenticated is parsed and nothing invalid is queued. Built from injected parts so that Lambda, the local
 * stack and tests run this one implementation.
 */
export function createWebhookHandler(deps: WebhookHandlerDeps): WebhookHandler {
  const now = deps.now ?? Date.now;
  const logger = deps.logger ?? silent;
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_REQUEST_BYTES;

  const handle = async (event: APIGatewayProxyEventV2): Promise<Handled> => {
    const headers = lowercaseHeaders(event.headers);
    if (!isJsonContentType(headers.get("content-type"))) {
      return { response: unsupportedMediaType(), fields: {} };
    }
    const raw = rawBodyBytes(event.body, event.isBase64Encoded);
    if (raw.length > maxBodyBytes) {
      return { response: payloadTooLarge(raw.length, maxBodyBytes), fields: { bytes: raw.length } };
    }

    let secrets: string[];
    try {
      secrets = await deps.secrets.get();
    } catch (error) {
      if (!(error instanceof WebhookSecretUnavailableError)) throw error;
      logger.error("webhook secret unavailable", { detail: error.message });
      return { response: unavailable("temporarily unavailable; send the request again later"), fields: {} };
    }
    const check = verifySignature(
      {
        signatureHeader: headers.get(SIGNATURE_HEADER),
        timestampHeader: headers.get(TIMESTAMP_HEADER),
        rawBody: raw,
      },
      secrets,
      Math.floor(now() / 1000),
    );
    if (!check.ok) return { response: unauthorized(), fields: { refusal: check.reason } };
    // Matching the previous secret means the sender has not switched yet: worth seeing during a rotation.
    const signedWith = check.secretIndex === 0 ? "current" : "previous";

    const text = decodeUtf8(raw);
    if (text === undefined) {
      const issues = [{ path: "", message: "body is not valid UTF-8" }];
      return { response: invalidBody(issues), fields: { signed_with: signedWith } };
    }
    logger.debug("webhook body", { body: text });

    const batch = parseEventBatch(text);
    if (!batch.ok) {
      const fields = { signed_with: signedWith, problem: batch.problem };
      if (batch.problem === "body") return { response: invalidBody(batch.issues), fields };
      if (batch.problem === "too_many_events") return { response: tooManyEvents(batch.count), fields };
      return {
        response: invalidEvents(batch.rejected, batch.total),
        fields: { ...fields, events: batch.total, rejected: batch.rejected.map((item) => item.index) },
      };
    }

    const results = await enqueueEvents(deps.sqs, deps.queueUrl, batch.events);
    const failures = results.flatMap((result) =>
      result.status === "failed" ? [{ index: result.index, reason: result.reason, code: result.code }] : [],
    );
    if (failures.length > 0) logger.warn("events not queued", { failures });
    return {
      response: enqueueOutcome(batch.events, results),
      fields: {
        signed_with: signedWith,
        events: results.length,
        accepted: results.length - failures.length,
        event_ids: batch.events.map((item) => item.event.event_id),
      },
    };
  };

  return async (event) => {
    const requestId = event.requestContext?.requestId;
    try {
      const { response, fields } = await handle(event);
      const log = response.statusCode >= 500 || response.statusCode === 401 ? logger.warn : logger.info;
      log.call(logger, "webhook request", { request_id: requestId, status: response.statusCode, ...fields });
      return response;
    } catch (error) {
      logger.error("webhook request failed", {
        request_id: requestId,
        error: error instanceof Error ? error.name : "unknown",
      });
      return internalError();
    }
  };
}
