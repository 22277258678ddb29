import { describe, expect, it } from "vitest";
import { GroupLocks } from "../../../functions/group-sync/group-locks.ts";

describe("GroupLocks", () => {
  it("runs the tasks of one group one after another, in arrival order, and other groups alongside", async () => {
    const locks = new GroupLocks();
    const trace: string[] = [];
    const gates = new Map<string, () => void>();
    const task = (name: string) => () =>
      new Promise<string>((resolve) => {
        trace.push(`start ${name}`);
        gates.set(name, () => {
          trace.push(`end ${name}`);
          resolve(name);
        });
      });

    const a1 = locks.run("grp_a", task("a1"));
    const a2 = locks.run("grp_a", task("a2"));
    const b1 = locks.run("grp_b", task("b1"));
    await Promise.resolve();
    await Promise.resolve();
    const startedBeforeRelease = [...trace];
    gates.get("a1")?.();
    await a1;
    await new Promise((resolve) => setImmediate(resolve));
    gates.get("a2")?.();
    gates.get("b1")?.();

    expect(await Promise.all([a2, b1])).toEqual(["a2", "b1"]);
    expect(startedBeforeRelease).toEqual(["start a1", "start b1"]);
    expect(trace.indexOf("start a2")).toBeGreaterThan(trace.indexOf("end a1"));
  });

  it("lets the next task run when one fails", async () => {
    const locks = new GroupLocks();

    const failed = locks.run("grp_a", async () => {
      throw new Error("boom");
    });
    const next = locks.run("grp_a", async () => "ran");

    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("ran");
  });
});
