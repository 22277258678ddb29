/** Per-attempt limits of one AWS SDK client, in milliseconds. */
export interface AwsClientTimeouts {
  /** Until the TCP connection is up. */
  connectionTimeoutMs: number;
  /** Until the response headers arrive, per attempt (the SDK's retries each get it again). */
  requestTimeoutMs: number;
}

export const DEFAULT_AWS_CLIENT_TIMEOUTS: Readonly<AwsClientTimeouts> = Object.freeze({
  connectionTimeoutMs: 2_000,
  requestTimeoutMs: 5_000,
});

/**
 * The `requestHandler` part of an SDK v3 client's configuration that bounds each attempt. Without it the SDK
 * waits on a silent endpoint for ever; and without `throwOnRequestTimeout` a request timeout only logs a warning.
 * Calls still pass an abort signal from the invocation's deadline: these limits are per attempt, not per call.
 */
export function awsClientTimeouts(timeouts: AwsClientTimeouts = DEFAULT_AWS_CLIENT_TIMEOUTS): {
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
} {
  return {
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}
