/** Writes schema/group-renamed-event.v1.schema.json from the zod contract (`npm run schema`). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderGroupRenamedEventJsonSchema } from "../functions/shared/contract/json-schema.ts";

const SCHEMA_FILE = fileURLToPath(new URL("../schema/group-renamed-event.v1.schema.json", import.meta.url));

writeFileSync(SCHEMA_FILE, renderGroupRenamedEventJsonSchema());
console.log(`wrote ${SCHEMA_FILE}`);
