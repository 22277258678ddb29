import { performance } from "node:perf_hooks";
import type { Context } from "aws-lambda";

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

/** A Lambda context counting down from the function timeout in real time. */
export function lambdaContext(timeoutMs: number): Pick<Context, "getRemainingTimeInMillis"> {
  const end = Date.now() + timeoutMs;
  return { getRemainingTimeInMillis: () => end - Date.now() };
}
