import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../infra/create-app.ts";
import { cdkJsonContext } from "./stack-fixture.ts";

const outdir = mkdtempSync(path.join(tmpdir(), "group-sync-full-synth-"));

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe("the whole app", () => {
  it("synthesizes with real esbuild bundling, CloudFormation validation and cdk-nag, offline", () => {
    // Prepare
    const { app, stack } = createApp({ outdir, context: cdkJsonContext() });

    // Act
    const assembly = app.synth();

    // Assess
    const template = assembly.getStackArtifact(stack.artifactId).template as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
    };
    const allFunctions = Object.entries(template.Resources).filter(
      ([, r]) => r.Type === "AWS::Lambda::Function",
    );
    // Besides ours, only CDK's inline bucket-notification handler (the reconcile trigger) is a function.
    const functions = allFunctions
      .filter(([id]) => !id.startsWith("BucketNotificationsHandler"))
      .map(([, r]) => r);
    expect(allFunctions.length - functions.length).toBe(stack.reconcile ? 1 : 0);
    expect(functions).toHaveLength(stack.bundledFunctions.length);
    const assetHashes = new Set<string>();
    for (const fn of functions) {
      // The code's S3 key is the asset hash; the bundled asset sits in the cloud assembly as asset.<hash>.
      const assetHash = fn.Properties.Code?.S3Key?.replace(/\.zip$/, "");
      expect(assetHash).toMatch(/^[0-9a-f]{64}$/);
      assetHashes.add(assetHash as string);
      const bundle = path.join(outdir, `asset.${assetHash}`, "index.mjs");
      expect(existsSync(bundle)).toBe(true);
      expect(existsSync(`${bundle}.map`)).toBe(true);
      expect(readFileSync(bundle, "utf8")).toContain("createRequire");
      // The alias of infra/bundling.ts reached CDK's esbuild: the environment provider replaces the default chain.
      const { sources } = JSON.parse(readFileSync(`${bundle}.map`, "utf8")) as { sources: string[] };
      expect(
        sources.some((source) => source.endsWith("functions/shared/lambda-credential-provider.ts")),
      ).toBe(true);
      expect(sources.some((source) => source.includes("credential-provider-node"))).toBe(false);
    }
    // Each function gets its own bundle.
    expect(assetHashes.size).toBe(functions.length);
  }, 120_000);
});
