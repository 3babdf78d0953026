// The JIT's modes. Whether translated code gives the interpreter's results
// is blocks.test.ts's comparison run with WASM386_JIT=force (CI runs the
// whole suite with each mode); here: each mode does what it says, and the
// CLI takes it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { image, machineWithLog, root } from "../helpers/machine.js";
import type { JitMode } from "../../host/jit.js";
import { CLI } from "../helpers/cli.js";

async function intloop(jit: JitMode, maxInstructions = 300_000_000) {
  const { m, serial } = await machineWithLog({ kernel: image("bench/intloop.elf"), memoryMiB: 16, jit });
  const outcome = await m.runUntilDone({ maxInstructions });
  return { m, outcome, serial: serial(), compiled: m.blocksCompiled, translated: m.blocksTranslated, instructions: m.instructions };
}

test("off translates nothing, force translates every block it runs, on only the hot ones", async () => {
  const off = await intloop("off"), on = await intloop("on"), force = await intloop("force");
  for (const r of [off, on, force]) assert.equal(r.outcome, { reason: "exit", exitCode: 1 });
  assert.is(off.compiled, 0);
  // (Blocks of one instruction outside the decoded subset are not translated.)
  assert.is(off.translated, 0);
  assert.ok(force.translated >= force.m.blocksDecoded * 0.7, `force: ${force.translated} of ${force.m.blocksDecoded} blocks`);
  // A region holds one block or more.
  assert.ok(force.translated >= force.compiled, `force: ${force.translated} blocks in ${force.compiled} regions`);
  assert.ok(on.compiled >= 1 && on.compiled < force.compiled, `on: ${on.compiled}, force: ${force.compiled}`);
  // The same guest, the same answer and the same count of instructions.
  assert.is(on.serial, off.serial);
  assert.is(force.serial, off.serial);
  assert.is(on.instructions, off.instructions);
  assert.is(force.instructions, off.instructions);
});

test("a translated loop stops at the instruction budget, to the instruction", async () => {
  for (const budget of [1_000_003, 2_500_001]) {
    const off = await intloop("off", budget), force = await intloop("force", budget);
    assert.equal(force.outcome, { reason: "limit" });
    assert.is(force.instructions, off.instructions, `budget ${budget}`);
    assert.equal(force.m.registers(), off.m.registers(), `budget ${budget}`);
  }
});

test("a bad jit mode is refused with a clear error", async () => {
  let err: unknown;
  try { await machineWithLog({ kernel: image("bench/intloop.elf"), jit: "fast" as JitMode }); } catch (e) { err = e; }
  assert.match(String(err), /jit must be one of off, on, force \(got "fast"\)/);
});

test("--jit on the command line", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [...CLI, ...args],
    { cwd: root, encoding: "latin1", timeout: 60_000 });
  const outs = ["off", "on", "force"].map((mode) => run("--jit", mode, "--clock", "deterministic", "--no-disk", "--max-instructions", "20000000"));
  for (const r of outs) assert.match(r.stdout, /wasm386:\/\$ $/, r.stderr);
  assert.is(outs[1].stdout, outs[0].stdout);
  assert.is(outs[2].stdout, outs[0].stdout);
  const bad = run("--jit", "maybe");
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /^wasm386: --jit must be off, on or force \(got maybe\)\n$/);
});

test.run();
