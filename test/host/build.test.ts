// npm run build rebuilds only what is out of date (the core takes about a
// minute; the test run's pretest calls it every time), and says so.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, utimesSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../helpers/machine.js";
import { stale, filesUnder } from "../../scripts/build.js";

const dir = mkdtempSync(join(tmpdir(), "wasm386-build-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

test("an output is stale when missing or older than any input, fresh otherwise", () => {
  mkdirSync(join(dir, "src", "deep"), { recursive: true });
  const a = join(dir, "src", "a.ts"), b = join(dir, "src", "deep", "b.ts"), out = join(dir, "out.wasm");
  writeFileSync(a, "a");
  writeFileSync(b, "b");
  const inputs: string[] = filesUnder([join(dir, "src"), join(dir, "no-such-file")]);
  assert.equal(inputs.sort(), [a, b].sort(), "files in nested folders; missing paths ignored");
  assert.ok(stale(out, inputs), "missing output");
  writeFileSync(out, "built");
  at(a, 1000); at(b, 1000); at(out, 2000);
  assert.not.ok(stale(out, inputs), "built after its inputs");
  at(b, 3000);
  assert.ok(stale(out, inputs), "one input changed since, deep in a folder");
});

test("when nothing changed, the build says so and takes no time", () => {
  const inputs: string[] = filesUnder([join(root, "assembly"), join(root, "asconfig.json")]);
  if (stale(join(root, "build/wasm386.wasm"), inputs)) {
    console.log("  (the core is out of date here: the up-to-date path is checked on the next run)");
    return;
  }
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, "scripts/build.js")], { cwd: root, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^build: the core \(assembly\/ -> build\/wasm386\.wasm\): up to date$/m);
  assert.not.match(r.stdout, /debug core/, "the debug core only with --debug");
  assert.ok(Date.now() - t0 < 10_000, `${Date.now() - t0} ms`);
});

test.run();
