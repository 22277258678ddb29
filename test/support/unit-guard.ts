// Setup file of the `unit` test project: a unit test that opens a socket or starts a process fails at once with
// a message that says where it belongs, instead of quietly making the fast tier slow.
import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";

const GUARDED = Symbol.for("vitable-group-sync.unit-guard");

function refuse(what: string): never {
  throw new Error(
    `a unit test must not ${what}: list the test file in E2E_TESTS (vitest.config.ts) or give the code a test double`,
  );
}

const state = globalThis as { [GUARDED]?: true };
if (!state[GUARDED]) {
  state[GUARDED] = true;
  net.Server.prototype.listen = () => refuse("listen on a port");
  net.Socket.prototype.connect = () => refuse("open a network connection");
  const starters = ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"] as const;
  for (const name of starters) {
    Object.assign(childProcess, { [name]: () => refuse(`start a process (child_process.${name})`) });
  }
  // ES module imports of node:child_process read these bindings; without this they keep the originals.
  syncBuiltinESMExports();
}
