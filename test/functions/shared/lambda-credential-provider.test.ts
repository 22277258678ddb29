import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultProvider } from "../../../functions/shared/lambda-credential-provider.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("defaultProvider (the bundles' stand-in for the SDK's default credential chain)", () => {
  it("returns the role credentials Lambda puts in the environment", async () => {
    // Prepare
    vi.stubEnv("AWS_ACCESS_KEY_ID", "ASIAEXAMPLEKEY");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "example-secret");
    vi.stubEnv("AWS_SESSION_TOKEN", "example-session");

    // Act
    const credentials = await defaultProvider()();

    // Assess
    expect(credentials).toMatchObject({
      accessKeyId: "ASIAEXAMPLEKEY",
      secretAccessKey: "example-secret",
      sessionToken: "example-session",
    });
  });

  it("says that the environment holds no credentials, without looking anywhere else", async () => {
    // Prepare
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");

    // Act
    const read = defaultProvider()();

    // Assess
    await expect(read).rejects.toThrow(/environment variable credentials/);
  });
});
