// The npm package as a user gets it: packed, installed into an empty folder
// (no network: it has no dependencies), then used without the dev tools:
// the CLI through npx, the API from plain node (the docs' examples), and
// its types from TypeScript.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { examplesOf, missingLines, runExample } from "../helpers/docs.js";

const root = resolve(".");
const work = mkdtempSync(join(tmpdir(), "wasm386-pkg-"));
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });
let tarball = "";
let files: string[] = [];

test.before(() => {
  // npm test has built everything (pretest); the pack step itself
  // (prepack) would build what is missing.
  const out = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], root)) as
    { filename: string; files: { path: string }[] }[];
  tarball = join(work, out[0].filename);
  files = out[0].files.map((f) => f.path);
  const app = join(work, "app");
  execFileSync("mkdir", ["-p", app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  npm(["install", "--offline", tarball], app);
});
test.after(() => rmSync(work, { recursive: true, force: true }));

test("the tarball has the core, the API with types, the CLI and the images, and no sources or tests", () => {
  for (const f of ["build/wasm386.wasm", "dist/wasm386.js", "dist/lib/index.js", "dist/lib/index.d.ts",
    "dist/lib/node/index.js", "dist/lib/node/index.d.ts", "images/kernel.elf", "images/initrd.cpio", "images/disk.img",
    "README.md", "LICENSE", "docs/api.md", "package.json"])
    assert.ok(files.includes(f), `missing ${f}`);
  for (const f of files)
    assert.not.match(f, /^(test|bench|assembly|kernel|scripts|web|host|\.ci)\/|\.ts$(?<!\.d\.ts$)/, `should not ship ${f}`);
});

test("npx wasm386 runs the installed CLI: --version, and the bundled kernel to its exit status", () => {
  const app = join(work, "app");
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const v = spawnSync("npx", ["--offline", "wasm386", "--version"], { cwd: app, encoding: "utf8" });
  assert.is(v.status, 0, v.stderr);
  assert.match(v.stdout, pkg.version);
  const r = spawnSync("npx", ["--offline", "wasm386", "--append", "exit=3"], { cwd: app, encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 7, r.stderr);
  assert.match(r.stdout, "exiting with code 3");
  const bad = spawnSync("npx", ["--offline", "wasm386", "no-such-kernel.elf"], { cwd: app, encoding: "utf8" });
  assert.is(bad.status, 1);
  assert.is(bad.stderr.trim().split("\n").length, 1, bad.stderr);
});

const examples = [...examplesOf(readFileSync("docs/api.md", "utf8")), ...examplesOf(readFileSync("README.md", "utf8"))];
examples.forEach((ex, i) => {
  test(`the installed package runs the docs' example ${i + 1} with plain node`, async () => {
    const r = await runExample(ex, join(work, "app"), `example${i}`);
    assert.is(r.status, 0, r.stderr);
    if (ex.prints) assert.equal(missingLines(r.stdout, ex.prints), [], r.stdout);
  });
});

test("the installed package's types check a consumer's TypeScript, and catch a wrong listener", () => {
  const app = join(work, "app");
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions: {
    target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: [], lib: ["ES2022", "DOM"] } }));
  const good = `import { Machine, memoryDisk, type RunOutcome } from "wasm386";
import { coreWasm, bundledImage, fileDisk } from "wasm386/node";
const m = await Machine.create({ wasm: coreWasm(), kernel: bundledImage("kernel.elf"), disk: memoryDisk(bundledImage("disk.img")) });
m.on("serial", (b: Uint8Array) => b.length).on("exit", (o: RunOutcome) => o.reason);
const n: number = m.sendSerial("x");
void fileDisk; void n;
export {};
`;
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  writeFileSync(join(app, "good.ts"), good);
  const ok = spawnSync(process.execPath, [tsc, "-p", ".", "--pretty", "false"], { cwd: app, encoding: "utf8" });
  assert.is(ok.status, 0, ok.stdout + ok.stderr);
  writeFileSync(join(app, "bad.ts"), `import { Machine } from "wasm386";\ndeclare const m: Machine;\nm.on("serial", (b: number) => b);\nexport {};\n`);
  const bad = spawnSync(process.execPath, [tsc, "-p", ".", "--pretty", "false"], { cwd: app, encoding: "utf8" });
  assert.is.not(bad.status, 0);
  assert.match(bad.stdout, "bad.ts");
  rmSync(join(app, "bad.ts"));
  assert.ok(existsSync(join(app, "node_modules/wasm386/dist/lib/machine.d.ts")));
});

test.run();
