import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { REPEATED_SIGNAL_MS, stopRequested } from "../../local/stop-requested.ts";

function setup() {
  const signals = new EventEmitter();
  let clock = 0;
  const exits: number[] = [];
  const stopped = stopRequested({ signals, now: () => clock, exit: (code) => exits.push(code) });
  const send = (signal: NodeJS.Signals, atMs: number) => {
    clock = atMs;
    signals.emit(signal, signal);
  };
  return { stopped, send, exits };
}

describe("stopRequested", () => {
  it("stops on the first signal and ignores the copies of one Ctrl-C that npm forwards", async () => {
    // Prepare
    const { stopped, send, exits } = setup();

    // Act
    send("SIGINT", 0);
    send("SIGINT", 5);
    send("SIGINT", REPEATED_SIGNAL_MS - 1);

    // Assess
    await expect(stopped).resolves.toBe("SIGINT");
    expect(exits).toEqual([]);
  });

  it("ends the process at once on another signal a second or more later", async () => {
    // Prepare
    const { stopped, send, exits } = setup();

    // Act
    send("SIGTERM", 100);
    send("SIGINT", 100 + REPEATED_SIGNAL_MS);

    // Assess
    await expect(stopped).resolves.toBe("SIGTERM");
    expect(exits).toEqual([130]);
  });
});
