/** The result of one HTTP exchange, classified but not yet judged (retry decisions live elsewhere). */
export type AttemptOutcome =
  | { kind: "response"; status: number; statusText: string; headers: Headers; bodyText: string }
  | { kind: "timeout"; timeoutMs: number }
  | { kind: "connection"; code: string | undefined; reason: string };

export interface OutgoingRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

/**
 * Sends one request and reads the whole body under a single timeout, so a server that stalls mid-body counts
 * as a timeout too. Never throws for network trouble: it reports it.
 */
export async function sendAttempt(
  fetchFn: typeof fetch,
  request: OutgoingRequest,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetchFn(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
    });
    const bodyText = await response.text();
    return {
      kind: "response",
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      bodyText,
    };
  } catch (error) {
    if (signal.aborted) {
      return { kind: "timeout", timeoutMs };
    }
    const code = networkErrorCode(error);
    // Only the code or the error's class name: library messages may quote request details.
    return { kind: "connection", code, reason: code ?? errorName(error) };
  }
}

function networkErrorCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  for (const candidate of [cause, error]) {
    const code =
      typeof candidate === "object" && candidate !== null ? Reflect.get(candidate, "code") : undefined;
    if (typeof code === "string") {
      return code;
    }
  }
  return undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown error";
}
