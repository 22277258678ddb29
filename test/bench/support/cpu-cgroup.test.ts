import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cpuQuotaUsFor,
  detectCpuController,
  openCpuLimitedGroup,
  parseCpuStat,
  parseMemorySizes,
  vcpuShareFor,
  whyNotWritable,
} from "../../../bench/support/cpu-cgroup.ts";

describe("cpuQuotaUsFor", () => {
  it("gives the CFS quota of memory ÷ 1,769 MB of a vCPU per 100 ms period", () => {
    expect(vcpuShareFor(1769)).toBe(1);
    expect(cpuQuotaUsFor(256)).toBe(14_471);
    expect(cpuQuotaUsFor(512)).toBe(28_943);
    expect(cpuQuotaUsFor(1024)).toBe(57_886);
    expect(cpuQuotaUsFor(1769)).toBe(100_000);
    // Above one vCPU the quota spans several CPUs in one period.
    expect(cpuQuotaUsFor(3538)).toBe(200_000);
    expect(cpuQuotaUsFor(256, 50_000)).toBe(7236);
  });

  it("never goes below the kernel's minimum quota of 1 ms", () => {
    expect(cpuQuotaUsFor(128, 10_000)).toBe(1000);
  });
});

describe("parseMemorySizes", () => {
  it("reads a comma-separated list in its order, each size once", () => {
    expect(parseMemorySizes("256,512,1024")).toEqual([256, 512, 1024]);
    expect(parseMemorySizes(" 1769, 128 ,1769")).toEqual([1769, 128]);
  });

  it.each(["", "256,,512", "abc", "127", "10241", "256.5", "-256"])(
    "refuses %j with the accepted range",
    (text) => {
      expect(() => parseMemorySizes(text)).toThrow(/integers from 128 to 10240/);
    },
  );
});

describe("parseCpuStat", () => {
  it("reads cgroup v1 (throttled time in ns) and v2 (in µs)", () => {
    const v1 = "nr_periods 138\nnr_throttled 133\nthrottled_time 11871000000\nnr_bursts 0\nburst_time 0\n";
    expect(parseCpuStat(v1, 1)).toEqual({ periods: 138, throttledPeriods: 133, throttledMs: 11_871 });
    const v2 =
      "usage_usec 95000\nuser_usec 80000\nsystem_usec 15000\nnr_periods 20\nnr_throttled 7\nthrottled_usec 420000\n";
    expect(parseCpuStat(v2, 2)).toEqual({ periods: 20, throttledPeriods: 7, throttledMs: 420 });
  });

  it("refuses a cpu.stat without the throttling counters instead of reporting zero", () => {
    expect(() => parseCpuStat("usage_usec 1\n", 2)).toThrow(/no nr_periods/);
  });
});

describe("whyNotWritable", () => {
  it("says what to do when the bench is not root or the mount is read-only", () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    expect(whyNotWritable(error("EACCES"), "create a cgroup in /x")).toMatch(/not allowed .*EACCES.*as root/);
    expect(whyNotWritable(error("EPERM"), "create a cgroup in /x")).toMatch(/not allowed .*EPERM/);
    expect(whyNotWritable(error("EROFS"), "create a cgroup in /x")).toMatch(/read-only/);
    expect(whyNotWritable(error("ENOSPC"), "create a cgroup in /x")).toMatch(
      /cannot create a cgroup in \/x: ENOSPC/,
    );
  });
});

describe("detectCpuController and openCpuLimitedGroup on a fake cgroup tree", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "fake-cgroup-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("finds cgroup v1's cpu hierarchy", async () => {
    await mkdir(path.join(root, "cpu"));
    await writeFile(path.join(root, "cpu", "cpu.cfs_quota_us"), "-1\n");
    expect(await detectCpuController(root)).toEqual({
      controller: { version: 1, dir: path.join(root, "cpu") },
    });
  });

  it("prefers v1's cpu hierarchy on a hybrid mount whose v2 tree has no cpu", async () => {
    await mkdir(path.join(root, "cpu"));
    await writeFile(path.join(root, "cpu", "cpu.cfs_quota_us"), "-1\n");
    await writeFile(path.join(root, "cgroup.controllers"), "hugetlb\n");
    expect(await detectCpuController(root)).toMatchObject({ controller: { version: 1 } });
  });

  it("finds cgroup v2 with the cpu controller", async () => {
    await writeFile(path.join(root, "cgroup.controllers"), "cpuset cpu io memory pids\n");
    expect(await detectCpuController(root)).toEqual({ controller: { version: 2, dir: root } });
  });

  it("explains a v2 tree without the cpu controller (cpuset is not cpu)", async () => {
    await writeFile(path.join(root, "cgroup.controllers"), "cpuset io memory\n");
    expect(await detectCpuController(root)).toEqual({
      reason: expect.stringMatching(/does not offer the cpu controller.*"cpuset io memory"/),
    });
  });

  it("explains a machine with no cgroup file system", async () => {
    expect(await detectCpuController(path.join(root, "missing"))).toEqual({
      reason: expect.stringMatching(/no cgroup CPU controller under .*neither cgroup v1 .* nor cgroup v2/),
    });
  });

  it("refuses a directory without control files and leaves nothing behind", async () => {
    // A plain directory is what mkdir gives outside a cgroup file system: the quota must not be written into it.
    const opening = await openCpuLimitedGroup({ version: 1, dir: root }, "g", 256);
    expect(opening).toEqual({ reason: `${path.join(root, "g")} has no CPU control files` });
    await expect(readFile(path.join(root, "g", "cpu.cfs_quota_us"))).rejects.toMatchObject({
      code: "ENOENT",
    });
  });

  it("tells a v2 tree whose children lack the cpu controller", async () => {
    const opening = await openCpuLimitedGroup({ version: 2, dir: root }, "g", 256);
    expect(opening).toEqual({ reason: expect.stringMatching(/subtree_control lacks cpu/) });
  });

  it("says why when the group cannot be created", async () => {
    // A regular file where the hierarchy should be: mkdir fails as it would on a foreign mount.
    await writeFile(path.join(root, "cpu"), "");
    const opening = await openCpuLimitedGroup({ version: 1, dir: path.join(root, "cpu") }, "g", 256);
    expect(opening).toEqual({ reason: expect.stringMatching(/^cannot create a cgroup in .*ENOTDIR/) });
  });
});
