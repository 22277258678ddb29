/** `npm run emulator`: the emulator on 127.0.0.1 with sample groups, until SIGINT or SIGTERM. */
import { CliUsageError, parseCliOptions, USAGE } from "./cli-options.ts";
import { DEFAULT_API_KEY, sampleGroups, startVitableEmulator } from "./index.ts";

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2), process.env);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const groups = sampleGroups();
  const emulator = await startVitableEmulator({ port: options.port, groups });
  process.stdout.write(
    [
      `Vitable emulator listening on ${emulator.url}`,
      `API key (local dummy, accepted as "Authorization: Bearer <key>"): ${DEFAULT_API_KEY}`,
      `Seeded ${groups.length} sample groups. Try: curl -H "Authorization: Bearer ${DEFAULT_API_KEY}" ${emulator.url}/v1/groups`,
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`${signal} received, stopping.\n`);
    emulator.stop().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    error instanceof CliUsageError ? `${message}\n\n${USAGE}\n` : `emulator failed: ${message}\n`,
  );
  process.exitCode = error instanceof CliUsageError ? 2 : 1;
});
