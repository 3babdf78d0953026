// What the JIT's work and memory are bounded by: a region's module size, the
// compiles spent on code that rewrites itself, the functions kept after a
// flush, and the modules shared between machines (host/jit-cache.ts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine } from "../../host/machine.js";
import { jitLink } from "../../host/jit.js";
import { clearJitCache, jitCacheStats } from "../../host/jit-cache.js";
import { coreModule } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";

const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

async function run(code: number[], jit: "off" | "force", maxInstructions = 5_000_000) {
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, jit });
  m.ram.set(code, CODE_AT);
  m.bootFlat(CODE_AT);
  m.setRegister("esp", 0x9000);
  const outcome = await m.runUntilDone({ maxInstructions });
  return { m, outcome };
}

// A loop that patches the immediate of its own mov on every pass (so every
// pass is a new generation of the page), n passes, then exits with ESI.
function patchingLoop(n: number) {
  const body = [0xab, 0x83, 0xef, 0x04, 0x40, 0xbb, 0, 0, 0, 0, 0x01, 0xde, 0x49]; // stosd; sub edi,4; inc eax; mov ebx,imm; add esi,ebx; dec ecx
  const immAt = CODE_AT + 15 + 6;
  const setup = [0xb9, ...le32(n), 0xbf, ...le32(immAt), 0x31, 0xc0, 0x31, 0xf6, 0x90];
  return [...setup, ...body, 0x75, (256 - body.length - 2) & 0xff, 0x89, 0xf0, 0xe6, 0xf4];
}

test("code that rewrites itself on every pass: force compiles a bounded number of regions, with the interpreter's result", async () => {
  const n = 5000;
  const force = await run(patchingLoop(n), "force"), off = await run(patchingLoop(n), "off");
  assert.equal(force.m.registers(), off.m.registers());
  assert.is(force.m.instructions, off.m.instructions);
  assert.is(force.m.registers().esi, ((n - 1) * n) / 2);
  // Every generation up to 64 and one in 64 after: ~140, not one a pass.
  const compiled = force.m.blocksCompiled;
  assert.ok(compiled >= 64 && compiled <= 64 + n / 64 + 16, `${compiled} regions compiled for ${n} passes`);
});

test("a region's module stays small on a page of zeros (add [eax], al without end)", async () => {
  clearJitCache();
  // dec ecx; jnz back, then the page's zeros: the region reaches them by falling through.
  const code = [0xb9, ...le32(1000), 0x31, 0xc0, 0x49, 0x75, 0xfd];
  const { m } = await run(code, "force", 200_000);
  assert.ok(m.blocksCompiled >= 1);
  const stats = jitCacheStats();
  assert.ok(stats.modules >= 1 && stats.largest <= 128 << 10, JSON.stringify(stats));
});

test("a second machine running the same code links the modules the first compiled", async () => {
  clearJitCache();
  const first = await run(patchingLoop(40), "force");
  const held = jitCacheStats();
  assert.ok(held.modules >= 2 && held.hits === 0, JSON.stringify(held));
  const second = await run(patchingLoop(40), "force");
  assert.equal(second.m.registers(), first.m.registers());
  assert.is(second.m.blocksCompiled, first.m.blocksCompiled);
  const after = jitCacheStats();
  assert.is(after.modules, held.modules);
  assert.is(after.hits, first.m.blocksCompiled);
});

// (module (func (export "f") (param i32 i32 i32) (result i32) i32.const k))
const constModule = (k: number) => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 8, 1, 0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f,
  3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0, 10, 6, 1, 4, 0, 0x41, k, 0x0b]);

test("after a flush the host lets the old functions go, and drops a compile still out for one", async () => {
  const link = jitLink();
  const memory = new WebAssembly.Memory({ initial: 1 });
  link.attach({ memory });
  const mem = new Uint8Array(memory.buffer);
  const k = 1 + Math.floor(Math.random() * 60); // not in the shared cache
  mem.set(constModule(k), 0x100);
  mem.set(constModule(k + 1), 0x200);
  assert.is(link.compile(0x100, 37, 3, 0), 1);
  assert.is((link.table.get(3) as Function)(0, 0, 0), k);
  link.background = true;
  assert.is(link.compile(0x200, 37, 5, 1), 1);
  assert.is(link.pending, 1);
  assert.is((link.table.get(5) as Function)(0, 0, 0), 0x20000000, "the stub answers NOT_READY meanwhile");
  link.drop(2);
  assert.is(link.table.get(3), null);
  assert.is(link.table.get(5), null);
  assert.is(link.pending, 0);
  await new Promise((r) => setTimeout(r, 100));
  assert.is(link.table.get(5), null, "the late compile stayed out");
  // A flush from a later index keeps the ones before it.
  assert.is(link.compile(0x100, 37, 2, 0), 1);
  link.drop(3);
  assert.is((link.table.get(2) as Function)(0, 0, 0), k);
});

test.run();
