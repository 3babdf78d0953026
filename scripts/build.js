#!/usr/bin/env node
// npm run build [-- --debug] [-- --force] [-- --quiet]: the instruction
// table's generated sources (isa/ -> assembly/cpu/gen/, scripts/gen-isa.js,
// written only when they change), the Wasm core
// (assembly/ -> build/wasm386.wasm, about a minute), the host's copy of
// what the core exports (host/gen/core-exports.ts, scripts/gen-core-exports.js,
// written only when it changes), the CLI bundle (host/
// -> dist/wasm386.js, a second) and the package's API (host/ -> dist/lib/,
// JavaScript and .d.ts types, a few seconds), each only when a source is
// newer than what was built from it, with a line saying what it does and
// how long it took (--quiet: nothing when all is up to date).
// --debug also builds build/wasm386.debug.wasm (with a source map); nothing
// in the project needs it, so it is never built otherwise.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Every file under the given paths (files or folders), recursively. */
export function filesUnder(paths) {
  const out = [];
  const walk = (p) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

/** Whether an output is missing or older than any of its inputs. */
export function stale(output, inputs) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((f) => statSync(f).mtimeMs > built);
}

let quiet = false;

function step(what, output, inputs, run, force) {
  if (!force && !stale(output, inputs)) {
    if (!quiet) console.log(`build: ${what}: up to date`);
    return;
  }
  const t0 = Date.now();
  console.log(`build: ${what}…`);
  run();
  console.log(`build: ${what}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function asc(target) {
  execFileSync(process.execPath, [join(root, "node_modules/assemblyscript/bin/asc.js"), "assembly/index.ts", "--target", target],
    { cwd: root, stdio: "inherit" });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  quiet = args.includes("--quiet");
  // The instruction table's generated files first: they are inputs of the core.
  execFileSync(process.execPath, [join(root, "scripts/gen-isa.js")], { cwd: root, stdio: "inherit" });
  const coreInputs = filesUnder([join(root, "assembly"), join(root, "asconfig.json"), join(root, "isa")]);
  step("the core (assembly/ -> build/wasm386.wasm)", join(root, "build/wasm386.wasm"), coreInputs, () => asc("release"), force);
  if (args.includes("--debug"))
    step("the debug core (build/wasm386.debug.wasm)", join(root, "build/wasm386.debug.wasm"), coreInputs, () => asc("debug"), force);
  // Before the host is built from it: the host's types and enums of the core.
  execFileSync(process.execPath, [join(root, "scripts/gen-core-exports.js")], { cwd: root, stdio: "inherit" });
  step("the CLI (host/ -> dist/wasm386.js)", join(root, "dist/wasm386.js"), filesUnder([join(root, "host"), join(root, "package.json")]),
    () => execFileSync(process.execPath, [join(root, "scripts/build-host.js")], { cwd: root, stdio: "inherit" }), force);
  step("the API (host/ -> dist/lib/, with types)", join(root, "dist/lib/index.js"),
    filesUnder([join(root, "host"), join(root, "tsconfig.lib.json"), join(root, "tsconfig.json")]),
    () => execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.lib.json"],
      { cwd: root, stdio: "inherit" }), force);
}
