// The host's type of the core and its enums come from the core
// (host/gen/core-exports.ts, which the build writes): the committed file is
// what this core gives, its enums have the module's values, and the
// package's declarations, which include it, need nothing outside dist/lib.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { root, coreModule } from "../helpers/machine.js";
import { instantiateCoreSync, Stop } from "../../host/core.js";
import { filesUnder } from "../../scripts/build.js";

test("host/gen/core-exports.ts is what scripts/gen-core-exports.js writes for this core", () => {
  const r = spawnSync(process.execPath, [`${root}scripts/gen-core-exports.js`, "--check"], { cwd: root, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
});

test("the host's Stop has the core's members and values", () => {
  const globals = instantiateCoreSync(coreModule()) as unknown as Record<string, WebAssembly.Global>;
  const core = Object.keys(globals).filter((k) => k.startsWith("Stop.")).map((k) => [k.slice(5), globals[k].value]);
  const host = Object.entries(Stop).filter(([, v]) => typeof v === "number");
  assert.ok(core.length >= 10, `${core.length} members`);
  assert.equal(host, core);
});

test("the package's declarations import nothing from outside dist/lib", () => {
  const lib = resolve(root, "dist/lib");
  const outside: string[] = [];
  for (const f of filesUnder([lib]).filter((f) => f.endsWith(".d.ts"))) {
    for (const m of readFileSync(f, "utf8").matchAll(/(?:from\s+|import\()"(\.[^"]*)"/g)) {
      if (relative(lib, resolve(dirname(f), m[1])).startsWith("..")) outside.push(`${relative(lib, f)}: ${m[1]}`);
    }
  }
  assert.equal(outside, []);
  assert.ok(filesUnder([lib]).includes(join(lib, "gen/core-exports.d.ts")));
});

test.run();
