import { staticApiKey } from "../../../../../functions/shared/vitable/api-key.ts";
import {
  type AttemptInfo,
  VitableClient,
  type VitableClientOptions,
} from "../../../../../functions/shared/vitable/client.ts";
import type {
  GroupSeed,
  RunningVitableEmulator,
  VitableEmulatorOptions,
} from "../../../../../local/vitable-emulator/index.ts";
import { startVitableEmulator } from "../../../../../local/vitable-emulator/index.ts";

export const EMULATOR_KEY = "vit_apk_http_test_key_7f3a9c";

const running: RunningVitableEmulator[] = [];

/** An emulator on loopback (ephemeral port) plus a client wired to it with fast retries. */
export async function emulatorWithClient(
  emulatorOptions: VitableEmulatorOptions = {},
  clientOptions: Partial<VitableClientOptions> = {},
) {
  const emulator = await startVitableEmulator({ apiKeys: [EMULATOR_KEY], ...emulatorOptions });
  running.push(emulator);
  const attempts: AttemptInfo[] = [];
  const client = new VitableClient({
    baseUrl: emulator.url,
    apiKey: staticApiKey(EMULATOR_KEY),
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    onAttempt: (info) => attempts.push(info),
    ...clientOptions,
  });
  return { emulator, client, attempts };
}

export async function stopEmulators(): Promise<void> {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
}

export function numberedGroups(count: number, refPrefix = "ref-"): GroupSeed[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `Group ${index + 1}`,
    external_reference_id: `${refPrefix}${index + 1}`,
  }));
}
