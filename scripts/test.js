#!/usr/bin/env node
// Runs the uvu suites under test/ (TypeScript through tsx) and ends with the
// one line CI reads: "N passed, N failed" (", N skipped" when any were).
// Extra arguments narrow the run: npm test -- test/dev
import { spawn } from "node:child_process";

const args = process.argv.slice(2);
const dir = args[0] ?? "test";
const pattern = args[1] ?? "\\.test\\.ts$";
const child = spawn(process.execPath,
  ["--import", "tsx", "node_modules/uvu/bin.js", dir, pattern, "--no-color"],
  { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, FORCE_COLOR: "0" } });

let out = "";
child.stdout.on("data", (d) => { out += d; process.stdout.write(d); });
child.on("close", (code) => {
  const num = (label) => Number((out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
  const total = num("Total"), passed = num("Passed"), skipped = num("Skipped");
  if (Number.isNaN(total)) {
    console.log(`test runner exited with ${code} before reporting`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  const failed = total - passed;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(code || failed ? 1 : 0);
});
