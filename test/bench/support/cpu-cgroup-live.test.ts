// Against the machine's real cgroup file system: runs only where the bench may create CPU-limited groups (root
// with a writable cpu controller), and says why it is skipped elsewhere.
import { spawn } from "node:child_process";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type CpuLimitedGroup,
  detectCpuController,
  GROUP_PREFIX,
  JOIN_FAILED_EXIT,
  openCpuLimitedGroup,
} from "../../../bench/support/cpu-cgroup.ts";

const detection = await detectCpuController();
const probe =
  "controller" in detection
    ? await openCpuLimitedGroup(detection.controller, `${GROUP_PREFIX}${process.pid}-probe`, 1024)
    : detection;
if ("group" in probe) await probe.group.remove();
const unavailable = "reason" in probe ? probe.reason : undefined;
if (unavailable) console.warn(`cpu-cgroup-live: skipped, ${unavailable}`);

function run(command: string[]): { pid: number; exit: Promise<{ code: number | null; stdout: string }> } {
  const child = spawn(command[0] as string, command.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.resume();
  return {
    pid: child.pid as number,
    exit: new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => resolve({ code, stdout }));
    }),
  };
}

async function open(name: string, memoryMb: number): Promise<CpuLimitedGroup> {
  if (!("controller" in detection)) throw new Error("no controller");
  const opening = await openCpuLimitedGroup(
    detection.controller,
    `${GROUP_PREFIX}${process.pid}-${name}`,
    memoryMb,
  );
  if ("reason" in opening) throw new Error(opening.reason);
  return opening.group;
}

const gone = (dir: string) =>
  access(dir).then(
    () => false,
    () => true,
  );

describe.skipIf(unavailable !== undefined)("a CPU-limited cgroup on this machine", () => {
  const opened: CpuLimitedGroup[] = [];
  afterEach(async () => {
    for (const group of opened.splice(0)) await group.remove();
  });

  it("holds a node process started through its launch prefix to the quota from the start, and is removed after", async () => {
    const group = await open("busy", 1024);
    opened.push(group);
    // 400 ms of wall time spinning: at 0.58 vCPU the quota stops the process in most 100 ms periods.
    const script =
      "const end = Date.now() + 400; while (Date.now() < end); process.stdout.write(require('fs').readFileSync('/proc/self/cgroup', 'utf8'))";
    const { code, stdout } = await run([...group.launchPrefix, process.execPath, "-e", script]).exit;
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`cpu[^:]*:/${path.basename(group.dir)}$`, "m"));
    const throttling = await group.throttling();
    expect(throttling.periods).toBeGreaterThan(0);
    expect(throttling.throttledPeriods).toBeGreaterThan(0);
    await group.remove();
    expect(await gone(group.dir)).toBe(true);
  });

  it("moves a process still inside back to the parent when removed, and the process lives on", async () => {
    const group = await open("sleeper", 256);
    opened.push(group);
    const sleeper = run([...group.launchPrefix, "sleep", "30"]);
    try {
      for (let i = 0; i < 100; i++) {
        if ((await readFile(path.join(group.dir, "cgroup.procs"), "utf8")).includes(String(sleeper.pid)))
          break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await readFile(path.join(group.dir, "cgroup.procs"), "utf8")).toContain(String(sleeper.pid));
      await group.remove();
      expect(await gone(group.dir)).toBe(true);
      expect(() => process.kill(sleeper.pid, 0)).not.toThrow();
    } finally {
      process.kill(sleeper.pid, "SIGTERM");
      await sleeper.exit;
    }
  });

  it("exits with JOIN_FAILED_EXIT, without running the command, when the group is gone", async () => {
    const group = await open("gone", 512);
    await group.remove();
    const { code, stdout } = await run([...group.launchPrefix, "echo", "ran"]).exit;
    expect(code).toBe(JOIN_FAILED_EXIT);
    expect(stdout).toBe("");
  });
});
