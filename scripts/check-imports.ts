import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Repository folders whose modules make up the import graph. */
export const SOURCE_ROOTS = [
  "functions",
  "infra",
  "cli",
  "bin",
  "local",
  "bench",
  "scripts",
  "test",
  "examples",
];

export interface ImportRule {
  /** Repository-relative folder prefix of the importing module. */
  from: string;
  /** Repository-relative folder prefixes it must not import. */
  notTo: string[];
  why: string;
}

/** The directions the layout forbids: imports point down, from entry points to the code they run, never back up. */
export const IMPORT_RULES: ImportRule[] = [
  {
    from: "functions/",
    notTo: ["local/", "cli/", "bench/", "test/", "infra/", "scripts/", "examples/"],
    why: "Lambda code is deployed alone: it cannot reach tools, tests or the CDK app",
  },
  {
    from: "functions/shared/",
    notTo: ["functions/group-sync/", "functions/webhook-ingest/"],
    why: "shared code sits below the functions that use it",
  },
  {
    from: "functions/shared/contract/",
    notTo: ["functions/shared/ledger/"],
    why: "the ledger builds on the event contract, not the other way round",
  },
  {
    from: "local/",
    notTo: ["cli/", "bench/", "test/", "scripts/"],
    why: "the local runtime uses shared code in functions/, not the CLI's internals",
  },
  { from: "cli/", notTo: ["local/", "bench/", "test/", "scripts/", "infra/"], why: "the CLI ships alone" },
  { from: "infra/", notTo: ["local/", "cli/", "bench/", "test/"], why: "the CDK app deploys functions only" },
];

export interface ImportEdge {
  from: string;
  to: string;
}

export interface ImportReport {
  modules: number;
  edges: ImportEdge[];
  cycles: string[][];
  forbidden: Array<ImportEdge & { why: string }>;
}

const MODULE_FILE = /\.(?:ts|mts|mjs|js)$/;
// Static imports and re-exports (one statement may span lines), side-effect imports and dynamic imports of a literal.
const SPECIFIERS = [
  /^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm,
  /^\s*import\s*["']([^"']+)["']/gm,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
];

function listModules(root: string, dir: string, into: string[]): void {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") listModules(root, rel, into);
    } else if (MODULE_FILE.test(entry.name) && !entry.name.endsWith(".d.ts")) into.push(rel);
  }
}

/** Relative specifiers of one module's source, resolved to repository-relative paths. */
function importsOf(file: string, source: string): string[] {
  const found = new Set<string>();
  for (const pattern of SPECIFIERS) {
    for (const match of source.matchAll(pattern)) {
      const specifier = match[1];
      if (specifier?.startsWith("."))
        found.add(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
    }
  }
  return [...found];
}

function findCycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's strongly connected components: every component of more than one module (or a self-import) is a cycle.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indexOf.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, indexOf.get(next) ?? 0));
      }
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indexOf.has(node)) visit(node);
  return cycles;
}

/**
 * Reads the import graph of the repository's own modules and reports cycles and forbidden directions.
 * Written here rather than taken from madge or dependency-cruiser: both parse TypeScript through the TypeScript
 * compiler API, which TypeScript 7 no longer has, and every import in this project names its file exactly
 * (`./x.ts`), so resolving a specifier is a path join.
 */
export function checkImports(root: string, rules: ImportRule[] = IMPORT_RULES): ImportReport {
  const modules: string[] = [];
  for (const dir of SOURCE_ROOTS) listModules(root, dir, modules);
  const known = new Set(modules);
  const graph = new Map<string, string[]>();
  const edges: ImportEdge[] = [];
  for (const file of modules.sort()) {
    const targets = importsOf(file, readFileSync(path.join(root, file), "utf8")).filter((to) =>
      known.has(to),
    );
    graph.set(file, targets);
    for (const to of targets) edges.push({ from: file, to });
  }
  const forbidden = edges.flatMap((edge) =>
    rules
      .filter(
        (rule) => edge.from.startsWith(rule.from) && rule.notTo.some((prefix) => edge.to.startsWith(prefix)),
      )
      .map((rule) => ({ ...edge, why: rule.why })),
  );
  return { modules: modules.length, edges, cycles: findCycles(graph), forbidden };
}

function main(): void {
  const report = checkImports(path.resolve(process.argv[2] ?? path.join(import.meta.dirname, "..")));
  for (const cycle of report.cycles) console.error(`cycle: ${cycle.join(" -> ")}`);
  for (const edge of report.forbidden) console.error(`forbidden: ${edge.from} -> ${edge.to} (${edge.why})`);
  console.log(`${report.modules} modules, ${report.edges.length} imports checked`);
  if (report.cycles.length > 0 || report.forbidden.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
