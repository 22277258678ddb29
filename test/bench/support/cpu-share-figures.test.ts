import { describe, expect, it } from "vitest";
import { type CpuShareSample, cpuShareFigures, sizeLabel } from "../../../bench/support/cpu-share-figures.ts";
import { formatTable } from "../../../bench/support/table.ts";

function sample(
  memoryMb: number,
  bundle: CpuShareSample["bundle"],
  importMs: number,
  invokeMs: number[],
  throttledPeriods = 5,
): CpuShareSample {
  return {
    memoryMb,
    bundle,
    measurement: {
      bootMs: importMs / 2,
      importMs,
      importCpuMs: importMs * 0.1,
      firstInvokeMs: invokeMs[0] as number,
      secondInvokeMs: invokeMs[1] as number,
      invokeMs,
      cpuMsPerSteadyEvent: invokeMs.length > 2 ? importMs / 100 : null,
    },
    throttling: { periods: 10, throttledPeriods, throttledMs: 1 },
  };
}

describe("sizeLabel", () => {
  it("names the size and its vCPU share", () => {
    expect(sizeLabel(256)).toBe("256 MB (0.145 vCPU)");
    expect(sizeLabel(1769)).toBe("1769 MB (1.000 vCPU)");
  });
});

describe("cpuShareFigures", () => {
  const samples = [
    sample(256, "ours", 1000, [2000, 800, 600, 700, 500]),
    sample(256, "reference", 400, [1600, 400, 300, 300, 350], 3),
    sample(256, "ours", 1200, [2200, 900, 650, 640, 660]),
    sample(256, "reference", 500, [1800, 500, 320, 300, 310], 1),
    sample(1024, "ours", 300, [600, 200, 180, 190, 200], 0),
    sample(1024, "reference", 100, [500, 300, 290, 300, 310], 0),
  ];
  const figures = cpuShareFigures(samples);
  const byLabel = (label: string) => figures.find((figure) => figure.label === label);

  it("puts each figure of ours next to the reference's, with ours' ratio to it", () => {
    const labels = figures.map((figure) => figure.label);
    const oursImport = labels.indexOf("256 MB (0.145 vCPU) group-sync: module initialisation (import)");
    expect(labels[oursImport + 1]).toBe(
      "256 MB (0.145 vCPU) powertools-reference: module initialisation (import)",
    );
    expect(byLabel(labels[oursImport] as string)).toMatchObject({
      unit: "ms",
      summary: { n: 2, median: 1100, min: 1000, max: 1200 },
      note: "2.44× the reference",
    });
    expect(byLabel(labels[oursImport + 1] as string)?.summary?.median).toBe(450);
  });

  it("adds import and first invocation per process for the cold start, and takes the warm median per process", () => {
    expect(
      byLabel("256 MB (0.145 vCPU) group-sync: cold start: import + first invocation")?.summary,
    ).toMatchObject({
      min: 3000,
      max: 3400,
      median: 3200,
    });
    // Per process: median(600, 700, 500) = 600 and median(650, 640, 660) = 650.
    expect(
      byLabel("256 MB (0.145 vCPU) group-sync: later warm invocations (median per process)")?.summary,
    ).toMatchObject({ min: 600, max: 650, median: 625 });
    expect(byLabel("256 MB (0.145 vCPU) group-sync: second invocation (warm)")?.summary?.median).toBe(850);
  });

  it("reports the share the processes got, how often the quota bit, and the GB-ms of a cold and a warm batch", () => {
    expect(byLabel("256 MB (0.145 vCPU) CPU share during the import (both)")?.summary?.median).toBeCloseTo(
      0.1,
    );
    // Start-up does not depend on the bundle: all four processes of the size (200, 250, 500 and 600 ms).
    expect(byLabel("256 MB (0.145 vCPU) node start-up before the script (both)")?.summary).toMatchObject({
      n: 4,
      min: 200,
      median: 375,
      max: 600,
    });
    expect(byLabel("256 MB (0.145 vCPU) periods throttled by the quota (both)")).toMatchObject({
      unit: "%",
      value: 35,
      note: "14 of 40 periods of 100 ms",
    });
    expect(byLabel("256 MB (0.145 vCPU) group-sync: cost of a cold batch (import + first)")?.value).toBe(800);
    expect(byLabel("1024 MB (0.579 vCPU) group-sync: cost of a warm batch (later invocations)")?.value).toBe(
      190,
    );
    expect(byLabel("1024 MB (0.579 vCPU) periods throttled by the quota (both)")?.value).toBe(0);
  });

  it("keeps the sizes in the order measured", () => {
    const sizes = figures.map((figure) => figure.label.split(" ")[0]);
    expect(sizes.indexOf("1024")).toBeGreaterThan(sizes.lastIndexOf("256"));
  });

  it("leaves out the warm median when a process ran only two invocations", () => {
    const short = cpuShareFigures([
      sample(512, "ours", 500, [900, 300]),
      sample(512, "reference", 200, [700, 250]),
    ]);
    expect(short.some((figure) => figure.label.includes("later warm"))).toBe(false);
    expect(short.find((figure) => figure.label.includes("cost of a warm batch"))?.value).toBeNaN();
  });
});

describe("formatTable with a skipped scenario", () => {
  it("prints the reason instead of an empty table", () => {
    const text = formatTable([
      {
        name: "cpu-share",
        title: "7. At Lambda's CPU share",
        figures: [],
        skipped: "not allowed (EACCES)",
        details: {},
      },
    ]);
    expect(text).toBe("\n7. At Lambda's CPU share\n  skipped, nothing measured: not allowed (EACCES)");
  });
});
