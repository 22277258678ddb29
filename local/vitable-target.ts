/** Where the local stack sends its API calls. The key is carried but never printed. */
export type VitableTarget =
  | { kind: "emulator"; warning?: string }
  | { kind: "real"; baseUrl: string; apiKey: string };

/**
 * The real Vitable API only when both VITABLE_CONNECT_BASE_URL and VITABLE_CONNECT_API_KEY are set: one of them
 * alone is more likely a leftover in the shell than a request to change real groups, so the emulator is used
 * and the caller is told why.
 */
export function chooseVitableTarget(env: Record<string, string | undefined>): VitableTarget {
  const baseUrl = env.VITABLE_CONNECT_BASE_URL?.trim() ?? "";
  const apiKey = env.VITABLE_CONNECT_API_KEY?.trim() ?? "";
  if (baseUrl !== "" && apiKey !== "") return { kind: "real", baseUrl, apiKey };
  if (baseUrl === "" && apiKey === "") return { kind: "emulator" };
  const missing = baseUrl === "" ? "VITABLE_CONNECT_BASE_URL" : "VITABLE_CONNECT_API_KEY";
  const present = baseUrl === "" ? "VITABLE_CONNECT_API_KEY" : "VITABLE_CONNECT_BASE_URL";
  return {
    kind: "emulator",
    warning: `${present} is set but ${missing} is not: using the local emulator, not the real Vitable API`,
  };
}
