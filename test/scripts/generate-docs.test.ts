import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../functions/shared/defaults.ts";
import { docPages, fillRegions, generateDocs, generatedRegions } from "../../scripts/generate-docs.ts";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const read = (page: string) => readFileSync(path.join(REPO_ROOT, page), "utf8");
// Written by other issues; linked from here before they land.
const PAGES_WRITTEN_ELSEWHERE = ["docs/reconcile.md", "docs/security.md"];

describe("npm run docs", () => {
  it("has nothing to change in the committed pages", () => {
    expect(generateDocs({ check: true })).toEqual([]);
  });

  it("fills the configuration tables from the code's defaults", () => {
    const regions = generatedRegions();
    expect(regions.get("cdk-settings")).toContain(
      `| \`apiAttemptTimeoutMs\` | \`${DEFAULTS.apiAttemptTimeoutMs}\` |`,
    );
    expect(regions.get("sync-environment")).toContain(
      `| \`API_ATTEMPT_TIMEOUT_MS\` | \`${DEFAULTS.apiAttemptTimeoutMs}\` | 100 to 900000 |`,
    );
    expect(regions.get("webhook-environment")).toContain("| `SOURCE_QUEUE_URL` | required |");
    expect(regions.get("cli-help dlq replay")).toMatch(
      /^```text\n\$ npx group-sync dlq replay --help\nUsage:/,
    );
  });

  it("replaces only what is between a region's markers, and refuses a region it does not know", () => {
    const regions = new Map([["a", "new\n"]]);
    const page = "before\n<!-- generated:a -->\nold\nlines\n<!-- /generated:a -->\nafter\n";
    expect(fillRegions(page, regions)).toBe(
      "before\n<!-- generated:a -->\nnew\n<!-- /generated:a -->\nafter\n",
    );
    expect(() => fillRegions("<!-- generated:b -->\n<!-- /generated:b -->", regions)).toThrow('"b"');
  });
});

describe("the docs", () => {
  const pages = docPages();

  it("keep the README under 12 kB", () => {
    expect(Buffer.byteLength(read("README.md"))).toBeLessThanOrEqual(12 * 1024);
  });

  it("open every page with a title and a paragraph saying what it is for", () => {
    for (const page of pages.filter((name) => name.startsWith("docs/"))) {
      const [title, blank, paragraph] = read(page).split("\n");
      expect({
        page,
        title: title?.startsWith("# "),
        blank,
        paragraph: /^[A-Z`[]/.test(paragraph ?? ""),
      }).toEqual({
        page,
        title: true,
        blank: "",
        paragraph: true,
      });
    }
  });

  it("link every page from the README and from the index", () => {
    const linked = (page: string) => [...read(page).matchAll(/\]\(([^)#\s]+\.md)/g)].map((match) => match[1]);
    const fromReadme = linked("README.md").map((link) => path.normalize(link ?? ""));
    const fromIndex = linked("docs/README.md").map((link) => path.join("docs", link ?? ""));
    const wanted = [...pages.filter((page) => page.startsWith("docs/") && page !== "docs/README.md")];
    for (const page of [...wanted, ...PAGES_WRITTEN_ELSEWHERE]) {
      expect(fromReadme, "README.md").toContain(page);
      expect(fromIndex, "docs/README.md").toContain(page);
    }
  });

  it("link only to files and headings that exist", () => {
    // GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens.
    const slug = (heading: string) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}_\- ]/gu, "")
        .replaceAll(" ", "-");
    const anchors = new Map(
      pages.map((page) => [
        page,
        new Set(
          [
            ...read(page)
              .replace(/```[\s\S]*?```/g, "")
              .matchAll(/^#{1,6} (.+)$/gm),
          ].map((m) => slug(m[1] ?? "")),
        ),
      ]),
    );
    const broken: string[] = [];
    for (const page of pages) {
      const text = read(page).replace(/```[\s\S]*?```/g, "");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^(https?:|mailto:)/.test(target)) continue;
        const [filePart = "", fragment] = target.split("#");
        const file = filePart === "" ? page : path.normalize(path.join(path.dirname(page), filePart));
        if (PAGES_WRITTEN_ELSEWHERE.includes(file)) continue;
        const missingFile = !existsSync(path.join(REPO_ROOT, file));
        const missingAnchor =
          fragment !== undefined && anchors.has(file) && !anchors.get(file)?.has(fragment);
        if (missingFile || missingAnchor) broken.push(`${page} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
