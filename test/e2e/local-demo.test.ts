import { afterEach, describe, expect, it } from "vitest";
import { loadDemo } from "../../local/demo/demo-files.ts";
import { sendSamples, verifySamples } from "../../local/demo/demo-run.ts";
import { type LocalStack, startLocalStack } from "../../local/stack.ts";

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("the npm start demo on the local stack", () => {
  it.each([
    { title: "with the demo's emulator faults", withFaults: true, ok: true },
    // Without the scripted 503s line 9 is applied at its first delivery: the check must notice the missing retry.
    { title: "without them", withFaults: false, ok: false },
  ])("ends every sample as its manifest says $title", async ({ withFaults, ok }) => {
    // Prepare
    const demo = await loadDemo();
    stack = await startLocalStack({ faults: withFaults ? demo.faults : undefined });

    // Act
    const sent = await sendSamples(stack.sqs, stack.queueUrl, demo.samples);
    await stack.whenIdle();
    const verdict = await verifySamples(sent, stack.outcomes, stack.sqs, stack.dlqUrl);

    // Assess
    const mismatched = verdict.samples.filter((sample) => !sample.ok).map((sample) => sample.sample.line);
    if (ok) expect(mismatched).toEqual([]);
    else expect(mismatched).toContain(9);
    expect(verdict.ok).toBe(ok);
    expect(verdict.dlqMessages).toBe(2);
    const names = Object.fromEntries((stack.emulator?.groups() ?? []).map((group) => [group.id, group.name]));
    expect(names).toMatchObject({
      grp_d_tV0FTrpmoFPJXuHLBoCQ: "Tier 1 – Salaried Staff",
      grp_fCcXpUYRvp5SICjLflmTXQ: "Tier 2 – Hourly Staff",
      grp_c2JdoVZu9_rHRZ7aviV90A: "Part-time (20+ hrs/week)",
      "grp_RZ-gN0qO6c0xruyfoHLxDQ": "Warehouse – Reno NV (night shift)",
    });
  });
});
