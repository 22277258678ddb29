// Quoted in docs/local-development.md ("Using it from code"); run it with `npx tsx examples/emulator-from-code.ts`.
import { startVitableEmulator } from "../local/vitable-emulator/index.ts";

const emulator = await startVitableEmulator({
  apiKeys: ["vit_apk_test"],
  groups: [{ id: "grp_zYxWvUtSrQpOnMlKjIhGfE", name: "Tier 1", external_reference_id: "mol_seg_001" }],
  // The first PATCH gets a 503 asking to retry after 1 s; everything after it is served normally.
  faults: { script: [{ method: "PATCH", action: { type: "status", status: 503, retryAfterSeconds: 1 } }] },
});

const patch = () =>
  fetch(`${emulator.url}/v1/groups/grp_zYxWvUtSrQpOnMlKjIhGfE`, {
    method: "PATCH",
    headers: { authorization: "Bearer vit_apk_test", "content-type": "application/json" },
    body: JSON.stringify({ name: "Tier 1 (renamed)" }),
  });

const first = await patch();
console.log(first.status, first.headers.get("retry-after")); // 503 1
const second = await patch();
console.log(second.status, emulator.group("grp_zYxWvUtSrQpOnMlKjIhGfE")?.name); // 200 Tier 1 (renamed)
console.log(emulator.journal.map((entry) => `${entry.status} ${entry.fault ?? "-"}`)); // [ '503 status:503', '200 -' ]

await emulator.stop();
