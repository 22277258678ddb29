import { describe, expect, it } from "vitest";
import { staticApiKey } from "../../../../functions/shared/vitable/api-key.ts";
import { USER_AGENT, VitableClient } from "../../../../functions/shared/vitable/client.ts";
import { aGroup, GROUP_ID, ok, scriptedFetch } from "./support/scripted-fetch.ts";

const KEY = "vit_apk_shape_unit_key";

function capturingClient(baseUrl: string, reply = ok()) {
  const requests: { url: string; method: string; headers: Headers; body: unknown }[] = [];
  const http = scriptedFetch([reply]);
  const fetchFn: typeof fetch = async (input, init) => {
    requests.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: init?.body,
    });
    return http.fetch(input, init);
  };
  const client = new VitableClient({ baseUrl, apiKey: staticApiKey(KEY), fetch: fetchFn });
  return { client, requests };
}

describe("VitableClient request shape", () => {
  it.each([
    { baseUrl: "https://api.example.test", expected: `https://api.example.test/v1/groups/${GROUP_ID}` },
    { baseUrl: "https://api.example.test/", expected: `https://api.example.test/v1/groups/${GROUP_ID}` },
    { baseUrl: "https://api.example.test//", expected: `https://api.example.test/v1/groups/${GROUP_ID}` },
    { baseUrl: "http://127.0.0.1:8080/proxy", expected: `http://127.0.0.1:8080/proxy/v1/groups/${GROUP_ID}` },
  ])("joins $baseUrl and the path", async ({ baseUrl, expected }) => {
    // Prepare
    const { client, requests } = capturingClient(baseUrl);

    // Act
    await client.groups.retrieve(GROUP_ID);

    // Assess
    expect(requests.map((request) => request.url)).toEqual([expected]);
  });

  it("sends a PATCH with bearer auth, JSON headers, the user agent and only the defined fields", async () => {
    // Prepare
    const { client, requests } = capturingClient("https://api.example.test", ok(aGroup({ name: "New" })));

    // Act
    await client.groups.update(GROUP_ID, {
      name: "New",
      external_reference_id: undefined,
      ...({ id: "grp_other" } as object),
    });

    // Assess
    const [request] = requests;
    expect(request?.method).toBe("PATCH");
    expect(request?.headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(request?.headers.get("accept")).toBe("application/json");
    expect(request?.headers.get("content-type")).toBe("application/json");
    expect(request?.headers.get("user-agent")).toBe(USER_AGENT);
    expect(request?.body).toBe(JSON.stringify({ name: "New" }));
  });

  it("sends a GET without a body or content type", async () => {
    // Prepare
    const { client, requests } = capturingClient("https://api.example.test");

    // Act
    await client.groups.retrieve(GROUP_ID);

    // Assess
    expect(requests[0]?.method).toBe("GET");
    expect(requests[0]?.body).toBeUndefined();
    expect(requests[0]?.headers.get("content-type")).toBeNull();
  });

  it.each(["ftp://api.example.test", "not a url"])("refuses the base URL %j", (baseUrl) => {
    // Act
    const construct = () => new VitableClient({ baseUrl, apiKey: staticApiKey(KEY) });

    // Assess
    expect(construct).toThrow(TypeError);
  });

  it.each([0, -1, 1.5])("refuses retry.maxAttempts=%d", (maxAttempts) => {
    // Act
    const construct = () =>
      new VitableClient({
        baseUrl: "https://api.example.test",
        apiKey: staticApiKey(KEY),
        retry: { maxAttempts },
      });

    // Assess
    expect(construct).toThrow(RangeError);
  });
});
