import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkImports } from "../../scripts/check-imports.ts";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

describe("the repository's imports", () => {
  const report = checkImports(REPO_ROOT);

  it("reads the whole tree", () => {
    expect(report.modules).toBeGreaterThan(250);
    expect(report.edges.length).toBeGreaterThan(report.modules);
  });

  it("have no cycle", () => {
    expect(report.cycles).toEqual([]);
  });

  it("only point down", () => {
    expect(report.forbidden.map(({ from, to, why }) => `${from} -> ${to}: ${why}`)).toEqual([]);
  });
});

describe("checkImports", () => {
  const root = mkdtempSync(path.join(tmpdir(), "check-imports-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write("cli/a.ts", 'import { b } from "./b.ts";\nexport const a = b;\n');
  write("cli/b.ts", 'import type {\n  A,\n} from "./a.ts";\nexport const b = 1;\nexport type B = A;\n');
  write("cli/c.ts", 'export * from "./c.ts";\n');
  write("functions/shared/contract/x.ts", 'import { y } from "../ledger/y.ts";\nexport const x = y;\n');
  write("functions/shared/ledger/y.ts", "export const y = 1;\n");
  write("local/demo.ts", 'const { a } = await import("../cli/a.ts");\nexport { a };\n');
  write(
    "functions/ok.ts",
    '// import { no } from "../cli/a.ts";\nexport const ok = `import "../test/t.ts"`;\n',
  );
  const report = checkImports(root);

  it("finds a cycle through a multi-line type import, and a module that imports itself", () => {
    expect(report.cycles).toEqual([["cli/a.ts", "cli/b.ts"], ["cli/c.ts"]]);
  });

  it("finds imports that point the wrong way, dynamic ones included", () => {
    expect(report.forbidden.map(({ from, to }) => `${from} -> ${to}`)).toEqual([
      "functions/shared/contract/x.ts -> functions/shared/ledger/y.ts",
      "local/demo.ts -> cli/a.ts",
    ]);
  });
});
