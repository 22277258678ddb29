import { describe, expect, it } from "vitest";
import { DEFAULT_MEMORY_SIZES_MB, parseRunOptions, SCENARIOS } from "../../bench/run.ts";

describe("parseRunOptions", () => {
  it("runs the cpu-share scenario at 256, 512 and 1024 MB unless told other sizes", () => {
    expect(SCENARIOS.map((scenario) => scenario.name)).toContain("cpu-share");
    expect(parseRunOptions(["--only", "cpu-share"]).memorySizesMb).toEqual([256, 512, 1024]);
    expect(DEFAULT_MEMORY_SIZES_MB).toEqual([256, 512, 1024]);
    expect(parseRunOptions(["--only", "cpu-share", "--memory-sizes", "1024,1769"])).toMatchObject({
      only: ["cpu-share"],
      memorySizesMb: [1024, 1769],
    });
  });

  it("refuses a memory size Lambda does not offer", () => {
    expect(() => parseRunOptions(["--memory-sizes", "64"])).toThrow(/--memory-sizes .* from 128 to 10240/);
  });
});
