// One `group-sync` command line in a fresh node process, as `npx group-sync` runs it; writes what it measured.
// argv: <out.json> <cli arguments...>. The CLI's own output goes to the parent's pipe and is discarded.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { register } from "tsx/esm/api";

const [out, ...argv] = process.argv.slice(2);
const startedAt = performance.now();
register();
const { main } = await import("../../cli/main.ts");
const exitCode = await main(argv);
writeFileSync(
  out,
  JSON.stringify({
    exitCode,
    wallMs: performance.now() - startedAt,
    // resourceUsage().maxRSS is in kilobytes.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
process.exit(0);
