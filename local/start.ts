/** `npm start`: the local stack with the sample events, printing each outcome, until Ctrl-C (or idle). */
import {
  formatOutcomeLine,
  formatRealApiWarning,
  formatSendMore,
  formatStartup,
  formatSummary,
  formatTryReconcile,
  OUTCOME_HEADER,
} from "./console-report.ts";
import { DEMO_EVENTS_FILE, type Demo, loadDemo } from "./demo/demo-files.ts";
import { sendSamples, verifySamples } from "./demo/demo-run.ts";
import { type LocalStack, startLocalStack } from "./stack.ts";
import { parseStartOptions, START_USAGE, StartUsageError } from "./start-options.ts";
import { stopRequested } from "./stop-requested.ts";
import { DEFAULT_API_KEY } from "./vitable-emulator/index.ts";

const SAMPLE_FILE = `examples/local-demo/${DEMO_EVENTS_FILE}`;
const TRY_ME_FILE = "examples/local-demo/try-me.json";
const SNAPSHOT_FILE = "examples/reconcile/hr-groups.csv";
const FORCED_EXIT_MS = 5_000;

const say = (text: string) => process.stdout.write(`${text}\n`);

async function runSamples(stack: LocalStack, demo: Demo, interrupted: Promise<unknown>): Promise<boolean> {
  say(`\nSending ${demo.samples.length} sample events from ${SAMPLE_FILE}:`);
  const sent = await sendSamples(stack.sqs, stack.queueUrl, demo.samples);
  const outcome = await Promise.race([stack.whenIdle().then(() => "idle" as const), interrupted]);
  if (outcome !== "idle") return false;
  const verdict = await verifySamples(sent, stack.outcomes, stack.sqs, stack.dlqUrl);
  say(`\n${formatSummary(verdict, stack.outcomes)}`);
  return verdict.ok;
}

async function main(): Promise<number> {
  // Node 20 is this project's supported engine; the SDK's notice about future versions is noise in a demo.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const options = parseStartOptions(process.argv.slice(2));
  if (options.help) {
    say(START_USAGE);
    return 0;
  }
  const interrupted = stopRequested();
  const demo = options.samples ? await loadDemo() : undefined;
  const stack = await startLocalStack({
    env: process.env,
    ports: options.ports,
    batchSize: options.batchSize,
    maxConcurrency: options.concurrency,
    faults: demo?.faults,
    webhook: true,
  });
  try {
    if (stack.usingRealVitable) say(formatRealApiWarning(stack.vitableUrl));
    if (stack.vitableWarning) say(`Note: ${stack.vitableWarning}`);
    say(formatStartup(stack));
    let headerShown = false;
    stack.outcomes.onRecord((entry) => {
      if (!headerShown) say(OUTCOME_HEADER);
      headerShown = true;
      say(formatOutcomeLine(entry));
    });
    stack.outcomes.onWarning((message) => say(`warning: ${message}`));

    let ok = true;
    if (demo && !stack.usingRealVitable) ok = await runSamples(stack, demo, interrupted);
    if (options.exitWhenIdle) {
      await Promise.race([stack.whenIdle(), interrupted]);
      say("\nQueue drained; stopping.");
      return ok ? 0 : 1;
    }
    say(
      `\n${formatTryReconcile(stack, stack.usingRealVitable ? "hr-groups.csv" : SNAPSHOT_FILE, DEFAULT_API_KEY)}`,
    );
    say(`\n${formatSendMore(stack, stack.usingRealVitable ? "my-event.json" : TRY_ME_FILE)}`);
    const signal = await interrupted;
    say(`\n${signal} received; stopping.`);
    return 0;
  } finally {
    await stack.stop();
    say("All parts stopped.");
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    // Every part was stopped; if some handle still keeps the process alive, say so instead of hanging.
    setTimeout(() => {
      process.stderr.write("the local stack stopped but the process did not exit; forcing exit\n");
      process.exit(1);
    }, FORCED_EXIT_MS).unref();
  },
  (error: unknown) => {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(
      error instanceof StartUsageError ? `${message}\n\n${START_USAGE}\n` : `${message}\n`,
    );
    process.exit(error instanceof StartUsageError ? 2 : 1);
  },
);
