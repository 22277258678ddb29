import { createHmac } from "node:crypto";

const body = JSON.stringify([
  {
    type: "group.renamed",
    event_id: "hr-evt-000201",
    occurred_at: new Date().toISOString(),
    group: { external_reference_id: "hr_seg_003" },
    changes: { name: "Part-time (20+ hrs) – renamed" },
  },
]);
const timestamp = String(Math.floor(Date.now() / 1000));
const signature = createHmac("sha256", process.env.SECRET).update(`${timestamp}.${body}`).digest("hex");
const response = await fetch(process.env.WEBHOOK_URL, {
  method: "POST",
  headers: {
    "content-type": "application/json",
    "x-group-sync-timestamp": timestamp,
    "x-group-sync-signature": `sha256=${signature}`,
  },
  body,
});
console.log(response.status, await response.text());
