import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningVitableEmulator, startVitableEmulator } from "../../local/vitable-emulator/index.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  output(): string;
  waitFor(text: string): Promise<void>;
  /** Resolves once every process holding its output has ended (npm, and the stack under it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Started[] = [];
let realApi: RunningVitableEmulator | undefined;
afterEach(async () => {
  await realApi?.stop();
  realApi = undefined;
  // A test that failed half-way must not leave its process group running.
  for (const run of started.splice(0)) {
    if (run.child.exitCode === null && run.child.pid) {
      try {
        process.kill(-run.child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
});

/** `npm start` in its own process group, as a terminal runs it, with no Vitable or webhook credentials but `env`. */
function npmStart(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn("npm", ["start", "--", ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      VITABLE_CONNECT_BASE_URL: "",
      VITABLE_CONNECT_API_KEY: "",
      WEBHOOK_SECRET: "",
      NO_COLOR: "1",
      ...env,
    },
  });
  let text = "";
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const waiter of waiters.filter((w) => text.includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  const run: Started = {
    child,
    output: () => text,
    waitFor: (wanted) =>
      text.includes(wanted)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ text: wanted, resolve })),
    exited,
  };
  started.push(run);
  return run;
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** Whether no process of the group is left, allowing a moment for the last ones to be reaped. */
async function groupEnds(groupId: number): Promise<boolean> {
  for (let look = 0; look < 50; look++) {
    if (groupIsGone(groupId)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function groupIsGone(groupId: number): boolean {
  try {
    process.kill(-groupId, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch {
    return true;
  }
}

describe("npm start", () => {
  it("with --exit-when-idle sends the samples, prints every outcome and a summary, and exits 0", async () => {
    // Act
    const start = npmStart(["--exit-when-idle"]);
    const { code } = await start.exited;

    // Assess
    const output = start.output();
    expect(code).toBe(0);
    for (const text of ["skipped       duplicate", "skipped       stale"]) {
      expect(output).toContain(text);
    }
    expect(output).toContain("dead_lettered event_in_future");
    expect(output).toContain("retry_later   api_unavailable");
    expect(output).toContain("Every sample ended as expected.");
    expect(output).toContain("Queue drained; stopping.");
    expect(output).not.toContain("MISMATCH");
    expect(output).not.toContain("Warning");
  }, 60_000);

  it("keeps running, accepts events sent with the printed command, and stops cleanly on Ctrl-C", async () => {
    // Prepare
    const start = npmStart(["--no-samples"]);
    await start.waitFor("Press Ctrl-C to stop.");
    const sendLine = start
      .output()
      .split("\n")
      .find((line) => line.trim().startsWith("npx group-sync send"));
    const endpoints = [...start.output().matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map((match) => match[0]);

    // Act
    const [, , , ...args] = (sendLine ?? "").trim().split(/\s+/);
    const sent = await run("node", ["bin/group-sync.mjs", "send", ...args]);
    await start.waitFor("try-me-001");
    // Ctrl-C in a terminal signals the whole foreground process group: npm and the stack under it.
    process.kill(-(start.child.pid as number), "SIGINT");
    await start.exited;

    // Assess
    expect(sent.code).toBe(0);
    expect(start.output()).toMatch(/applied\s+name\s+try-me-001\s+ext:hr_loc_mtl/);
    expect(start.output()).toContain("SIGINT received; stopping.");
    expect(start.output()).toContain("All parts stopped.");
    expect(await groupEnds(start.child.pid as number)).toBe(true);
    expect(endpoints.length).toBeGreaterThanOrEqual(3);
    for (const endpoint of new Set(endpoints)) expect(await refusesConnections(endpoint)).toBe(true);
  }, 60_000);

  it("refuses an unknown option with exit code 2 and the usage", async () => {
    // Act
    const start = npmStart(["--frobnicate"]);
    const { code } = await start.exited;

    // Assess
    expect(code).toBe(2);
    expect(start.output()).toContain("Usage: npm start");
  }, 60_000);

  it("says loudly when it uses the real API, sends no samples there, and never prints the key", async () => {
    // Prepare
    const key = "vit_apk_never_print_this_key";
    realApi = await startVitableEmulator({ apiKeys: [key] });

    // Act
    const start = npmStart(["--exit-when-idle"], {
      VITABLE_CONNECT_BASE_URL: realApi.url,
      VITABLE_CONNECT_API_KEY: key,
    });
    const { code } = await start.exited;

    // Assess
    expect(code).toBe(0);
    expect(start.output()).toContain(`USING THE REAL VITABLE API at ${realApi.url}`);
    expect(start.output()).not.toContain("Sending 9 sample events");
    expect(start.output()).not.toContain(key);
    expect(realApi.journal).toEqual([]);
  }, 60_000);
});
