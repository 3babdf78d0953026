// 16-bit shifts and rotates of a register (an operand-size prefix on C1,
// D1 and D3) run as block entries and translated code of their own
// (SHIFT16_RI, SHIFT16_RC), not through the interpreter: Linux's XZ
// decoder updates its u16 probabilities with them. Every operation, count
// and carry-in, on values whose upper halves must survive, gives the plain
// interpreter's result and flags in the block cache, and in the JIT on and
// forced.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine } from "../../host/machine.js";
import type { JitMode } from "../../host/jit.js";
import { readFileSync } from "node:fs";
import { coreModule, root } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";

const RESULTS = 0x100000;
const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const VALUES = [0x0000, 0x0001, 0x8000, 0x8001, 0x7fff, 0xffff, 0x1234, 0xa5c3];
const COUNTS = [0, 1, 2, 5, 15, 16, 17, 31, 33];

/** The cases, each storing its register and EFLAGS at EDI; run `passes` times. */
function program(passes: number): { code: number[]; cases: number } {
  const body: number[] = [];
  let cases = 0;
  for (let op = 0; op < 8; op++) {
    const forms: [number[], number][] = [
      ...COUNTS.map((c) => [[0xc1], c] as [number[], number]), [[0xd1], 1], ...COUNTS.map((c) => [[0xd3], c] as [number[], number])];
    for (const [[opc], count] of forms) {
      for (const cf of [0, 1]) {
        for (const v of VALUES) {
          const reg = cases % 2 ? 3 : 0; // bx or ax
          body.push(0xb8 + reg, ...le32((0xdead0000 | v) >>> 0)); // mov reg32, upper half marked
          body.push(0xb9, ...le32(opc === 0xd3 ? count | 0x100 : 0x55)); // mov ecx (CL the count; CH must not count)
          body.push(cf ? 0xf9 : 0xf8); // stc / clc
          body.push(0x66, opc, 0xc0 | (op << 3) | reg, ...(opc === 0xc1 ? [count] : []));
          body.push(0x89, 0x07 | (reg << 3)); // mov [edi], reg32
          body.push(0x9c, 0x5a, 0x89, 0x57, 0x04); // pushfd; pop edx; mov [edi+4], edx
          body.push(0x83, 0xc7, 0x08); // add edi, 8
          cases++;
        }
      }
    }
  }
  const head = [0xbd, ...le32(passes), 0xbf, ...le32(RESULTS)]; // mov ebp, passes; top: mov edi, RESULTS
  const loop = [0x4d, 0x0f, 0x85]; // dec ebp; jnz top
  const top = head.length - 5;
  const after = head.length + body.length + loop.length + 4;
  return { code: [...head, ...body, ...loop, ...le32(top - after), 0xf4], cases };
}

async function run(blockCache: boolean, jit: JitMode, passes: number) {
  const { code, cases } = program(passes);
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, blockCache, jit });
  m.ram.set(code, CODE_AT);
  m.bootFlat(CODE_AT);
  const outcome = await m.runUntilDone({ maxInstructions: 50_000_000 });
  assert.equal(outcome, { reason: "halted" });
  return { results: m.ram.slice(RESULTS, RESULTS + cases * 8), regs: m.registers(), instructions: m.instructions, m, cases };
}

test("16-bit shifts and rotates by imm, 1 and CL: the block cache and the JIT give the interpreter's results", async () => {
  const passes = 40; // enough for the JIT's "on" mode to translate the cases
  const plain = await run(false, "off", passes);
  assert.ok(plain.cases > 2000, `${plain.cases} cases`);
  // the interpreter's own answers, spot-checked against the SDM
  const at = (i: number) => [new DataView(plain.results.buffer).getUint32(i * 8, true), new DataView(plain.results.buffer).getUint32(i * 8 + 4, true)];
  // case 0: rol ax by 0 (imm), CF 0, value 0: unchanged, upper half kept
  assert.is(at(0)[0], 0xdead0000);
  for (const [what, blockCache, jit] of [["blocks", true, "off"], ["JIT on", true, "on"], ["JIT forced", true, "force"]] as const) {
    const r = await run(blockCache, jit, passes);
    assert.equal(r.regs, plain.regs, `${what}: registers`);
    assert.is(r.instructions, plain.instructions, `${what}: instruction count`);
    for (let i = 0; i < r.cases; i++) {
      const a = r.results.subarray(i * 8, i * 8 + 8).join(","), b = plain.results.subarray(i * 8, i * 8 + 8).join(",");
      if (a !== b) assert.unreachable(`${what}: case ${i}: ${a} where the interpreter has ${b}`);
    }
    if (jit === "force") assert.ok(r.m.blocksTranslated > 0, `${what}: nothing translated`);
  }
});

/** A constant of the core's source (layout.ts, blockkinds.ts). */
function constant(file: string, name: string): number {
  const m = new RegExp(`\\b${name}: u32 = (0x[0-9a-f]+|\\d+)`).exec(readFileSync(`${root}assembly/${file}`, "utf8"));
  if (!m) throw new Error(`no ${name} in assembly/${file}`);
  return Number(m[1]);
}

test("shr bx, 5 (the XZ decoder's probability update) is a block entry of its own, not the interpreter's", async () => {
  // prob -= prob >> 5 as a loop: top: mov bx, ax; shr bx, 5; sub ax, bx; dec ecx; jnz top
  const code = [0xb8, ...le32(0x400), 0xb9, ...le32(1000),
    0x66, 0x89, 0xc3, 0x66, 0xc1, 0xeb, 0x05, 0x66, 0x29, 0xd8, 0x49, 0x75, 0xf3, 0xf4];
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, jit: "off" });
  m.ram.set(code, CODE_AT);
  m.bootFlat(CODE_AT);
  assert.equal(await m.runUntilDone({ maxInstructions: 100_000 }), { reason: "halted" });
  // The loop's block (physical CODE_AT + 10) in the block table (cpu/blocks.ts: slotOf, the slot's first entry at +8).
  const u8 = (m as unknown as { mem: { u8: Uint8Array } }).mem.u8, view = new DataView(u8.buffer);
  const phys = CODE_AT + 10, slots = constant("layout.ts", "BLOCK_SLOTS");
  const slot = constant("layout.ts", "BLOCK_TABLE") + (((phys ^ (phys >>> 14)) & (slots - 1)) << 5);
  assert.is(view.getUint32(slot, true), phys, "the loop's block is in its slot");
  const first = view.getUint32(slot + 8, true);
  const kind = (i: number) => u8[constant("layout.ts", "BLOCK_ENTRIES") + (first + i) * 16];
  assert.is(kind(1), constant("cpu/blockkinds.ts", "SHIFT16_RI"), `shr bx, 5 decoded as kind ${kind(1)} (INTERP is ${constant("cpu/blockkinds.ts", "INTERP")})`);
});

test.run();
