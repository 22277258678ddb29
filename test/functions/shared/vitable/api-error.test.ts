import { describe, expect, it } from "vitest";
import { apiErrorFromResponse } from "../../../../functions/shared/vitable/api-error.ts";

function aResponse(
  overrides: { status?: number; statusText?: string; body?: unknown; bodyText?: string } = {},
) {
  return {
    status: overrides.status ?? 404,
    statusText: overrides.statusText ?? "Not Found",
    bodyText: overrides.bodyText ?? JSON.stringify(overrides.body ?? {}),
    retryAfterMs: undefined,
    attempts: 1,
  };
}

describe("apiErrorFromResponse", () => {
  const cases = [
    {
      name: "documented flat body",
      response: aResponse({
        body: {
          timestamp: "2026-01-15T10:30:00Z",
          message: "Group not found",
          error: "Group not found",
          app_error_code: "group_not_found",
          trace_id: "trace-1",
        },
      }),
      expected: { message: "Group not found", appErrorCode: "group_not_found", traceId: "trace-1" },
    },
    {
      name: "legacy nested body",
      response: aResponse({
        status: 401,
        statusText: "Unauthorized",
        body: { error: { code: "unauthorized", message: "Invalid or missing API key" } },
      }),
      expected: { message: "Invalid or missing API key", appErrorCode: "unauthorized", traceId: undefined },
    },
    {
      name: "non-JSON body",
      response: aResponse({ status: 502, statusText: "Bad Gateway", bodyText: "<html>upstream</html>" }),
      expected: { message: "Bad Gateway", appErrorCode: undefined, traceId: undefined },
    },
    {
      name: "empty body and no status text",
      response: aResponse({ status: 500, statusText: "", bodyText: "" }),
      expected: { message: "HTTP 500", appErrorCode: undefined, traceId: undefined },
    },
    {
      name: "JSON array body",
      response: aResponse({ status: 400, statusText: "Bad Request", body: ["nope"] }),
      expected: { message: "Bad Request", appErrorCode: undefined, traceId: undefined },
    },
  ];

  it.each(cases)("reads a $name", ({ response, expected }) => {
    // Act
    const error = apiErrorFromResponse(response);

    // Assess
    expect({ message: error.message, appErrorCode: error.appErrorCode, traceId: error.traceId }).toEqual(
      expected,
    );
    expect(error.status).toBe(response.status);
  });

  it("redacts server text before the error and its stack are built", () => {
    // Prepare
    const secret = "vit_apk_echoed_by_server";
    const response = aResponse({
      status: 401,
      body: { message: `key ${secret} is invalid`, app_error_code: secret, trace_id: `t-${secret}` },
    });

    // Act
    const error = apiErrorFromResponse(response, (text) => text.replaceAll(secret, "[REDACTED]"));

    // Assess
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(secret);
    expect(error.message).toBe("key [REDACTED] is invalid");
  });
});
