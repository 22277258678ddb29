import { newTraceId } from "./ids.ts";

/** An answer other than success; turned into the documented flat error body by errorBody(). */
export class HttpError extends Error {
  readonly status: number;
  readonly appErrorCode: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, appErrorCode?: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.appErrorCode = appErrorCode;
    this.headers = headers;
  }
}

export interface ErrorBody {
  timestamp: string;
  message: string;
  /** Same text as message: the API keeps it for backwards compatibility. */
  error: string;
  app_error_code?: string;
  trace_id: string;
}

export function errorBody(error: HttpError, now: Date = new Date()): ErrorBody {
  return {
    timestamp: now.toISOString(),
    message: error.message,
    error: error.message,
    ...(error.appErrorCode === undefined ? {} : { app_error_code: error.appErrorCode }),
    trace_id: newTraceId(),
  };
}

export const notFound = (what = "Not found"): HttpError => new HttpError(404, what, "not_found");

export const unauthorized = (): HttpError =>
  new HttpError(401, "Invalid or missing API key", "unauthorized", { "www-authenticate": "Bearer" });

export const methodNotAllowed = (allow: readonly string[]): HttpError =>
  new HttpError(405, "Method not allowed", "method_not_allowed", { allow: allow.join(", ") });

export const badRequest = (message: string, appErrorCode = "bad_request"): HttpError =>
  new HttpError(400, message, appErrorCode);

export const unprocessable = (message: string): HttpError => new HttpError(422, message, "validation_error");
