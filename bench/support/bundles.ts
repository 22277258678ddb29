import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { BUNDLE_FILE_NAME, esbuildOptionsFor } from "../../infra/bundling.ts";
import { buildAll, metafilePath } from "../../scripts/build.ts";
import { type InputShare, largestInputs } from "./largest-inputs.ts";

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  /** The ten packages (or folders of ours) that put the most bytes into the bundle, from its metafile. */
  largestInputs: InputShare[];
}

/** Built with our bundling options beside our functions: name -> entry. */
const REFERENCE_ENTRIES = {
  "powertools-reference": new URL("../reference/powertools-lambda.ts", import.meta.url),
  "sdk-floor": new URL("../reference/sdk-floor-lambda.ts", import.meta.url),
} as const;

/**
 * Our functions through `npm run build`'s own code (scripts/build.ts, into `outRoot` instead of dist/ so that a
 * concurrent build cannot swap the file mid-measurement), and the Powertools reference and the SDK floor with
 * the same options.
 */
export async function buildBundles(outRoot: string): Promise<Bundle[]> {
  const ours = (await buildAll(outRoot)).filter((built) => built.file.endsWith(BUNDLE_FILE_NAME));
  const references = await Promise.all(
    Object.entries(REFERENCE_ENTRIES).map(async ([name, entry]) => {
      const file = path.join(outRoot, name, BUNDLE_FILE_NAME);
      const result = await build({
        ...esbuildOptionsFor("group-sync", outRoot),
        entryPoints: [entry.pathname],
        outfile: file,
      });
      return { name, file, metafile: Promise.resolve(result.metafile ?? {}) };
    }),
  );
  const files = [
    ...ours.map((built) => ({
      name: path.basename(path.dirname(built.file)),
      file: built.file,
      // The metafile `npm run build` wrote, so the bench reads what a developer would read.
      metafile: readMetafile(metafilePath(built.file)),
    })),
    ...references,
  ];
  return Promise.all(
    files.map(async ({ name, file, metafile }) => measureBundle(name, file, (await metafile) as Metafile)),
  );
}

async function readMetafile(file: string): Promise<Metafile> {
  return JSON.parse(await readFile(file, "utf8")) as Metafile;
}

async function measureBundle(name: string, file: string, metafile: Metafile): Promise<Bundle> {
  const content = await readFile(file);
  return {
    name,
    file,
    bytes: content.byteLength,
    // Lambda ships the asset as a zip (deflate); gzip at the highest level is the same compression.
    gzipBytes: gzipSync(content, { level: 9 }).byteLength,
    largestInputs: largestInputs(metafile, file),
  };
}
