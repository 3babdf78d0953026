// The TypeScript of the host, the page, the tests, the bench and the
// scripts type-checks (tsc --noEmit, strict): tsx runs the tests without
// checking types, so nothing else would notice a type error.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { root } from "../helpers/machine.js";

test("tsc --noEmit finds no type errors", () => {
  const r = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "--noEmit", "-p", root, "--pretty", "false"],
    { encoding: "utf8", timeout: 120_000 });
  assert.is(r.stdout + r.stderr, "");
  assert.is(r.status, 0);
});

test.run();
