import { setMaxListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MonotonicClock } from "./clock.ts";
import { FaultEngine } from "./faults.ts";
import { newOrganizationId } from "./ids.ts";
import { Journal } from "./journal.ts";
import { type EmulatorState, handleRequest } from "./request-handler.ts";
import { assertValidSeed, GroupStore } from "./store.ts";
import type { GroupSeed, RunningVitableEmulator, VitableEmulatorOptions } from "./types.ts";

/** A local dummy credential (the real API's key prefix is `vit_apk_`); it guards nothing. */
export const DEFAULT_API_KEY = "vit_apk_local_emulator";

export async function startVitableEmulator(
  options: VitableEmulatorOptions = {},
): Promise<RunningVitableEmulator> {
  const apiKeys = [...(options.apiKeys ?? [DEFAULT_API_KEY])];
  if (apiKeys.length === 0 || apiKeys.some((key) => typeof key !== "string" || key.trim() === "")) {
    throw new TypeError("apiKeys must hold at least one non-empty key");
  }
  const store = new GroupStore(newOrganizationId(), new MonotonicClock());
  const addGroup = (seed: GroupSeed) => {
    assertValidSeed(seed);
    const { id, name, external_reference_id } = seed;
    return store.create(
      id === undefined ? { name, external_reference_id } : { id, name, external_reference_id },
    );
  };
  for (const seed of options.groups ?? []) addGroup(seed);

  let faults = new FaultEngine(options.faults);
  const journal = new Journal();
  const lifetime = new AbortController();
  // Every request in flight listens for shutdown on this one signal; dozens at once are normal, not a leak.
  setMaxListeners(0, lifetime.signal);
  const state: EmulatorState = {
    store,
    journal,
    apiKeys,
    externalReferenceFilter: options.externalReferenceFilter ?? true,
    faults: () => faults,
    lifetime: lifetime.signal,
  };
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch(() => res.destroy());
  });
  const host = options.host ?? "127.0.0.1";
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    apiKeys: [...apiKeys],
    journal: journal.entries,
    groups: () => store.list(),
    group: (id) => store.get(id),
    addGroup,
    setFaults: (next) => {
      faults = new FaultEngine(next);
    },
    clearJournal: () => journal.clear(),
    stop: () => {
      stopping ??= shutdown(server, lifetime);
      return stopping;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Ends pending latency and hangs, then closes every connection (idle keep-alive ones included) at once. */
async function shutdown(server: Server, lifetime: AbortController): Promise<void> {
  lifetime.abort();
  const closed = new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  server.closeAllConnections();
  await closed;
}
