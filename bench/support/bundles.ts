import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { BUNDLE_FILE_NAME, esbuildOptionsFor } from "../../infra/bundling.ts";
import { buildAll } from "../../scripts/build.ts";

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
}

const REFERENCE_ENTRY = new URL("../reference/powertools-lambda.ts", import.meta.url);

/**
 * Our functions through `npm run build`'s own code (scripts/build.ts, into `outRoot` instead of dist/ so that a
 * concurrent build cannot swap the file mid-measurement), and the Powertools reference with the same options.
 */
export async function buildBundles(outRoot: string): Promise<Bundle[]> {
  const ours = (await buildAll(outRoot)).filter((built) => built.file.endsWith(BUNDLE_FILE_NAME));
  const referenceFile = path.join(outRoot, "powertools-reference", BUNDLE_FILE_NAME);
  await build({
    ...esbuildOptionsFor("group-sync", outRoot),
    entryPoints: [REFERENCE_ENTRY.pathname],
    outfile: referenceFile,
  });
  const files = [
    ...ours.map((built) => ({ name: path.basename(path.dirname(built.file)), file: built.file })),
    { name: "powertools-reference", file: referenceFile },
  ];
  return Promise.all(files.map(async ({ name, file }) => measureBundle(name, file)));
}

async function measureBundle(name: string, file: string): Promise<Bundle> {
  const content = await readFile(file);
  // Lambda ships the asset as a zip (deflate); gzip at the highest level is the same compression.
  return { name, file, bytes: content.byteLength, gzipBytes: gzipSync(content, { level: 9 }).byteLength };
}
