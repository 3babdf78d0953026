// INTERP entries: instructions the block cache has no form for run through
// the interpreter in the middle of a block, in the block executor and in
// translated code. Hot loops built around them must give the interpreter's
// results in every tier: the clock as the interpreter sees it (rdtsc
// mid-block, after the block's earlier instructions), a write by one into
// its own block, a fault in one, and an event one raises.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine } from "../../host/machine.js";
import { coreModule } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";

const tiers = { interp: { blockCache: false }, blocks: { jit: "off" as const }, jit: { jit: "on" as const }, force: { jit: "force" as const } };

async function inEveryTier(code: number[], maxInstructions = 5_000_000) {
  const out: Record<string, string> = {};
  for (const [name, o] of Object.entries(tiers)) {
    const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, ...o });
    m.ram.set(code, CODE_AT);
    m.bootFlat(CODE_AT);
    m.setRegister("esp", 0x9000);
    m.setRegister("edi", 0x30000);
    const outcome = await m.runUntilDone({ maxInstructions });
    out[name] = JSON.stringify({ outcome: outcome.reason === "shutdown" ? outcome.report : outcome, r: m.registers(), n: m.instructions,
      compiled: undefined });
    if (name === "jit") out.compiled = String(m.blocksCompiled);
  }
  return out;
}

const same = (r: Record<string, string>) => {
  assert.is(r.blocks, r.interp, "block cache");
  assert.is(r.jit, r.interp, "JIT on");
  assert.is(r.force, r.interp, "JIT forced");
};

test("rdtsc and mul in the middle of a hot loop: the same clock and results in every tier", async () => {
  const loop = [
    0x01, 0xd8, // add eax, ebx
    0x0f, 0x31, // rdtsc (interpreted: the clock must count the add before it)
    0x31, 0xc6, // xor esi, eax
    0xf7, 0xe3, // mul ebx (interpreted)
    0x01, 0xc5, // add ebp, eax
    0x47, // inc edi
    0x49, // dec ecx
  ];
  const code = [0xb9, 0x40, 0x0d, 0x03, 0x00, 0xbb, 0x07, 0x00, 0x00, 0x00, ...loop, 0x75, (256 - loop.length - 2) & 0xff, 0xe6, 0xf4];
  const r = await inEveryTier(code);
  same(r);
  assert.ok(Number(r.compiled) >= 1, "the loop was translated");
  assert.match(r.interp, /"reason":"exit"/);
});

test("stosd in a loop writing into its own block: the next pass sees the new code", async () => {
  // The loop's mov ebx, imm32 is patched by the stosd before it (EDI points at the imm).
  const body = [
    0xab, // stosd: [edi] = eax (interpreted); edi += 4
    0x83, 0xef, 0x04, // sub edi, 4
    0x40, // inc eax
    0xbb, 0x00, 0x00, 0x00, 0x00, // mov ebx, imm32 (patched)
    0x01, 0xde, // add esi, ebx
    0x49, // dec ecx
  ];
  const start = CODE_AT + 15; // after the set-up below
  const immAt = start + 5 + 1;
  const setup = [0xb9, 0x10, 0x27, 0x00, 0x00, 0xbf, ...le32(immAt), 0x31, 0xc0, 0x31, 0xf6, 0x90]; // ecx=10000, edi=&imm, eax=0, esi=0, nop
  assert.is(setup.length, 15);
  const code = [...setup, ...body, 0x75, (256 - body.length - 2) & 0xff, 0x89, 0xf0, 0xe6, 0xf4];
  const r = await inEveryTier(code);
  same(r);
  // Each pass adds the value stored in the same pass: 0 + 1 + ... + 9999.
  assert.match(r.interp, new RegExp(`"esi":${(9999 * 10000) / 2}\\b`));
});

test("a divide error in the middle of a translated loop, and an out that ends the run there", async () => {
  // div ebx with ebx counting down to 0: the fault comes in a late pass (no IDT: a triple fault).
  const loop = [0x31, 0xd2, 0xf7, 0xf3, 0x4b, 0x41]; // xor edx,edx; div ebx; dec ebx; inc ecx
  const code = [0xbb, 0xa0, 0x86, 0x01, 0x00, 0xb8, 0xff, 0xff, 0xff, 0x7f, ...loop, 0xeb, (256 - loop.length - 2) & 0xff];
  const r = await inEveryTier(code);
  same(r);
  assert.match(r.interp, /exception chain: #0/);
  // out to the debug-exit port mid-block: nothing after it runs.
  const exit = [0xb0, 0x05, 0xe6, 0xf4, 0x40, 0x40, 0x40, 0xeb, 0xfe];
  const e = await inEveryTier(exit);
  same(e);
  assert.match(e.interp, /"exitCode":11/);
});

function le32(v: number): number[] { return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]; }

test.run();
