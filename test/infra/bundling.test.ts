import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import type { Metafile } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { largestInputs } from "../../bench/support/largest-inputs.ts";
import { BUNDLING, esbuildOptionsFor, LAMBDA_FUNCTION_NAMES } from "../../infra/bundling.ts";
import { nodejsBundlingOptions } from "../../infra/nodejs-bundling.ts";
import { buildAll, buildTargets, metafilePath } from "../../scripts/build.ts";
import { fastApp, removeSynthOutput } from "./stack-fixture.ts";

const buildDir = mkdtempSync(path.join(tmpdir(), "group-sync-build-test-"));

afterAll(() => {
  removeSynthOutput();
  rmSync(buildDir, { recursive: true, force: true });
});

describe("one function list for `npm run build` and the stack", () => {
  it("bundles every stack function from the entry the build script uses", () => {
    // Prepare
    const targets = buildTargets();

    // Act
    const deployed = fastApp().stack.bundledFunctions.map(({ name, entry }) => ({ name, entry }));

    // Assess
    expect(deployed.length).toBeGreaterThan(0);
    for (const fn of deployed) {
      expect(targets).toContainEqual(fn);
      expect(existsSync(fn.entry), fn.entry).toBe(true);
    }
  });

  it("gives NodejsFunction the same bundling choices as esbuild", () => {
    // Prepare
    const name = LAMBDA_FUNCTION_NAMES[0] ?? "group-sync";

    // Act
    const cdk = nodejsBundlingOptions();
    const esbuild = esbuildOptionsFor(name, buildDir);

    // Assess
    expect(cdk.format).toBe(esbuild.format === "esm" ? OutputFormat.ESM : OutputFormat.CJS);
    expect(cdk.target).toBe(esbuild.target);
    expect(cdk.minify).toBe(esbuild.minify);
    expect(cdk.sourceMap).toBe(esbuild.sourcemap);
    expect(cdk.sourcesContent).toBe(esbuild.sourcesContent);
    expect(cdk.banner).toBe(esbuild.banner?.js);
    expect(cdk.mainFields).toEqual(esbuild.mainFields);
    expect(cdk.externalModules).toEqual(esbuild.external);
    expect(cdk.bundleAwsSDK).toBe(true);
    expect(cdk.define).toBeUndefined();
    expect(esbuild.define).toBeUndefined();
    expect(esbuild.alias).toEqual(BUNDLING.alias);
    expect(cdk.esbuildArgs).toEqual(
      Object.fromEntries(Object.entries(esbuild.alias ?? {}).map(([from, to]) => [`--alias:${from}`, to])),
    );
  });
});

describe("npm run build", () => {
  it("writes each function as minified ESM with a source map, the require banner and the AWS SDK inside", async () => {
    // Act
    const files = await buildAll(buildDir);

    // Assess
    for (const name of LAMBDA_FUNCTION_NAMES) {
      const bundle = path.join(buildDir, name, "index.mjs");
      const map = `${bundle}.map`;
      expect(files.map(({ file }) => file)).toEqual(expect.arrayContaining([bundle, map]));
      for (const { bytes } of files) expect(bytes).toBeGreaterThan(0);
      const code = readFileSync(bundle, "utf8");
      expect(code.startsWith(BUNDLING.banner)).toBe(true);
      expect(code).toMatch(/sourceMappingURL=index\.mjs\.map\s*$/);
      expect(code).toMatch(/export\s*\{[^}]*as handler\s*\}|export\s*\{\s*handler\s*\}/);
      // Nothing left for the runtime to provide: no bare import of the AWS SDK survives bundling.
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
      const sourceMap = JSON.parse(readFileSync(map, "utf8")) as { sourcesContent?: unknown };
      expect(sourceMap.sourcesContent).toBeUndefined();
    }
  });

  it("writes each bundle's esbuild metafile next to it, with the AWS SDK among the inputs of the bundle", async () => {
    // Act
    const files = await buildAll(buildDir);

    // Assess
    for (const name of LAMBDA_FUNCTION_NAMES) {
      const bundle = path.join(buildDir, name, "index.mjs");
      const metafile = metafilePath(bundle);
      expect(files.map(({ file }) => file)).toContain(metafile);
      const meta = JSON.parse(readFileSync(metafile, "utf8")) as Metafile;
      const bundleBytes = files.find(({ file }) => file === bundle)?.bytes ?? 0;
      const everyInput = largestInputs(meta, bundle, Number.POSITIVE_INFINITY);
      expect(everyInput.map(({ source }) => source)).toEqual(
        expect.arrayContaining(["@aws-sdk/core", "@smithy/core", "functions/shared"]),
      );
      // Inputs account for the code of the bundle; the rest is esbuild's glue (wrappers, the banner).
      const inputBytes = everyInput.reduce((sum, { bytesInOutput }) => sum + bytesInOutput, 0);
      expect(inputBytes).toBeLessThanOrEqual(bundleBytes);
      expect(inputBytes).toBeGreaterThan(0.8 * bundleBytes);
      const topTen = largestInputs(meta, bundle);
      expect(topTen).toHaveLength(10);
      expect(topTen).toEqual(everyInput.slice(0, 10));
      // A function's bundle holds its own folder and the shared code, never the CLI, local tools or a sibling.
      const ownFolders = everyInput
        .map(({ source }) => source)
        .filter((source) => /^(functions|cli|local|bench|bin|scripts|infra|test)\//.test(source));
      expect(ownFolders.sort()).toEqual([`functions/${name}`, "functions/shared"].sort());
    }
  });

  it("takes zod through zod/mini: no classic API, no locale, no JSON Schema generator in any function", async () => {
    // Act
    await buildAll(buildDir);

    // Assess
    for (const name of LAMBDA_FUNCTION_NAMES) {
      const meta = JSON.parse(
        readFileSync(metafilePath(path.join(buildDir, name, "index.mjs")), "utf8"),
      ) as Metafile;
      const zodFiles = Object.values(meta.outputs)
        .flatMap((output) => Object.entries(output.inputs))
        .filter(([file, input]) => file.includes("node_modules/zod/") && input.bytesInOutput > 0)
        .map(([file]) => file);
      expect(zodFiles).toEqual(expect.arrayContaining([expect.stringContaining("zod/v4/mini/")]));
      expect(zodFiles.filter((file) => /zod\/v4\/(classic|locales)\/|json-schema/.test(file))).toEqual([]);
    }
  });

  it("bundles the environment credential provider in place of the SDK's default chain", async () => {
    // Act
    await buildAll(buildDir);

    // Assess
    for (const name of LAMBDA_FUNCTION_NAMES) {
      const bundle = path.join(buildDir, name, "index.mjs");
      const meta = JSON.parse(readFileSync(metafilePath(bundle), "utf8")) as Metafile;
      const sources = largestInputs(meta, bundle, Number.POSITIVE_INFINITY).map(({ source }) => source);
      expect(sources).toContain("@aws-sdk/credential-provider-env");
      // The chain's other providers and the STS/SSO clients they call never run in Lambda.
      for (const unused of [
        "@aws-sdk/credential-provider-node",
        "@aws-sdk/credential-provider-ini",
        "@aws-sdk/credential-provider-sso",
        "@smithy/credential-provider-imds",
        "@aws-sdk/nested-clients",
      ]) {
        expect(sources, `${name} holds ${unused}`).not.toContain(unused);
      }
    }
  });
});
