import { describe, expect, it } from "vitest";
import { chooseVitableTarget } from "../../local/vitable-target.ts";

const KEY = "vit_apk_do_not_print_me";

describe("chooseVitableTarget", () => {
  it.each([
    { title: "nothing set", env: {}, kind: "emulator", warns: false },
    {
      title: "blank values",
      env: { VITABLE_CONNECT_BASE_URL: " ", VITABLE_CONNECT_API_KEY: "" },
      kind: "emulator",
      warns: false,
    },
    { title: "only the key", env: { VITABLE_CONNECT_API_KEY: KEY }, kind: "emulator", warns: true },
    {
      title: "only the URL",
      env: { VITABLE_CONNECT_BASE_URL: "https://api.uat.vitablehealth.com" },
      kind: "emulator",
      warns: true,
    },
    {
      title: "both",
      env: { VITABLE_CONNECT_BASE_URL: "https://api.uat.vitablehealth.com", VITABLE_CONNECT_API_KEY: KEY },
      kind: "real",
      warns: false,
    },
  ])("picks the $kind for $title", ({ env, kind, warns }) => {
    // Act
    const target = chooseVitableTarget(env);

    // Assess
    expect(target.kind).toBe(kind);
    const warning = target.kind === "emulator" ? target.warning : undefined;
    expect(warning !== undefined).toBe(warns);
    expect(warning ?? "").not.toContain(KEY);
  });
});
