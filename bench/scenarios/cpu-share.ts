import os from "node:os";
import { runChild } from "../support/child-run.ts";
import {
  type CpuController,
  cpuQuotaUsFor,
  DEFAULT_CGROUP_ROOT,
  detectCpuController,
  GROUP_PREFIX,
  openCpuLimitedGroup,
  removeStaleGroups,
  vcpuShareFor,
} from "../support/cpu-cgroup.ts";
import { type BundleKey, type CpuShareSample, cpuShareFigures } from "../support/cpu-share-figures.ts";
import { type FunctionStack, startFunctionStack } from "../support/function-stack.ts";
import { ensure, type Scenario, type ScenarioOptions, type ScenarioResult } from "../support/scenario.ts";

/** Five batches per process: the cold one, the second (warm) one, and three more for the warm median and CPU. */
const EVENTS_PER_PROCESS = 50;
const GROUPS = 100;

/**
 * Scenario 7: the cold-start child (same bundles, same ledger on dynalite, same environment) in a cgroup capped
 * at the CPU share Lambda gives each memory size, ours and the reference alternately. The backend (emulator,
 * fauxqs, dynalite) stays outside the group, as the API and DynamoDB are outside a Lambda function.
 */
export const cpuShareScenario: Scenario = {
  name: "cpu-share",
  title:
    "7. At Lambda's CPU share (fresh `node` processes in a cgroup capped at memory ÷ 1,769 MB of a vCPU)",
  run: async (options) => {
    const root = process.env.BENCH_CGROUP_ROOT ?? DEFAULT_CGROUP_ROOT;
    const detection = await detectCpuController(root);
    if ("reason" in detection) return skipped(detection.reason, options);
    const { controller } = detection;
    const stale = await removeStaleGroups(controller);
    if (stale.length > 0) options.progress(`cpu-share: removed groups of earlier runs: ${stale.join(", ")}`);
    // Creating a group is the only sure test of permission; find out before building and starting anything.
    const probe = await openCpuLimitedGroup(controller, groupName("probe"), options.memorySizesMb[0] ?? 256);
    if ("reason" in probe) return skipped(probe.reason, options);
    await probe.group.remove();

    const functions = await startFunctionStack({ groups: GROUPS, latencyMs: options.latencyMs });
    try {
      return await measure(functions, controller, options);
    } finally {
      await functions.stop();
    }
  },
};

async function measure(
  functions: FunctionStack,
  controller: CpuController,
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const { stack, workDir, environment } = functions;
  const loadAtStart = os.loadavg()[0] ?? 0;
  const samples: CpuShareSample[] = [];
  for (let repetition = 0; repetition < options.repetitions; repetition++) {
    for (const memoryMb of options.memorySizesMb) {
      // Alternate, so that drifting machine load hits both alike.
      for (const bundle of ["ours", "reference"] as const satisfies readonly BundleKey[]) {
        const opening = await openCpuLimitedGroup(
          controller,
          groupName(`${memoryMb}mb-${repetition}-${bundle}`),
          memoryMb,
        );
        if ("reason" in opening) throw new Error(`cpu-share: ${opening.reason}`);
        const { group } = opening;
        try {
          const measurement = await runChild(stack, workDir, {
            bundle: functions[bundle].file,
            events: EVENTS_PER_PROCESS,
            environment,
            launchPrefix: group.launchPrefix,
          });
          const throttling = await group.throttling();
          ensure(throttling.periods > 0, `the ${bundle} process at ${memoryMb} MB never ran in ${group.dir}`);
          samples.push({ memoryMb, bundle, measurement, throttling });
        } finally {
          await group.remove();
        }
      }
    }
    options.progress(`cpu-share: repetition ${repetition + 1}/${options.repetitions}`);
  }
  return {
    name: cpuShareScenario.name,
    title: cpuShareScenario.title,
    figures: cpuShareFigures(samples),
    details: {
      cgroup: `v${controller.version} at ${controller.dir}`,
      eventsPerProcess: EVENTS_PER_PROCESS,
      ledger: "DynamoDbLedgerStore on dynalite (our function); the reference has no ledger",
      sizes: options.memorySizesMb.map((memoryMb) => ({
        memoryMb,
        vcpu: vcpuShareFor(memoryMb),
        quotaUs: cpuQuotaUsFor(memoryMb),
      })),
      // The quota caps the share; other work on the machine can only lower it further.
      loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0, cores: os.availableParallelism() },
      samples,
    },
  };
}

function groupName(what: string): string {
  return `${GROUP_PREFIX}${process.pid}-${what}`;
}

function skipped(reason: string, options: ScenarioOptions): ScenarioResult {
  options.progress(`cpu-share: skipped, ${reason}`);
  return {
    name: cpuShareScenario.name,
    title: cpuShareScenario.title,
    figures: [],
    skipped: reason,
    details: { skipped: reason },
  };
}
