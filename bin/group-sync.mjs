#!/usr/bin/env node
// Runs the CLI's esbuild bundle (dist/cli/group-sync.mjs), building it first when it is missing or older than
// the files it comes from, so a checkout never runs stale code and a start costs no TypeScript compilation.
import { pathToFileURL } from "node:url";
import { ensureCliBundle } from "./cli-bundle.mjs";

// The SDK warns on every run that its 2027 releases need Node 22; noise for an operator. Set it to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { main } = await import(pathToFileURL(await ensureCliBundle()).href);
process.exitCode = await main(process.argv.slice(2));
