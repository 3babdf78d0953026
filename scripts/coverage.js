#!/usr/bin/env node
// npm run coverage [-- DIR [PATTERN]]: the test suite (or part of it, as
// npm test takes) under c8, reporting how much of the host (host/: the
// Machine API, the loaders, the CLI, the GDB stub) the tests run. The CLI's
// child processes count too: the tests start it from its sources here
// (test/helpers/cli.ts), since a bundle's remapped coverage is unreliable.
// A summary on stdout, the per-line report in coverage/index.html.
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const build = spawnSync(process.execPath, [join(root, "scripts/build.js"), "--quiet"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const r = spawnSync(process.execPath, [join(root, "node_modules/c8/bin/c8.js"),
  "--include", "host/**", "--exclude", "**/*.d.ts",
  "--reporter", "text-summary", "--reporter", "html", "--report-dir", "coverage",
  process.execPath, join(root, "scripts/test.js"), ...process.argv.slice(2)], { cwd: root, stdio: "inherit", env: { ...process.env, WASM386_CLI_SOURCE: "1" } });
process.exit(r.status ?? 1);
