import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";

/**
 * The single list of Lambda functions and the single set of bundling choices. `npm run build` (scripts/build.ts)
 * and the CDK stack both read this module, so what we measure locally is what we deploy.
 * Plain data only: the build script must not need aws-cdk-lib to load it.
 */

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Function name (also its `dist/<name>/` folder) -> entry file relative to the repository root. */
export const LAMBDA_FUNCTIONS = {
  "group-sync": "functions/group-sync/handler.ts",
  "webhook-ingest": "functions/webhook-ingest/handler.ts",
  reconcile: "functions/reconcile/handler.ts",
} as const satisfies Record<string, string>;

export type LambdaFunctionName = keyof typeof LAMBDA_FUNCTIONS;

export const LAMBDA_FUNCTION_NAMES = Object.keys(LAMBDA_FUNCTIONS) as LambdaFunctionName[];

/** Every function's bundle is an ES module with this file name; the Lambda handler string is `index.handler`. */
export const BUNDLE_FILE_NAME = "index.mjs";

// ESM output has no `require`; some CommonJS dependencies still call it, so each bundle gets one.
// The import is aliased so it cannot collide with an import of the same name inside the bundle.
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);";

/** The bundling choices shared by both builds. */
export const BUNDLING = {
  format: "esm",
  platform: "node",
  // node20 syntax runs on the local Node 20 and on the nodejs24.x Lambda runtime alike.
  target: "node20",
  minify: true,
  sourceMap: true,
  // Stack traces only need line mappings; embedding the sources would double the asset for nothing.
  sourcesContent: false,
  banner: CREATE_REQUIRE_BANNER,
  // Prefer ESM builds of dependencies so that unused exports can be dropped.
  mainFields: ["module", "main"],
  // Nothing is external: the AWS SDK is bundled so that its version is ours, not the runtime's.
  externalModules: [] as string[],
  /**
   * Module -> file of ours (relative to the repository root) bundled in its place. The SDK's default credential
   * chain becomes the environment provider alone, which is where Lambda puts the role's credentials; the reason
   * and the measurement are in that file.
   */
  alias: {
    "@aws-sdk/credential-provider-node": "./functions/shared/lambda-credential-provider.ts",
  } as Readonly<Record<string, string>>,
} as const;

export function entryPath(name: LambdaFunctionName): string {
  return path.join(REPO_ROOT, LAMBDA_FUNCTIONS[name]);
}

/** The esbuild options `npm run build` uses for one function, writing to `<outRoot>/<name>/index.mjs`. */
export function esbuildOptionsFor(name: LambdaFunctionName, outRoot: string): BuildOptions {
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [entryPath(name)],
    outfile: path.join(outRoot, name, BUNDLE_FILE_NAME),
    bundle: true,
    format: BUNDLING.format,
    platform: BUNDLING.platform,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent,
    banner: { js: BUNDLING.banner },
    mainFields: [...BUNDLING.mainFields],
    external: [...BUNDLING.externalModules],
    alias: { ...BUNDLING.alias },
    metafile: true,
    logLevel: "warning",
  };
}
