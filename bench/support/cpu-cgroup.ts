import { access, mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** AWS: "At 1,769 MB, a function has the equivalent of one vCPU"; CPU is allocated in proportion to memory. */
export const LAMBDA_MB_PER_VCPU = 1769;
/** Lambda's memory range (1 MB steps). */
export const LAMBDA_MEMORY_MB = { min: 128, max: 10_240 } as const;
export const CFS_PERIOD_US = 100_000;
/** The kernel refuses a CFS quota below 1 ms. */
const MIN_QUOTA_US = 1000;
export const DEFAULT_CGROUP_ROOT = "/sys/fs/cgroup";
/** Every group the bench creates is named `<prefix><bench pid>-<what>`, so a later run can find leftovers. */
export const GROUP_PREFIX = "vitable-bench-";
/** Exit code of the launcher when it cannot write its pid into the group (the child never ran). */
export const JOIN_FAILED_EXIT = 97;

/** The vCPU share Lambda gives a function of `memoryMb`. */
export function vcpuShareFor(memoryMb: number): number {
  return memoryMb / LAMBDA_MB_PER_VCPU;
}

/** The CFS quota per `periodUs` that caps a group at the vCPU share of a `memoryMb` function. */
export function cpuQuotaUsFor(memoryMb: number, periodUs: number = CFS_PERIOD_US): number {
  return Math.max(MIN_QUOTA_US, Math.round(vcpuShareFor(memoryMb) * periodUs));
}

/** `--memory-sizes 256,512,1024`: Lambda memory sizes in MB, in the order given, each once. */
export function parseMemorySizes(text: string): number[] {
  const sizes: number[] = [];
  for (const item of text.split(",").map((part) => part.trim())) {
    const size = Number(item);
    if (
      item === "" ||
      !Number.isInteger(size) ||
      size < LAMBDA_MEMORY_MB.min ||
      size > LAMBDA_MEMORY_MB.max
    ) {
      throw new Error(
        `--memory-sizes takes Lambda memory sizes in MB, integers from ${LAMBDA_MEMORY_MB.min} to ${LAMBDA_MEMORY_MB.max} separated by commas; got "${item}"`,
      );
    }
    if (!sizes.includes(size)) sizes.push(size);
  }
  return sizes;
}

/** Where CPU limits can be set: cgroup v1's `cpu` hierarchy, or the cgroup v2 tree with the `cpu` controller. */
export interface CpuController {
  version: 1 | 2;
  /** The directory new groups are created in. */
  dir: string;
}

export type Detection = { controller: CpuController } | { reason: string };

/** Finds the CPU controller under `root` (the usual mount point unless a test gives a fake tree). Reads only. */
export async function detectCpuController(root: string = DEFAULT_CGROUP_ROOT): Promise<Detection> {
  const v1 = path.join(root, "cpu");
  if (await exists(path.join(v1, "cpu.cfs_quota_us"))) return { controller: { version: 1, dir: v1 } };
  const controllers = await readFile(path.join(root, "cgroup.controllers"), "utf8").catch(() => undefined);
  if (controllers === undefined) {
    return {
      reason: `no cgroup CPU controller under ${root}: neither cgroup v1 (${v1}/cpu.cfs_quota_us) nor cgroup v2 (${root}/cgroup.controllers)`,
    };
  }
  if (!controllers.split(/\s+/).includes("cpu")) {
    return {
      reason: `cgroup v2 at ${root} does not offer the cpu controller (cgroup.controllers: "${controllers.trim()}")`,
    };
  }
  return { controller: { version: 2, dir: root } };
}

/** From the group's cpu.stat: how often the quota stopped it. */
export interface Throttling {
  periods: number;
  throttledPeriods: number;
  throttledMs: number;
}

/** Parses cpu.stat of either version (v1 counts throttled time in ns, v2 in µs). */
export function parseCpuStat(text: string, version: 1 | 2): Throttling {
  const fields = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined) fields.set(key, Number(value));
  }
  const field = (name: string): number => {
    const value = fields.get(name);
    if (value === undefined || !Number.isFinite(value)) throw new Error(`cpu.stat has no ${name}: ${text}`);
    return value;
  };
  return {
    periods: field("nr_periods"),
    throttledPeriods: field("nr_throttled"),
    throttledMs: version === 1 ? field("throttled_time") / 1e6 : field("throttled_usec") / 1e3,
  };
}

/** A group capped at a Lambda function's CPU share. Remove it once its process has exited. */
export interface CpuLimitedGroup {
  dir: string;
  memoryMb: number;
  quotaUs: number;
  periodUs: number;
  /**
   * Put before `node …`: a shell writes its own pid into the group, then execs the command in place, so the
   * process is capped from its first instruction (Node's start-up and the import included).
   */
  launchPrefix: string[];
  throttling(): Promise<Throttling>;
  remove(): Promise<void>;
}

export type GroupOpening = { group: CpuLimitedGroup } | { reason: string };

/** Creates `<controller>/<name>` capped at the share of a `memoryMb` function, or says why it cannot. */
export async function openCpuLimitedGroup(
  controller: CpuController,
  name: string,
  memoryMb: number,
): Promise<GroupOpening> {
  const dir = path.join(controller.dir, name);
  const periodUs = CFS_PERIOD_US;
  const quotaUs = cpuQuotaUsFor(memoryMb, periodUs);
  try {
    await mkdir(dir);
  } catch (error) {
    return { reason: whyNotWritable(error, `create a cgroup in ${controller.dir}`) };
  }
  const group: CpuLimitedGroup = {
    dir,
    memoryMb,
    quotaUs,
    periodUs,
    launchPrefix: [
      "/bin/sh",
      "-c",
      `echo $$ > "$1" || exit ${JOIN_FAILED_EXIT}; shift; exec "$@"`,
      "cpu-share-launch",
      path.join(dir, "cgroup.procs"),
    ],
    throttling: async () =>
      parseCpuStat(await readFile(path.join(dir, "cpu.stat"), "utf8"), controller.version),
    remove: () => removeGroup(controller, dir),
  };
  try {
    if (controller.version === 1) {
      // Only existing control files are written ("r+"): a missing one means this is no cpu cgroup.
      await writeFile(path.join(dir, "cpu.cfs_period_us"), String(periodUs), { flag: "r+" });
      await writeFile(path.join(dir, "cpu.cfs_quota_us"), String(quotaUs), { flag: "r+" });
    } else {
      await writeFile(path.join(dir, "cpu.max"), `${quotaUs} ${periodUs}`, { flag: "r+" });
    }
  } catch (error) {
    await rmdir(dir).catch(() => undefined);
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    return {
      reason: missing
        ? controller.version === 2
          ? `the cpu controller is not enabled for groups under ${controller.dir} (its cgroup.subtree_control lacks cpu)`
          : `${dir} has no CPU control files`
        : whyNotWritable(error, `set a CPU quota in ${dir}`),
    };
  }
  return { group };
}

/** A sentence for the table when the bench may not create or configure a group (not root, read-only mount). */
export function whyNotWritable(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return `not allowed to ${what} (${code}): run the bench as root, or in a container with a delegated cgroup`;
    case "EROFS":
      return `cannot ${what}: the cgroup file system is mounted read-only (EROFS), as in most containers`;
    default:
      return `cannot ${what}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Moves any process still in the group back to the parent, then removes it; the kernel needs a moment after exit. */
async function removeGroup(controller: CpuController, dir: string): Promise<void> {
  const parentProcs = path.join(path.dirname(dir), "cgroup.procs");
  for (let attempt = 0; ; attempt++) {
    const pids = (await readFile(path.join(dir, "cgroup.procs"), "utf8").catch(() => ""))
      .split("\n")
      .filter(Boolean);
    for (const pid of pids) await writeFile(parentProcs, pid).catch(() => undefined);
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return;
      if (code !== "EBUSY" || attempt >= 50) {
        throw new Error(`could not remove the cgroup ${dir} (v${controller.version}); remove it with rmdir`, {
          cause: error,
        });
      }
      await sleep(20);
    }
  }
}

/** Removes groups left by bench runs whose process is gone (a run killed before its cleanup). */
export async function removeStaleGroups(controller: CpuController): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(controller.dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(GROUP_PREFIX)) continue;
    const pid = Number(entry.name.slice(GROUP_PREFIX.length).split("-")[0]);
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    await removeGroup(controller, path.join(controller.dir, entry.name));
    removed.push(entry.name);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
