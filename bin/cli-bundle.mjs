// The operator CLI as one esbuild bundle: loading it takes a fraction of what compiling cli/*.ts through tsx on
// every start did. Plain JavaScript because bin/group-sync.mjs must load it before anything can compile TypeScript.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

export const CLI_ENTRY = "cli/main.ts";
/** Where `npm run build` and bin/group-sync.mjs put the bundle. */
export const CLI_OUT_DIR = path.join(REPO_ROOT, "dist", "cli");
const BUNDLE_NAME = "group-sync.mjs";
/** Lists the project files the bundle was built from (repository-relative), read to tell whether it is stale. */
const INPUTS_NAME = "inputs.json";
/** esbuild's metafile of the bundle (what each input puts in it), for `npm run build` to show where bytes go. */
export const CLI_METAFILE_NAME = "group-sync.meta.json";
// Installed packages keep their tarball's timestamps, so a dependency change shows in these files instead.
const DEPENDENCY_STAMPS = ["package-lock.json", "node_modules/.package-lock.json", "bin/cli-bundle.mjs"];

const BANNER =
  "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);";

function mtimeMs(file) {
  try {
    return statSync(path.join(REPO_ROOT, file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Why the bundle must be (re)built, or undefined when it is up to date with every file it was built from. */
export function cliBundleStaleness(outDir = CLI_OUT_DIR) {
  const bundle = path.join(outDir, BUNDLE_NAME);
  const inputsFile = path.join(outDir, INPUTS_NAME);
  if (!existsSync(bundle) || !existsSync(inputsFile)) return "missing";
  const builtAt = statSync(bundle).mtimeMs;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
  } catch {
    return "missing";
  }
  for (const file of [...inputs, ...DEPENDENCY_STAMPS]) {
    const changed = mtimeMs(file);
    if (changed === undefined && !DEPENDENCY_STAMPS.includes(file)) return `${file} is gone`;
    if (changed !== undefined && changed > builtAt) return `${file} changed`;
  }
  return undefined;
}

/** Bundles cli/main.ts into `<outDir>/group-sync.mjs`, replacing the old bundle in one rename. */
export async function buildCliBundle(outDir = CLI_OUT_DIR) {
  const bundle = path.join(outDir, BUNDLE_NAME);
  const inputsFile = path.join(outDir, INPUTS_NAME);
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [CLI_ENTRY],
    outfile: bundle,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    sourcemap: "linked",
    sourcesContent: false,
    banner: { js: BANNER },
    mainFields: ["module", "main"],
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  await mkdir(outDir, { recursive: true });
  // Two commands started at once may both build: each writes its own file and renames it, so neither reads half a file.
  const suffix = `.${process.pid}.tmp`;
  for (const file of result.outputFiles) {
    writeFileSync(file.path + suffix, file.contents);
    renameSync(file.path + suffix, file.path);
  }
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes("node_modules/"));
  writeFileSync(inputsFile + suffix, `${JSON.stringify(inputs.sort(), null, 2)}\n`);
  renameSync(inputsFile + suffix, inputsFile);
  const metafile = path.join(outDir, CLI_METAFILE_NAME);
  const metafileJson = JSON.stringify(result.metafile);
  writeFileSync(metafile + suffix, metafileJson);
  renameSync(metafile + suffix, metafile);
  return [
    ...result.outputFiles.map((file) => ({ file: file.path, bytes: file.contents.byteLength })),
    { file: metafile, bytes: Buffer.byteLength(metafileJson) },
  ];
}

/** The bundle's path, built first when missing or older than any file it comes from. */
export async function ensureCliBundle(outDir = CLI_OUT_DIR) {
  const bundle = path.join(outDir, BUNDLE_NAME);
  const staleness = cliBundleStaleness(outDir);
  if (staleness === undefined) return bundle;
  try {
    await buildCliBundle(outDir);
  } catch (error) {
    // Without esbuild (an install without dev dependencies) a bundle built earlier is still better than none.
    if (staleness !== "missing" && error?.code === "ERR_MODULE_NOT_FOUND") return bundle;
    throw error;
  }
  return bundle;
}
