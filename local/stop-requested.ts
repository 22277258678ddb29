// One Ctrl-C reaches `npm start` more than once: the terminal signals the whole process group and npm forwards
// the signal to its script again. Only a signal this long after the first means "stop now".
export const REPEATED_SIGNAL_MS = 1_000;

export interface StopSignals {
  on(signal: "SIGINT" | "SIGTERM", listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface StopRequestedOptions {
  signals?: StopSignals;
  now?: () => number;
  exit?: (code: number) => void;
}

/**
 * Resolves with the signal name on the first SIGINT or SIGTERM. Another one at least REPEATED_SIGNAL_MS later
 * ends the process at once (exit code 130); copies arriving sooner are ignored.
 */
export function stopRequested(options: StopRequestedOptions = {}): Promise<NodeJS.Signals> {
  const signals = options.signals ?? process;
  const now = options.now ?? (() => performance.now());
  const exit = options.exit ?? ((code: number) => process.exit(code));
  return new Promise((resolve) => {
    let firstAt: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      const at = now();
      if (firstAt !== undefined) {
        if (at - firstAt >= REPEATED_SIGNAL_MS) exit(130);
        return;
      }
      firstAt = at;
      resolve(signal);
    };
    signals.on("SIGINT", onSignal);
    signals.on("SIGTERM", onSignal);
  });
}
