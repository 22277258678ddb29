#!/usr/bin/env node
// Runs the TypeScript CLI without a build step: tsx's loader compiles cli/*.ts on the fly.
import { register } from "tsx/esm/api";

// The SDK warns on every run that its 2027 releases need Node 22; noise for an operator. Set it to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
