// dynalite ships no types; this covers the part the tests use.
declare module "dynalite" {
  import type { Server } from "node:http";

  interface DynaliteOptions {
    /** Milliseconds a table stays CREATING; 0 makes it ACTIVE at once. */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** A LevelDB directory; without it the data lives in memory. */
    path?: string;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}
