import type { Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { inputSource, largestInputs } from "../../../bench/support/largest-inputs.ts";

function metafileWith(outputs: Record<string, Record<string, number>>): Metafile {
  return {
    inputs: {},
    outputs: Object.fromEntries(
      Object.entries(outputs).map(([file, inputs]) => [
        file,
        {
          bytes: Object.values(inputs).reduce((sum, bytes) => sum + bytes, 0),
          imports: [],
          exports: [],
          inputs: Object.fromEntries(
            Object.entries(inputs).map(([input, bytesInOutput]) => [input, { bytesInOutput }]),
          ),
        },
      ]),
    ),
  };
}

describe("inputSource", () => {
  it("names the package of a dependency, scoped or not, and the first two folders of our own files", () => {
    expect(inputSource("node_modules/zod/v4/core/schemas.js")).toBe("zod");
    expect(inputSource("node_modules/@smithy/core/dist-es/index.js")).toBe("@smithy/core");
    expect(inputSource("node_modules/@aws-sdk/core/node_modules/@smithy/core/x.js")).toBe("@smithy/core");
    expect(inputSource("functions/shared/vitable/client.ts")).toBe("functions/shared");
    expect(inputSource("functions/group-sync/handler.ts")).toBe("functions/group-sync");
  });
});

describe("largestInputs", () => {
  it("sums the bytes each package puts into the named output and keeps the largest, largest first", () => {
    // Prepare
    const metafile = metafileWith({
      "dist/a/index.mjs": {
        "node_modules/zod/a.js": 300,
        "node_modules/zod/b.js": 200,
        "node_modules/@smithy/core/c.js": 400,
        "functions/shared/d.ts": 100,
        "functions/group-sync/e.ts": 50,
      },
      "dist/a/index.mjs.map": {},
      "dist/b/index.mjs": { "node_modules/commander/index.js": 999 },
    });

    // Act
    const top = largestInputs(metafile, "/tmp/out/dist/a/index.mjs", 3, "/tmp/out");

    // Assess
    expect(top).toEqual([
      { source: "zod", bytesInOutput: 500, files: 2 },
      { source: "@smithy/core", bytesInOutput: 400, files: 1 },
      { source: "functions/shared", bytesInOutput: 100, files: 1 },
    ]);
  });

  it("refuses an output the metafile does not describe instead of reporting an empty bundle", () => {
    const metafile = metafileWith({ "dist/a/index.mjs": { "node_modules/zod/a.js": 1 } });
    expect(() => largestInputs(metafile, "dist/c/index.mjs", 10, "/tmp/out")).toThrow(
      /not an output of this metafile/,
    );
  });
});
