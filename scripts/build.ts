import { rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { buildCliBundle } from "../bin/cli-bundle.mjs";
import {
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

/** Bundles every function into `<outRoot>/<name>/` and returns the files written with their sizes. */
export async function buildAll(outRoot: string): Promise<BuiltFile[]> {
  const written: BuiltFile[] = [];
  for (const { name } of buildTargets()) {
    await rm(path.join(outRoot, name), { recursive: true, force: true });
    const result = await build(esbuildOptionsFor(name, outRoot));
    for (const [file, output] of Object.entries(result.metafile?.outputs ?? {})) {
      written.push({ file: path.resolve(REPO_ROOT, file), bytes: output.bytes });
    }
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
