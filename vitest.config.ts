import { defineConfig } from "vitest/config";

/**
 * Test files that start servers (the Vitable emulator, fauxqs, dynalite, HTTP), processes (the CLI, `npm start`,
 * esbuild, `cdk synth`) or wait in real time. Every other file is a unit test: `npm run test:unit` runs those with
 * test/support/unit-guard.ts, which fails any of them that opens a socket or starts a process.
 */
export const E2E_TESTS = [
  "test/e2e/**/*.test.ts",
  "test/build/**/*.test.ts",
  "test/local/vitable-emulator/!(clock).test.ts",
  "test/local/webhook/**/*.test.ts",
  "test/local/runner/event-source-runner.test.ts",
  "test/local/stack.test.ts",
  "test/local/start.test.ts",
  "test/cli/bin.test.ts",
  "test/cli/main.test.ts",
  "test/cli/commands/!(dlq-replay-native).test.ts",
  "test/functions/group-sync/any-body.property.test.ts",
  "test/functions/group-sync/create-runtime.test.ts",
  "test/functions/group-sync/handler-batch.test.ts",
  "test/functions/group-sync/ledger-guard.test.ts",
  "test/functions/group-sync/ledger-property.test.ts",
  "test/functions/group-sync/retry-after-visibility.test.ts",
  "test/functions/shared/ledger/dynamodb-ledger-store.test.ts",
  "test/functions/shared/vitable/client-find-by-ref.test.ts",
  "test/functions/shared/vitable/client-http.test.ts",
  "test/functions/webhook-ingest/enqueue.test.ts",
  "test/functions/webhook-ingest/handler.test.ts",
  "test/local/stack-emoji.test.ts",
  "test/functions/group-sync/apply-unit-ledger-calls.test.ts",
  "test/functions/group-sync/aws-hang.test.ts",
  "test/functions/group-sync/cloudevents-on-queue.test.ts",
  "test/functions/group-sync/concurrency.property.test.ts",
  "test/functions/group-sync/dead-letter-attributes.test.ts",
  "test/functions/group-sync/dead-letter-size.test.ts",
  "test/functions/group-sync/finishing-calls-deadline.test.ts",
  "test/functions/group-sync/retry-until-last-delivery.test.ts",
  "test/functions/shared/aws-client-timeouts.test.ts",
  "test/functions/webhook-ingest/aws-hang.test.ts",
  "test/functions/webhook-ingest/deep-body.test.ts",
  "test/functions/shared/vitable/client-pause-without-retry-after.test.ts",
  "test/functions/shared/vitable/client-rate-limit-fleet.test.ts",
  "test/infra/bundling.test.ts",
  "test/infra/full-synth.test.ts",
  "test/examples/**/*.test.ts",
  "test/functions/reconcile/create-reconcile-handler.test.ts",
  "test/functions/shared/reconcile/reconcile-apply.property.test.ts",
  "test/functions/shared/vitable/groups-pages.test.ts",
  "test/bench/support/cpu-cgroup-live.test.ts",
];

// `npm run test:unit` and `npm run test:e2e` set TEST_TIER; `npm test` leaves it unset and runs every file in one
// project, so no module is transformed twice (two vitest projects would each transform the shared code).
const tier = process.env.TEST_TIER;
if (tier !== undefined && tier !== "unit" && tier !== "e2e") throw new Error(`TEST_TIER must be unit or e2e`);

/**
 * Files that mock a module (vi.mock) need a module registry of their own: the mock must be in place before the
 * module under test is first imported, which a shared registry cannot promise.
 */
const ISOLATED_TESTS = ["test/functions/webhook-ingest/constant-time.test.ts"];

const include = tier === "e2e" ? E2E_TESTS : ["test/**/*.test.ts"];
const exclude = tier === "unit" ? [...E2E_TESTS, "**/node_modules/**"] : ["**/node_modules/**"];

export default defineConfig({
  test: {
    setupFiles: tier === "unit" ? ["test/support/unit-guard.ts"] : [],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Three workers on two cores: much of the suite waits (on emulated servers, deadlines, child processes) rather
    // than computes, so a third worker fills the idle time. Measured here, full `npm test` wall time: 93 s with two
    // workers, 70 s with three (vitest's default on two cores, cores - 1, runs one file at a time). The unit tier
    // runs in threads: measured back to back, test:unit took 36.7 s wall / 41 s CPU in threads against 46.2 s /
    // 55 s in forks (before workers kept their modules). Everything else runs in forks (vitest's default):
    // dynalite loads a native LevelDB addon, and tests start, signal and wait for processes, all simpler and safer
    // with a process per worker.
    pool: tier === "unit" ? "threads" : "forks",
    maxWorkers: 3,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      POWERTOOLS_DEV: "false",
      LOG_LEVEL: "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
    },
    projects: [
      {
        extends: true,
        // A worker keeps its modules from one file to the next. Measured on this machine: the full suite took
        // 81 s instead of 193 s, most of the difference being each file importing the AWS SDK, zod and CDK
        // anew. Tests share no module state they rely on: every server, queue and table is their own.
        test: { name: "shared", include, exclude: [...exclude, ...ISOLATED_TESTS], isolate: false },
      },
      {
        extends: true,
        test: { name: "isolated", include: tier === "e2e" ? [] : ISOLATED_TESTS, exclude, isolate: true },
      },
    ],
  },
});
