import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { REPO_ROOT } from "../../infra/bundling.ts";
import { createApp, type GroupSyncApp } from "../../infra/create-app.ts";

/** The context of cdk.json (feature flags and setting defaults), so tests build what `cdk deploy` builds. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, "cdk.json"), "utf8")) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

// One cloud-assembly folder per test file instead of a new temporary folder per app; made on first use.
let outdir: string | undefined;

function synthOutdir(): string {
  outdir ??= mkdtempSync(path.join(tmpdir(), "group-sync-infra-test-"));
  return outdir;
}

/** Call from `afterAll` in each test file that builds apps. */
export function removeSynthOutput(): void {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  outdir = undefined;
}

/** The app as the CLI builds it, with extra context values, skipping bundling and CloudFormation validation. */
export function fastApp(context: Record<string, unknown> = {}): GroupSyncApp {
  return createApp({
    outdir: synthOutdir(),
    context: { ...cdkJsonContext(), ...context, "aws:cdk:bundling-stacks": [] },
    builtinCloudFormationValidation: false,
  });
}

// A synthesized template is only read by the tests, so one per distinct context serves a whole test file.
const templates = new Map<string, Template>();

/** The template of the app built with these extra context values (built once per file and context). */
export function templateFor(context: Record<string, unknown> = {}): Template {
  const key = JSON.stringify(context);
  let template = templates.get(key);
  if (!template) {
    template = Template.fromStack(fastApp(context).stack);
    templates.set(key, template);
  }
  return template;
}

export interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/**
 * Resources of a type as [logical id, resource], with `Properties` always present. With `under`, only those
 * made inside that top-level construct of the stack (e.g. "Sync", "Webhook"): their logical ids start with its id.
 */
export function resourcesOfType(template: Template, type: string, under?: string): [string, Resource][] {
  return Object.entries(template.findResources(type))
    .filter(([id]) => under === undefined || id.startsWith(under))
    .map(([id, found]) => [id, { ...found, Properties: found.Properties ?? {} } as Resource]);
}

/** The single resource of a type (inside `under`, if given), failing the test when there is not exactly one. */
export function onlyResource(template: Template, type: string, under?: string): [string, Resource] {
  const found = resourcesOfType(template, type, under);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as [string, Resource];
}

/** The resource with this logical id. */
export function resourceById(template: Template, logicalId: string): Resource {
  const found = template.toJSON().Resources?.[logicalId] as Resource | undefined;
  if (!found) throw new Error(`no resource ${logicalId}`);
  return { ...found, Properties: found.Properties ?? {} };
}

/** The logical id of the queue with or without a redrive policy (the source has one, the DLQ does not). */
export function queueIds(template: Template): { source: string; deadLetter: string } {
  const queues = resourcesOfType(template, "AWS::SQS::Queue");
  const source = queues.find(([, q]) => q.Properties.RedrivePolicy !== undefined);
  const deadLetter = queues.find(([, q]) => q.Properties.RedrivePolicy === undefined);
  if (queues.length !== 2 || !source || !deadLetter) throw new Error("expected a source queue and a DLQ");
  return { source: source[0], deadLetter: deadLetter[0] };
}
