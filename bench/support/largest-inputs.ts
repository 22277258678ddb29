import path from "node:path";
import type { Metafile } from "esbuild";
import { REPO_ROOT } from "../../infra/bundling.ts";

/** What one package (or one folder of our own code) puts into a bundle's output. */
export interface InputShare {
  /** `zod`, `@smithy/core`, or for our own files their first two folders, e.g. `functions/shared`. */
  source: string;
  bytesInOutput: number;
  files: number;
}

// pnpm-style nested paths do not occur here (npm, flat node_modules), but a nested copy still counts as its package.
const PACKAGE_IN_PATH = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/;

/** Which package, or which folder of the repository, an esbuild input path belongs to. */
export function inputSource(inputPath: string): string {
  const match = PACKAGE_IN_PATH.exec(inputPath);
  if (match?.[1]) return match[1];
  return inputPath.split("/").slice(0, 2).join("/");
}

/**
 * The `top` largest contributors to the output `outputFile` of a metafile, by bytes in that output (after
 * minification and tree shaking, not the size on disk), grouped by package. Throws if the output is not in it.
 * Metafile paths are relative to esbuild's working directory, `workingDir` (the repository root in our builds).
 */
export function largestInputs(
  metafile: Metafile,
  outputFile: string,
  top = 10,
  workingDir = REPO_ROOT,
): InputShare[] {
  const wanted = path.resolve(workingDir, outputFile);
  const output = Object.entries(metafile.outputs).find(
    ([file]) => path.resolve(workingDir, file) === wanted,
  )?.[1];
  if (!output) throw new Error(`${outputFile} is not an output of this metafile`);
  const bySource = new Map<string, InputShare>();
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const source = inputSource(file);
    const share = bySource.get(source) ?? { source, bytesInOutput: 0, files: 0 };
    share.bytesInOutput += bytesInOutput;
    share.files += 1;
    bySource.set(source, share);
  }
  return [...bySource.values()]
    .sort((a, b) => b.bytesInOutput - a.bytesInOutput || a.source.localeCompare(b.source))
    .slice(0, top);
}
