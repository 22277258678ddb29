import { type BundlingOptions, OutputFormat, SourceMapMode } from "aws-cdk-lib/aws-lambda-nodejs";
import { BUNDLING } from "./bundling.ts";

/** The shared bundling choices (infra/bundling.ts) expressed as NodejsFunction `bundling` options. */
export function nodejsBundlingOptions(): BundlingOptions {
  return {
    format: BUNDLING.format === "esm" ? OutputFormat.ESM : OutputFormat.CJS,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourceMap: BUNDLING.sourceMap,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: BUNDLING.sourcesContent,
    banner: BUNDLING.banner,
    mainFields: [...BUNDLING.mainFields],
    externalModules: [...BUNDLING.externalModules],
    bundleAwsSDK: true,
    // NodejsFunction has no alias option; esbuild takes it as a flag. CDK runs esbuild from the project root
    // (the lock file's folder), where the relative paths of BUNDLING.alias resolve.
    esbuildArgs: Object.fromEntries(
      Object.entries(BUNDLING.alias).map(([module, file]) => [`--alias:${module}`, file]),
    ),
  };
}
