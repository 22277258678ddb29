import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { buildCliBundle } from "../bin/cli-bundle.mjs";
import {
  BUNDLE_FILE_NAME,
  entryPath,
  esbuildOptionsFor,
  LAMBDA_FUNCTION_NAMES,
  type LambdaFunctionName,
  REPO_ROOT,
} from "../infra/bundling.ts";

export interface BuildTarget {
  name: LambdaFunctionName;
  entry: string;
}

export interface BuiltFile {
  file: string;
  bytes: number;
}

/** What `npm run build` bundles: every function of infra/bundling.ts, from the same entries the stack uses. */
export function buildTargets(): BuildTarget[] {
  return LAMBDA_FUNCTION_NAMES.map((name) => ({ name, entry: entryPath(name) }));
}

/**
 * esbuild's metafile of a bundle, written next to it (CDK's NodejsFunction uses the same name): which inputs the
 * bundle holds and how many bytes each puts in the output. Read it with `bench/support/largest-inputs.ts`.
 */
export const METAFILE_NAME = "index.meta.json";

/** Where the metafile of a bundle built by {@link buildAll} lies. */
export function metafilePath(bundleFile: string): string {
  return path.join(path.dirname(bundleFile), METAFILE_NAME);
}

/**
 * Bundles every function into `<outRoot>/<name>/` with its metafile and returns the files written with their
 * sizes.
 */
export async function buildAll(outRoot: string): Promise<BuiltFile[]> {
  const written: BuiltFile[] = [];
  for (const { name } of buildTargets()) {
    await rm(path.join(outRoot, name), { recursive: true, force: true });
    const result = await build(esbuildOptionsFor(name, outRoot));
    for (const [file, output] of Object.entries(result.metafile?.outputs ?? {})) {
      written.push({ file: path.resolve(REPO_ROOT, file), bytes: output.bytes });
    }
    const metafile = metafilePath(path.join(outRoot, name, BUNDLE_FILE_NAME));
    const json = JSON.stringify(result.metafile);
    await writeFile(metafile, json);
    written.push({ file: metafile, bytes: Buffer.byteLength(json) });
  }
  return written.sort((a, b) => a.file.localeCompare(b.file));
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

async function main(): Promise<void> {
  const outRoot = path.join(REPO_ROOT, "dist");
  const files = [...(await buildAll(outRoot)), ...(await buildCliBundle(path.join(outRoot, "cli")))];
  for (const { file, bytes } of files) {
    console.log(`${path.relative(REPO_ROOT, file).padEnd(40)} ${formatSize(bytes).padStart(10)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
