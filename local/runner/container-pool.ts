import type { BatchHandler } from "./event-source-runner.ts";

export interface ContainerPool {
  handler: BatchHandler;
  /** Containers created so far (at most the runner's concurrency). */
  readonly size: number;
}

/**
 * Lambda runs each concurrent invocation in its own container, with its own HTTP client, connection pool and
 * API concurrency cap. The local runner calls one handler; this hands each invocation an idle container's
 * handler, creating one when all are busy, and shares only what is shared in AWS (the ledger, the queues).
 */
export function containerPool(createContainer: () => BatchHandler): ContainerPool {
  const idle: BatchHandler[] = [];
  let size = 0;
  return {
    get size() {
      return size;
    },
    handler: async (event, context) => {
      let container = idle.pop();
      if (!container) {
        container = createContainer();
        size += 1;
      }
      try {
        return await container(event, context);
      } finally {
        idle.push(container);
      }
    },
  };
}
