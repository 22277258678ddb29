import { describe, expect, it } from "vitest";
import { loadReconcileConfig } from "../../../functions/reconcile/config.ts";
import { ConfigurationError } from "../../../functions/shared/configuration.ts";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:vitable/api-key-AbC123";

describe("loadReconcileConfig", () => {
  it("takes the key's secret, https Vitable and auto-apply off by default", () => {
    const config = loadReconcileConfig({ VITABLE_CONNECT_API_KEY_SECRET_ARN: ARN });
    expect(config).toMatchObject({
      VITABLE_CONNECT_BASE_URL: "https://api.vitablehealth.com",
      RECONCILE_AUTO_APPLY: "false",
      API_CONCURRENCY: 10,
      DEADLINE_SAFETY_MARGIN_MS: 5_000,
    });
    expect(config.SOURCE_QUEUE_URL).toBeUndefined();
  });

  it.each([
    [{ RECONCILE_AUTO_APPLY: "true" }, "SOURCE_QUEUE_URL: must be set when RECONCILE_AUTO_APPLY is true"],
    [{ RECONCILE_AUTO_APPLY: "yes" }, "RECONCILE_AUTO_APPLY: must be true or false"],
    [{ VITABLE_CONNECT_BASE_URL: "http://api.example.com" }, "VITABLE_CONNECT_BASE_URL: must use https"],
    [{ VITABLE_CONNECT_API_KEY: "vit_apk_secret_value" }, "set only one of VITABLE_CONNECT_API_KEY"],
  ])("refuses %j naming the variable, never its value", (extra, message) => {
    const load = () => loadReconcileConfig({ VITABLE_CONNECT_API_KEY_SECRET_ARN: ARN, ...extra });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(message);
    expect(load).not.toThrow("vit_apk_secret_value");
  });
});
