export { toApiGatewayEvent, WEBHOOK_ROUTE } from "./api-gateway-event.ts";
export {
  type LocalWebhookOptions,
  MAX_ADAPTER_BODY_BYTES,
  type RunningLocalWebhook,
  startLocalWebhook,
} from "./server.ts";
