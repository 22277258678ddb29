import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import { startEmbeddedSqs } from "../../local/sqs/embedded-sqs.ts";
import { type FaultConfig, startVitableEmulator } from "../../local/vitable-emulator/index.ts";
import type {
  BackendOptions,
  BackendReady,
  BackendReply,
  BackendRequest,
  JournalStats,
} from "./backend-protocol.ts";
import { benchGroupId } from "./events.ts";

/**
 * The far side of every API the function calls (the Vitable emulator, fauxqs, optionally dynalite), in its own
 * process: on a 2-core machine the bench must not make the handler share one event loop with its servers.
 * Started by backend.ts with the options as JSON in argv[2]; answers requests over the IPC channel.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as BackendOptions;
  const faults: FaultConfig = { latencyMs: options.latencyMs };
  if (options.rateLimit) faults.rateLimit = options.rateLimit;
  const emulator = await startVitableEmulator({
    groups: Array.from({ length: options.groups }, (_, index) => ({
      id: benchGroupId(index),
      name: `Group ${index}`,
      external_reference_id: `hr_${index}`,
    })),
    faults,
  });
  const sqs = await startEmbeddedSqs();
  const dynamo = options.dynamo ? await startDynalite() : undefined;
  let dynamoRequests = 0;
  dynamo?.onRequest(() => {
    dynamoRequests += 1;
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= Promise.all([emulator.stop(), sqs.stop(), dynamo?.close()]).then(() => undefined);
    return stopping;
  };
  const answer = async (request: BackendRequest): Promise<unknown> => {
    switch (request.op) {
      case "journalStats":
        return journalStats(emulator.journal, dynamoRequests);
      case "clearJournal":
        emulator.clearJournal();
        dynamoRequests = 0;
        return undefined;
      case "groupName":
        return emulator.group(request.groupId)?.name;
      case "stop":
        await stop();
        return undefined;
    }
  };
  process.on("message", (request: BackendRequest) => {
    answer(request)
      .then(
        (value) => send({ id: request.id, ok: true, value }),
        (error: unknown) => send({ id: request.id, ok: false, error: String(error) }),
      )
      .then(() => {
        if (request.op === "stop") process.disconnect();
      });
  });
  // Stopped, or the bench went away without saying so: do not linger.
  process.on("disconnect", () => {
    stop().finally(() => process.exit(0));
  });
  await send({
    ready: { vitableUrl: emulator.url, sqsEndpoint: sqs.endpoint, dynamoEndpoint: dynamo?.endpoint },
  });
}

function journalStats(
  journal: ReadonlyArray<{ method: string; status: unknown; fault?: string; at: number }>,
  dynamoRequests: number,
): JournalStats {
  const stats: JournalStats = {
    requests: journal.length,
    patchesApplied: 0,
    patches: 0,
    rateLimited: 0,
    firstAppliedAt: undefined,
    lastAppliedAt: undefined,
    dynamoRequests,
  };
  for (const entry of journal) {
    if (entry.fault === "rate_limit") stats.rateLimited += 1;
    if (entry.method !== "PATCH") continue;
    stats.patches += 1;
    if (typeof entry.status === "number" && entry.status >= 200 && entry.status < 300) {
      stats.patchesApplied += 1;
      stats.firstAppliedAt = Math.min(stats.firstAppliedAt ?? entry.at, entry.at);
      stats.lastAppliedAt = Math.max(stats.lastAppliedAt ?? entry.at, entry.at);
    }
  }
  return stats;
}

async function startDynalite(): Promise<{
  endpoint: string;
  onRequest(listener: () => void): void;
  close(): Promise<void>;
}> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    onRequest: (listener) => server.on("request", listener),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function send(message: BackendReply | BackendReady): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

main().catch(async (error: unknown) => {
  await send({ failed: String(error) });
  process.exit(1);
});
