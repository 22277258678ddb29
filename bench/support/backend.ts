import { type ChildProcess, fork } from "node:child_process";
import type {
  BackendEndpoints,
  BackendOptions,
  BackendReady,
  BackendReply,
  BackendRequest,
  JournalStats,
} from "./backend-protocol.ts";

export interface Backend extends BackendEndpoints {
  journalStats(): Promise<JournalStats>;
  clearJournal(): Promise<void>;
  groupName(groupId: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackendError";
  }
}

const PROCESS_FILE = new URL("./backend-process.ts", import.meta.url);

type Pending = { resolve(value: unknown): void; reject(error: Error): void };
type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/** Starts backend-process.ts (emulator, fauxqs, maybe dynalite) in a child process and waits for its endpoints. */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const child = fork(PROCESS_FILE, [JSON.stringify(options)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const endpoints = await waitForReady(child);
  const pending = new Map<number, Pending>();
  let nextId = 0;
  child.on("message", (message: BackendReply) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.value);
    else waiter?.reject(new BackendError(message.error));
  });
  child.on("exit", () => {
    for (const waiter of pending.values()) waiter.reject(new BackendError("the backend process exited"));
    pending.clear();
  });
  const call = (request: WithoutId<BackendRequest>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      nextId += 1;
      pending.set(nextId, { resolve, reject });
      child.send({ ...request, id: nextId });
    });

  return {
    ...endpoints,
    journalStats: () => call({ op: "journalStats" }) as Promise<JournalStats>,
    clearJournal: async () => {
      await call({ op: "clearJournal" });
    },
    groupName: (groupId) => call({ op: "groupName", groupId }) as Promise<string | undefined>,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await call({ op: "stop" }).catch(() => undefined);
      await exited;
    },
  };
}

function waitForReady(child: ChildProcess): Promise<BackendEndpoints> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new BackendError(`the backend process exited (${code})`));
    child.once("exit", onExit);
    child.once("message", (message: BackendReady) => {
      child.off("exit", onExit);
      if ("ready" in message) resolve(message.ready);
      else reject(new BackendError(`the backend process failed to start: ${message.failed}`));
    });
  });
}
