import { describe, expect, it } from "vitest";
import type { ApiKeyProvider } from "../../../../functions/shared/vitable/api-key.ts";
import { VitableClient } from "../../../../functions/shared/vitable/client.ts";
import { VitableApiError } from "../../../../functions/shared/vitable/errors.ts";
import {
  GROUP_ID,
  ok,
  type Reply,
  rejectionOf,
  scriptedFetch,
  virtualTime,
} from "./support/scripted-fetch.ts";

/** Keys not shaped like Vitable keys, so only the redaction set can catch them. */
const OLD_KEY = "Qa1Ws2Ed3Rf4Tg5Yh6Uj7Ik8";
const NEW_KEY = "Sk7Hq2Lm9Pz4Xw8Rt6Yb3Nc5Vd";

const echoing = (status: number, message: string, traceId = "trace-1"): Reply => ({
  status,
  body: { message, error: "error", app_error_code: "code", trace_id: traceId },
});

/** A key holder whose key is rotated by the test, as Secrets Manager rotation would. */
function rotatableKey() {
  let current = OLD_KEY;
  const provider: ApiKeyProvider = { get: async () => current, refresh: async () => current };
  return { provider, rotate: () => (current = NEW_KEY) };
}

function clientWith(script: Reply[], apiKey: ApiKeyProvider) {
  const time = virtualTime();
  const http = scriptedFetch(script);
  const client = new VitableClient({
    baseUrl: "https://api.example.test",
    apiKey,
    fetch: http.fetch,
    now: time.now,
    sleep: time.sleep,
    random: () => 0.5,
    retry: { maxAttempts: 1 },
  });
  return { client, http };
}

function visibleText(error: unknown): string {
  return [String(error), (error as Error).stack, JSON.stringify(error)].join("\n");
}

describe("VitableClient redacts echoed keys", () => {
  it.each([
    { name: "upper-cased", echo: OLD_KEY.toUpperCase() },
    { name: "cut to a 20-character prefix", echo: OLD_KEY.slice(0, 20) },
    { name: "as a Vitable access token it never used", echo: "vit_at_Zx9Cv8Bn7Mm6" },
  ])("in an error message that echoes the key $name", async ({ echo }) => {
    // Prepare
    const keys = rotatableKey();
    const { client } = clientWith([echoing(403, `key ${echo} may not do this`, `t-${echo}`)], keys.provider);

    // Act
    const error = await rejectionOf(client.groups.retrieve(GROUP_ID));

    // Assess
    expect(error).toBeInstanceOf(VitableApiError);
    expect((error as VitableApiError).message).toContain("key [REDACTED] may not do this");
    expect(visibleText(error)).not.toContain(echo);
  });

  it("keeps a key rotated out earlier in the container's life in the redaction set", async () => {
    // Prepare: one call with the old key, then rotation; a later error quotes the old key.
    const keys = rotatableKey();
    const { client, http } = clientWith(
      [ok(), echoing(400, `stale request signed with ${OLD_KEY}`)],
      keys.provider,
    );
    await client.groups.retrieve(GROUP_ID);
    keys.rotate();

    // Act
    const error = await rejectionOf(client.groups.retrieve(GROUP_ID));

    // Assess
    expect(http.sent.map((request) => request.authorization)).toEqual([
      `Bearer ${OLD_KEY}`,
      `Bearer ${NEW_KEY}`,
    ]);
    expect((error as VitableApiError).message).toBe("stale request signed with [REDACTED]");
    expect(visibleText(error)).not.toContain(OLD_KEY);
  });
});
