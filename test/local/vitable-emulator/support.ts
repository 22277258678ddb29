/** Factories shared by the emulator tests: a tracked emulator, seed groups, and raw HTTP calls. */
import { request } from "node:http";
import { afterEach } from "vitest";
import type { Group, GroupPage } from "../../../functions/shared/vitable/types.ts";
import type { ErrorBody } from "../../../local/vitable-emulator/http-errors.ts";
import {
  type GroupSeed,
  type RunningVitableEmulator,
  startVitableEmulator,
  type VitableEmulatorOptions,
} from "../../../local/vitable-emulator/index.ts";

export const TEST_KEY = "vit_apk_test_only_key";

const running: RunningVitableEmulator[] = [];

/** Registers the afterEach that stops every emulator the file started. Call once at the top of a test file. */
export function stopEmulatorsAfterEach(): void {
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
  });
}

export async function startEmulator(options: VitableEmulatorOptions = {}): Promise<RunningVitableEmulator> {
  const emulator = await startVitableEmulator({ apiKeys: [TEST_KEY], ...options });
  running.push(emulator);
  return emulator;
}

let seedCounter = 0;

export function seed(overrides: Partial<GroupSeed> = {}): GroupSeed {
  seedCounter++;
  return { name: `Group ${seedCounter}`, external_reference_id: `ext_${seedCounter}`, ...overrides };
}

export function seeds(count: number): GroupSeed[] {
  return Array.from({ length: count }, () => seed());
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export interface CallOptions {
  /** Serialized as JSON. */
  json?: unknown;
  /** Sent as is (for malformed bodies). */
  rawBody?: string;
  /** The Authorization header; TEST_KEY as Bearer by default, null for none. */
  authorization?: string | null;
  signal?: AbortSignal;
}

export async function call(
  emulator: RunningVitableEmulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: "application/json" };
  const authorization = options.authorization === undefined ? `Bearer ${TEST_KEY}` : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const body = options.rawBody ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  if (body !== undefined) headers["content-type"] = "application/json";
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = body;
  if (options.signal) init.signal = options.signal;
  const response = await fetch(`${emulator.url}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/**
 * Sends the request target exactly as given, byte for byte: fetch would resolve `..` segments before sending,
 * which would hide what the server does with them.
 */
export function rawCall(
  emulator: RunningVitableEmulator,
  method: string,
  rawPath: string,
  body?: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: emulator.port,
        method,
        path: rawPath,
        headers: {
          authorization: `Bearer ${TEST_KEY}`,
          ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body: text === "" ? undefined : JSON.parse(text) });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export function groupOf(response: ApiResponse): Group {
  return (response.body as { data: Group }).data;
}

export function pageOf(response: ApiResponse): GroupPage {
  return response.body as GroupPage;
}

export function errorOf(response: { body: unknown }): ErrorBody {
  return response.body as ErrorBody;
}

/** A string of `count` code points, each a two-unit emoji, so UTF-16 length is twice the code point count. */
export function emoji(count: number): string {
  return "😀".repeat(count);
}

export const GROUP_ID = /^grp_[A-Za-z0-9_-]{22}$/;
export const ORGANIZATION_ID = /^org_[A-Za-z0-9_-]{22}$/;
