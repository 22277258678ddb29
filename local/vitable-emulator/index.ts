/** Programmatic entry point of the Vitable Connect groups API emulator. */
export { FaultConfigError } from "./fault-config.ts";
export { sampleGroups } from "./sample-groups.ts";
export { DEFAULT_API_KEY, startVitableEmulator } from "./server.ts";
export { DuplicateExternalReferenceError, InvalidSeedError } from "./store.ts";
export type {
  FaultAction,
  FaultConfig,
  Group,
  GroupSeed,
  JournalEntry,
  RunningVitableEmulator,
  VitableEmulatorOptions,
} from "./types.ts";
