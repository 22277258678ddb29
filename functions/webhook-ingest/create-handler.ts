import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { truncateText } from "../shared/contract/code-points.ts";
import { deliveryDeduplicationIdFor } from "../shared/contract/index.ts";
import { type BatchSender, enqueueEvents } from "./enqueue.ts";
import { parseEventBatch, type ValidEvent } from "./parse-batch.ts";
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
import { SIGNATURE_HEADER, type SignatureCheck, TIMESTAMP_HEADER, verifySignature } from "./signature.ts";
import { chooseSigningScheme, type SigningScheme } from "./signing-scheme.ts";
import {
  type StandardCheck,
  verifyStandardSignature,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from "./standard-webhook-signature.ts";
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

/** Verifies the request by the scheme its headers chose; both take the raw bytes, before any JSON parse. */
function checkSignature(
  scheme: SigningScheme,
  headers: ReadonlyMap<string, string>,
  raw: Uint8Array,
  secrets: readonly string[],
  nowSeconds: number,
): SignatureCheck | StandardCheck {
  if (scheme === "group-sync") {
    return verifySignature(
      {
        signatureHeader: headers.get(SIGNATURE_HEADER),
        timestampHeader: headers.get(TIMESTAMP_HEADER),
        rawBody: raw,
      },
      secrets,
      nowSeconds,
    );
  }
  // chooseSigningScheme has checked that all three headers are there.
  const header = (name: string) => headers.get(name) ?? "";
  return verifyStandardSignature(
    {
      webhookId: header(WEBHOOK_ID_HEADER),
      timestampHeader: header(WEBHOOK_TIMESTAMP_HEADER),
      signatureHeader: header(WEBHOOK_SIGNATURE_HEADER),
      rawBody: raw,
    },
    secrets,
    nowSeconds,
  );
}

function cloudEventTypes(events: readonly ValidEvent[]): { cloudevent_types?: string[] } {
  const types = events.flatMap((item) => (item.cloudEventType === undefined ? [] : [item.cloudEventType]));
  return types.length === 0 ? {} : { cloudevent_types: types.map((type) => truncateText(type, 128)) };
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

    const scheme = chooseSigningScheme(headers);
    if (!scheme.ok) {
      if (scheme.reason === "unsigned")
        return { response: unauthorized(), fields: { refusal: "missing_header" } };
      return { response: unauthorized(scheme.message), fields: { refusal: scheme.reason } };
    }

    let secrets: string[];
    try {
      secrets = await deps.secrets.get();
    } catch (error) {
      if (!(error instanceof WebhookSecretUnavailableError)) throw error;
      logger.error("webhook secret unavailable", { detail: error.message });
      return { response: unavailable("temporarily unavailable; send the request again later"), fields: {} };
    }
    const check = checkSignature(scheme.scheme, headers, raw, secrets, Math.floor(now() / 1000));
    if (!check.ok) {
      return { response: unauthorized(), fields: { scheme: scheme.scheme, refusal: check.reason } };
    }
    // Matching the previous secret means the sender has not switched yet: worth seeing during a rotation.
    const signedWith = check.secretIndex === 0 ? "current" : "previous";
    const webhookId = "webhookId" in check ? check.webhookId : undefined;
    const signature = { scheme: scheme.scheme, signed_with: signedWith, webhook_id: webhookId };

    const text = decodeUtf8(raw);
    if (text === undefined) {
      const issues = [{ path: "", message: "body is not valid UTF-8" }];
      return { response: invalidBody(issues), fields: signature };
    }
    logger.debug("webhook body", { body: text });

    const batch = parseEventBatch(text);
    if (!batch.ok) {
      const fields = { ...signature, problem: batch.problem };
      if (batch.problem === "body") return { response: invalidBody(batch.issues), fields };
      if (batch.problem === "too_many_events") return { response: tooManyEvents(batch.count), fields };
      return {
        response: invalidEvents(batch.rejected, batch.total),
        fields: { ...fields, events: batch.total, rejected: batch.rejected.map((item) => item.index) },
      };
    }

    const events =
      webhookId === undefined
        ? batch.events
        : batch.events.map((item) => ({
            ...item,
            deduplicationId: deliveryDeduplicationIdFor(webhookId, item.index, item.messageBody),
          }));
    const results = await enqueueEvents(deps.sqs, deps.queueUrl, events);
    const failures = results.flatMap((result) =>
      result.status === "failed" ? [{ index: result.index, reason: result.reason, code: result.code }] : [],
    );
    if (failures.length > 0) logger.warn("events not queued", { failures });
    return {
      response: enqueueOutcome(batch.events, results),
      fields: {
        ...signature,
        events: results.length,
        accepted: results.length - failures.length,
        event_ids: batch.events.map((item) => item.event.event_id),
        envelopes: batch.events.map((item) => item.envelope),
        ...cloudEventTypes(batch.events),
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
