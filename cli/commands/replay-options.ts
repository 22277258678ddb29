import type { ConnectionOptions } from "../connection.ts";
import type { FilterOptions } from "../dlq/filters.ts";
import type { QueueOptions } from "../queues.ts";

/** The options of `dlq replay`, in a module of their own so the native path can read them without importing the command. */
export interface ReplayOptions extends FilterOptions, QueueOptions, ConnectionOptions {
  max?: number;
  dryRun?: boolean;
  rate?: number;
  dropInvalid?: boolean;
  yes?: boolean;
  strict?: boolean;
  audit?: string;
  native?: boolean;
  /** false with --no-rotate. */
  rotate?: boolean;
  maxFutureSeconds: number;
}
