import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";

const body = JSON.stringify([
  {
    type: "group.renamed",
    event_id: "hr-evt-000301",
    occurred_at: new Date().toISOString(),
    group: { external_reference_id: "hr_loc_reno" },
    changes: { name: "Warehouse – Reno NV (North)" },
  },
]);
const id = `msg_${randomUUID()}`;
const sentAt = new Date();
const response = await fetch(process.env.WEBHOOK_URL, {
  method: "POST",
  headers: {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": new Webhook(process.env.WEBHOOK_SECRET).sign(id, sentAt, body),
  },
  body,
});
console.log(response.status, await response.text());
