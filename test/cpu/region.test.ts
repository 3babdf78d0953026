// Regions: the JIT compiles the blocks of a code page that reach each other
// into one function (assembly/jit/region.ts, translate.ts). Calls, returns,
// indirect jumps through a table, and branches between its blocks stay
// inside it; the budget still stops it at a whole block, to the
// instruction; a block that writes into another block of its region stops
// it. Every tier must give the interpreter's registers, flags and count,
// and transfers between regions stay in the block executor.
// Also the host's half: a background compile that lands after its table
// index was handed out again is dropped.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Machine } from "../../host/machine.js";
import { jitLink } from "../../host/jit.js";
import { coreModule } from "../helpers/machine.js";
import { CODE_AT } from "../helpers/code.js";

const tiers = { interp: { blockCache: false }, blocks: { jit: "off" as const }, jit: { jit: "on" as const }, force: { jit: "force" as const } };

async function inEveryTier(code: number[], maxInstructions: number) {
  const out: Record<string, string> = {};
  const stats: Record<string, { compiled: number; translated: number }> = {};
  for (const [name, o] of Object.entries(tiers)) {
    const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, ...o });
    m.ram.set(code, CODE_AT);
    m.bootFlat(CODE_AT);
    m.setRegister("esp", 0x9000);
    const outcome = await m.runUntilDone({ maxInstructions });
    out[name] = JSON.stringify({ outcome, r: m.registers(), n: m.instructions });
    stats[name] = { compiled: m.blocksCompiled, translated: m.blocksTranslated };
  }
  return { out, stats };
}

const same = (r: Record<string, string>, what: string) => {
  assert.is(r.blocks, r.interp, `block cache, ${what}`);
  assert.is(r.jit, r.interp, `JIT on, ${what}`);
  assert.is(r.force, r.interp, `JIT forced, ${what}`);
};

// At 0x10000 (clang --target=i386-elf, ld.lld --oformat binary):
//   mov ecx, 0x30000
//   mov eax, 0x12345678 / mov ebx, 7 / mov edx, 0x80000001 / lea esi, f
// loop: call f / call esi / mov edi, ecx / and edi, 3 / jmp [table + edi*4]
// back: dec ecx / jnz loop / mov eax, ebx / xor eax, edx / out 0xf4, al / hlt
// f: imul eax, eax, 3 / shl eax, 5 / setc bl / shr edx, 1 / jo 1f / sar edx, 3 / adc ebx, 7
//  1: imul ebx, edx / jno 2f / inc ebx
//  2: shl ebx, 1 / jle 3f / sbb edx, ecx
//  3: ror eax, 3 / shr eax, 1 / cmovc eax, edx / ret
// c0: add ebx, eax / jmp back     c1: sub eax, edx / jmp back
// c2: rol edx, 1 / jmp back       c3: shl eax, cl / sbb edx, eax / jmp back
// table: c0, c1, c2, c3
const CALLS = [
  0xb9, 0x00, 0x00, 0x03, 0x00, 0xb8, 0x78, 0x56, 0x34, 0x12, 0xbb, 0x07,
  0x00, 0x00, 0x00, 0xba, 0x01, 0x00, 0x00, 0x80, 0x8d, 0x35, 0x37, 0x00,
  0x01, 0x00, 0xe8, 0x18, 0x00, 0x00, 0x00, 0xff, 0xd6, 0x89, 0xcf, 0x83,
  0xe7, 0x03, 0xff, 0x24, 0xbd, 0x74, 0x00, 0x01, 0x00, 0x49, 0x75, 0xea,
  0x89, 0xd8, 0x31, 0xd0, 0xe6, 0xf4, 0xf4, 0x6b, 0xc0, 0x03, 0xc1, 0xe0,
  0x05, 0x0f, 0x92, 0xc3, 0xd1, 0xea, 0x70, 0x06, 0xc1, 0xfa, 0x03, 0x83,
  0xd3, 0x07, 0x0f, 0xaf, 0xda, 0x71, 0x01, 0x43, 0xd1, 0xe3, 0x7e, 0x02,
  0x19, 0xca, 0xc1, 0xc8, 0x03, 0xd1, 0xe8, 0x0f, 0x42, 0xc2, 0xc3, 0x01,
  0xc3, 0xeb, 0xca, 0x29, 0xd0, 0xeb, 0xc6, 0xd1, 0xc2, 0xeb, 0xc2, 0xd3,
  0xe0, 0x19, 0xc2, 0xeb, 0xbc, 0x90, 0x90, 0x90, 0x5f, 0x00, 0x01, 0x00,
  0x63, 0x00, 0x01, 0x00, 0x67, 0x00, 0x01, 0x00, 0x6b, 0x00, 0x01, 0x00,
];

test("calls, returns, a jump table and flag tests after shifts and multiplies inside one region: every tier agrees", async () => {
  const { out, stats } = await inEveryTier(CALLS, 20_000_000);
  same(out, "to the exit");
  assert.match(out.interp, /"reason":"exit"/);
  assert.ok(stats.force.translated > stats.force.compiled, `force: ${stats.force.translated} blocks in ${stats.force.compiled} regions`);
  assert.ok(stats.jit.compiled >= 1, "the hot loop was translated with the JIT on");
});

test("the budget stops a region at a whole block, to the instruction", async () => {
  for (const budget of [1, 7, 20_011, 99_999, 123_457]) {
    const { out } = await inEveryTier(CALLS, budget);
    same(out, `budget ${budget}`);
    assert.match(out.interp, /"reason":"limit"/);
  }
});

// Carry chains: adc/sbb after add, sub, cmp, adc, xor, inc and a shift-free
// mix, with branches on the carry they leave (inline in translated code).
// mov ecx, 100000 / mov eax, -16 / mov ebx, 0x7ffffff0 / xor edx, edx / mov esi, 5 / xor edi, edi / mov ebp, 1 << 30
// loop: add eax, ecx / adc edx, 0 / sub esi, ecx / sbb edi, 0 / cmp eax, ebx / adc ebx, ecx / adc ebp, ebp
//   jc 1f / sbb eax, edx / 1: xor eax, edx / adc eax, 1 / inc ebx / adc esi, ebx / sbb ebp, eax
//   jbe 2f / adc edi, esi / 2: dec ecx / jnz loop / add eax, edi / add eax, ebp / add eax, esi / out 0xf4, al / hlt
const CARRIES = [
  0xb9, 0xa0, 0x86, 0x01, 0x00, 0xb8, 0xf0, 0xff, 0xff, 0xff, 0xbb, 0xf0,
  0xff, 0xff, 0x7f, 0x31, 0xd2, 0xbe, 0x05, 0x00, 0x00, 0x00, 0x31, 0xff,
  0xbd, 0x00, 0x00, 0x00, 0x40, 0x01, 0xc8, 0x83, 0xd2, 0x00, 0x29, 0xce,
  0x83, 0xdf, 0x00, 0x39, 0xd8, 0x11, 0xcb, 0x11, 0xed, 0x72, 0x02, 0x19,
  0xd0, 0x31, 0xd0, 0x83, 0xd0, 0x01, 0x43, 0x11, 0xde, 0x19, 0xc5, 0x76,
  0x02, 0x11, 0xf7, 0x49, 0x75, 0xdb, 0x01, 0xf8, 0x01, 0xe8, 0x01, 0xf0,
  0xe6, 0xf4, 0xf4,
];

test("carry chains (adc/sbb after every kind of flag producer): every tier agrees", async () => {
  for (const budget of [3_000_000, 1_234_567]) {
    const { out } = await inEveryTier(CARRIES, budget);
    same(out, `budget ${budget}`);
  }
});

// The carry in decides the record: adc eax, -1 with CF = 1 adds 2^32 (CF out
// is 1 though the result equals the operand), sbb edx, -1 with CF = 1
// subtracts 2^32 (CF out 1, OF 0). By the SDM's rules ESI and EDI end at
// 1000 each.
// mov ecx, 1000 / xor esi, esi / xor edi, edi
// loop: mov eax, ecx / neg eax / adc eax, -1 / adc esi, 0 / mov edx, ecx / neg edx / sbb edx, -1
//   jo 1f / adc edi, 0 / 1: dec ecx / jnz loop / lea eax, [esi + edi*2] / out 0xf4, al / hlt
const CARRY_IN = [
  0xb9, 0xe8, 0x03, 0x00, 0x00, 0x31, 0xf6, 0x31, 0xff, 0x89, 0xc8, 0xf7,
  0xd8, 0x83, 0xd0, 0xff, 0x83, 0xd6, 0x00, 0x89, 0xca, 0xf7, 0xda, 0x83,
  0xda, 0xff, 0x70, 0x03, 0x83, 0xd7, 0x00, 0x49, 0x75, 0xe7, 0x8d, 0x04,
  0x7e, 0xe6, 0xf4, 0xf4,
];

test("adc/sbb of -1 with a carry in: CF out as the SDM says, in every tier", async () => {
  const { out } = await inEveryTier(CARRY_IN, 1_000_000);
  same(out, "carry in");
  const r = JSON.parse(out.force).r;
  assert.is(r.esi, 1000);
  assert.is(r.edi, 1000);
});

// inc and dec keep CF: at the start of a member (after a jcc) the last
// producer is known only from the record in memory, which translated code
// reads inline (add, adc, sub, sbb, logic, at 32 and 8 bits). Each inc/dec
// below is followed by "jnz 1f / 1:" (its ZF read, so it keeps its flags)
// and adc then folds the kept CF into EDX.
// mov ecx, 200000 / mov eax, 0x12345678 / mov ebx, 0x9abcdef0 / xor edx, edx / xor esi, esi / xor edi, edi
// loop: (xorshift eax through ebp) / cmp eax, ebx / jne 2f / 2: inc esi / adc edx, 0 / add ebx, eax / jnz 3f
//   3: dec edi / adc edx, 0 / cmp al, bl / jne 4f / 4: inc esi / adc edx, 0 / adc ebx, eax / jnz 5f
//   5: inc edi / adc edx, 0 / sbb ebx, eax / jnz 6f / 6: dec esi / adc edx, 0 / add bl, al / jnz 7f
//   7: dec edi / adc edx, 0 / test ebx, eax / jnz 8f / 8: inc esi / adc edx, 0
//   cmp ebp, ebp / jne 9f / 9: inc esi / adc edx, 0 / add ebp, 0 / jnz 10f / 10: dec edi / adc edx, 0
//   mov ebp, -1 / add ebp, 1 / adc ebp, -1 / jnz 11f / 11: inc esi / adc edx, 0   (adc's result equals its operand)
//   mov ebp, -1 / add ebp, 1 / sbb ebp, 0 / jnz 12f / 12: dec edi / adc edx, 0     (sbb's operands equal)
//   rol edx, 1 / dec ecx / jnz loop
//   mov eax, edx / xor eax, esi / xor eax, edi / out 0xf4, al / hlt
const KEEP_CF = [
  0xb9, 0x40, 0x0d, 0x03, 0x00, 0xb8, 0x78, 0x56, 0x34, 0x12, 0xbb, 0xf0,
  0xde, 0xbc, 0x9a, 0x31, 0xd2, 0x31, 0xf6, 0x31, 0xff, 0x89, 0xc5, 0xc1,
  0xe5, 0x0d, 0x31, 0xe8, 0x89, 0xc5, 0xc1, 0xed, 0x11, 0x31, 0xe8, 0x89,
  0xc5, 0xc1, 0xe5, 0x05, 0x31, 0xe8, 0x39, 0xd8, 0x75, 0x00, 0x46, 0x75,
  0x00, 0x83, 0xd2, 0x00, 0x01, 0xc3, 0x75, 0x00, 0x4f, 0x75, 0x00, 0x83,
  0xd2, 0x00, 0x38, 0xd8, 0x75, 0x00, 0x46, 0x75, 0x00, 0x83, 0xd2, 0x00,
  0x11, 0xc3, 0x75, 0x00, 0x47, 0x75, 0x00, 0x83, 0xd2, 0x00, 0x19, 0xc3,
  0x75, 0x00, 0x4e, 0x75, 0x00, 0x83, 0xd2, 0x00, 0x00, 0xc3, 0x75, 0x00,
  0x4f, 0x75, 0x00, 0x83, 0xd2, 0x00, 0x85, 0xc3, 0x75, 0x00, 0x46, 0x75,
  0x00, 0x83, 0xd2, 0x00, 0x39, 0xed, 0x75, 0x00, 0x46, 0x75, 0x00, 0x83,
  0xd2, 0x00, 0x83, 0xc5, 0x00, 0x75, 0x00, 0x4f, 0x75, 0x00, 0x83, 0xd2,
  0x00, 0xbd, 0xff, 0xff, 0xff, 0xff, 0x83, 0xc5, 0x01, 0x83, 0xd5, 0xff,
  0x75, 0x00, 0x46, 0x75, 0x00, 0x83, 0xd2, 0x00, 0xbd, 0xff, 0xff, 0xff,
  0xff, 0x83, 0xc5, 0x01, 0x83, 0xdd, 0x00, 0x75, 0x00, 0x4f, 0x75, 0x00,
  0x83, 0xd2, 0x00, 0xd1, 0xc2, 0x49, 0x0f, 0x85, 0x61, 0xff, 0xff, 0xff,
  0x89, 0xd0, 0x31, 0xf0, 0x31, 0xf8, 0xe6, 0xf4, 0xf4,
];

test("inc/dec at a member's start keep the CF of every kind of record: every tier agrees", async () => {
  for (const budget of [20_000_000, 3_333_333]) {
    const { out, stats } = await inEveryTier(KEEP_CF, budget);
    same(out, `budget ${budget}`);
    assert.ok(stats.force.translated > 1, "the members ran translated");
  }
});

// A 16-bit stack (SS's B bit clear): push, pop, call, leave and ret imm move
// SP only, wrapping at 64 KiB, and address SS:SP; translated code takes the
// core's stack helpers for it. SP starts at 0x10, so every round wraps
// below 0 and back.
// lgdt [gdtr] / mov ax, 0x18 / mov ss, ax / mov esp, 0x10 / mov ecx, 0x50000 / xor ebx, ebx / mov ebp, 0x11
// loop: push ecx / push ebx / call f / pop ebx / pop edx / add ebx, edx / push ecx / call g / add ebx, eax
//   dec ecx / jnz loop / mov eax, ebx / xor eax, esp / xor eax, ebp / out 0xf4, al / hlt
// f: push ebp / mov ebp, esp / push 5 / mov eax, [ebp + 4] / add ebx, [esp] / add ebx, eax / rol ebx, 3 / leave / ret
// g: mov eax, [esp + 4] / imul eax, eax, 7 / ret 4
// gdt: null, flat code, flat data, 0x18: 16-bit data at 0x20000, limit 0xffff
const STACK16 = [
  0x0f, 0x01, 0x15, 0x80, 0x00, 0x01, 0x00, 0x66, 0xb8, 0x18, 0x00, 0x8e,
  0xd0, 0xbc, 0x10, 0x00, 0x00, 0x00, 0xb9, 0x00, 0x00, 0x05, 0x00, 0x31,
  0xdb, 0xbd, 0x11, 0x00, 0x00, 0x00, 0x51, 0x53, 0xe8, 0x18, 0x00, 0x00,
  0x00, 0x5b, 0x5a, 0x01, 0xd3, 0x51, 0xe8, 0x20, 0x00, 0x00, 0x00, 0x01,
  0xc3, 0x49, 0x75, 0xea, 0x89, 0xd8, 0x31, 0xe0, 0x31, 0xe8, 0xe6, 0xf4,
  0xf4, 0x55, 0x89, 0xe5, 0x6a, 0x05, 0x8b, 0x45, 0x04, 0x03, 0x1c, 0x24,
  0x01, 0xc3, 0xc1, 0xc3, 0x03, 0xc9, 0xc3, 0x8b, 0x44, 0x24, 0x04, 0x6b,
  0xc0, 0x07, 0xc2, 0x04, 0x00, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00,
  0x00, 0x9a, 0xcf, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x92, 0xcf, 0x00,
  0xff, 0xff, 0x00, 0x00, 0x02, 0x92, 0x00, 0x00, 0x1f, 0x00, 0x60, 0x00,
  0x01, 0x00,
];

test("a 16-bit stack that wraps at 64 KiB under push, pop, call, leave and ret imm: every tier agrees", async () => {
  for (const budget of [10_000_000, 777_777]) {
    const { out, stats } = await inEveryTier(STACK16, budget);
    same(out, `budget ${budget}`);
    assert.ok(stats.force.translated > 0, "the loop ran translated");
  }
  const { out } = await inEveryTier(STACK16, 10_000_000);
  const { outcome, r } = JSON.parse(out.force);
  assert.is(outcome.reason, "exit");
  assert.is(r.esp, 0x10, "SP back where it started, the high half untouched");
  assert.is(r.ebp, 0x11);
});

// pop ds in a translated loop (an INTERP entry) switches DS between a flat
// segment and one based at 0x20000; the add from DS:0x3000 right after it
// must see the new base (translated code keeps DS's base in a local).
// lgdt [gdtr] / mov ecx, 1000 / xor ebx, ebx / mov edx, 0x10
// mov dword [0x3000], 1 / mov dword [0x23000], 100
// loop: push edx / pop ds / add ebx, [0x3000] / xor edx, 8 / dec ecx / jnz loop
// mov eax, 0x10 / mov ds, eax / mov eax, ebx / out 0xf4, al / hlt
// gdt: null, flat code, flat data, data based at 0x20000
const POP_DS = [
  0x0f, 0x01, 0x15, 0x68, 0x00, 0x01, 0x00, 0xb9, 0xe8, 0x03, 0x00, 0x00, 0x31, 0xdb, 0xba, 0x10, 0x00, 0x00, 0x00, 0xc7,
  0x05, 0x00, 0x30, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xc7, 0x05, 0x00, 0x30, 0x02, 0x00, 0x64, 0x00, 0x00, 0x00, 0x52,
  0x1f, 0x03, 0x1d, 0x00, 0x30, 0x00, 0x00, 0x83, 0xf2, 0x08, 0x49, 0x75, 0xf2, 0xb8, 0x10, 0x00, 0x00, 0x00, 0x8e, 0xd8,
  0x89, 0xd8, 0xe6, 0xf4, 0xf4, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xcf, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x92, 0xcf, 0x00, 0xff, 0xff, 0x00, 0x00,
  0x02, 0x92, 0xcf, 0x00, 0x1f, 0x00, 0x48, 0x00, 0x01, 0x00,
];

test("pop ds inside a translated loop: the next access through DS uses the new base, in every tier", async () => {
  const { out, stats } = await inEveryTier(POP_DS, 1_000_000);
  same(out, "pop ds");
  assert.ok(stats.force.translated > 0, "the loop ran translated");
  assert.is(JSON.parse(out.force).r.ebx, 500 * 1 + 500 * 100);
});

// A function translated with paging off and called again with it on: its
// accesses must go through the page tables then (translated code fixes
// the paging state it was translated for and checks it on entry). The
// function is on a page of its own (0x11000), so the second call enters
// the region translated during the first.
// At 0x10000: mov [0x50000], 0x11111111 / mov [0x60000], 0x22222222 / xor edi, edi
//   mov eax, 0x11000 / call eax
//   page directory at 0x71000 -> table at 0x70000 mapping 2 MiB to itself,
//   but linear 0x50000 -> physical 0x60000 / mov cr3 / set CR0.PG
//   mov eax, 0x11000 / call eax / mov eax, edi / out 0xf4, al / hlt
// At 0x11000: mov ecx, 3000 / 1: mov eax, [0x50000] / add edi, eax / loop 1b / ret
const PAGING_SWITCH_MAIN = [
  0xc7, 0x05, 0x00, 0x00, 0x05, 0x00, 0x11, 0x11, 0x11, 0x11, 0xc7, 0x05, 0x00, 0x00, 0x06, 0x00,
  0x22, 0x22, 0x22, 0x22, 0x31, 0xff, 0xb8, 0x00, 0x10, 0x01, 0x00, 0xff, 0xd0, 0xc7, 0x05, 0x00,
  0x10, 0x07, 0x00, 0x03, 0x00, 0x07, 0x00, 0x31, 0xc0, 0x89, 0xc2, 0xc1, 0xe2, 0x0c, 0x83, 0xca,
  0x03, 0x89, 0x14, 0x85, 0x00, 0x00, 0x07, 0x00, 0x40, 0x3d, 0x00, 0x02, 0x00, 0x00, 0x72, 0xe9,
  0xc7, 0x05, 0x40, 0x01, 0x07, 0x00, 0x03, 0x00, 0x06, 0x00, 0xb8, 0x00, 0x10, 0x07, 0x00, 0x0f,
  0x22, 0xd8, 0x0f, 0x20, 0xc0, 0x0d, 0x00, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xb8, 0x00, 0x10,
  0x01, 0x00, 0xff, 0xd0, 0x89, 0xf8, 0xe6, 0xf4, 0xf4,
];
const PAGING_SWITCH_F = [0xb9, 0xb8, 0x0b, 0x00, 0x00, 0xa1, 0x00, 0x00, 0x05, 0x00, 0x01, 0xc7, 0xe2, 0xf7, 0xc3];
// main at 0x10000, f on the next page (0x11000); hlt between them.
const twoPages = (main: number[], f: number[]) => [...main, ...new Array<number>(0x1000 - main.length).fill(0xf4), ...f];
const PAGING_SWITCH = twoPages(PAGING_SWITCH_MAIN, PAGING_SWITCH_F);

test("a function translated with paging off, called with it on: its reads go through the page tables, in every tier", async () => {
  const { out, stats } = await inEveryTier(PAGING_SWITCH, 1_000_000);
  same(out, "paging switched on");
  assert.ok(stats.force.translated > 0, "the loop ran translated");
  assert.is(JSON.parse(out.interp).r.edi >>> 0, (3000 * 0x11111111 + 3000 * 0x22222222) >>> 0);
  // Forced, the function is translated again for paging on (blockexec's
  // jitForget) rather than left to the block executor: seven compiles, six
  // without the second translation.
  assert.ok(stats.force.compiled >= 7, `${stats.force.compiled} regions compiled`);
});

// A function translated while DS is flat, called again with DS based at
// 0x20000 (loaded outside it): its reads through DS must add the base
// (translated code that assumed a flat DS checks it on entry).
// At 0x10000: lgdt [gdtr] / mov [0x3000], 1 / mov [0x23000], 100 / xor ebx, ebx
//   mov eax, 0x11000 / call eax / mov eax, 0x18 / mov ds, eax / mov eax, 0x11000 / call eax
//   mov eax, 0x10 / mov ds, eax / mov eax, ebx / out 0xf4, al / hlt
//   gdt: null, flat code, flat data, data based at 0x20000
// At 0x11000: mov ecx, 3000 / 1: add ebx, [0x3000] / loop 1b / ret
const DS_SWITCH_MAIN = [
  0x0f, 0x01, 0x15, 0x60, 0x00, 0x01, 0x00, 0xc7, 0x05, 0x00, 0x30, 0x00, 0x00, 0x01, 0x00, 0x00,
  0x00, 0xc7, 0x05, 0x00, 0x30, 0x02, 0x00, 0x64, 0x00, 0x00, 0x00, 0x31, 0xdb, 0xb8, 0x00, 0x10,
  0x01, 0x00, 0xff, 0xd0, 0xb8, 0x18, 0x00, 0x00, 0x00, 0x8e, 0xd8, 0xb8, 0x00, 0x10, 0x01, 0x00,
  0xff, 0xd0, 0xb8, 0x10, 0x00, 0x00, 0x00, 0x8e, 0xd8, 0x89, 0xd8, 0xe6, 0xf4, 0xf4, 0x90, 0x90,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x9a, 0xcf, 0x00,
  0xff, 0xff, 0x00, 0x00, 0x00, 0x92, 0xcf, 0x00, 0xff, 0xff, 0x00, 0x00, 0x02, 0x92, 0xcf, 0x00,
  0x1f, 0x00, 0x40, 0x00, 0x01, 0x00,
];
const DS_SWITCH_F = [0xb9, 0xb8, 0x0b, 0x00, 0x00, 0x03, 0x1d, 0x00, 0x30, 0x00, 0x00, 0xe2, 0xf8, 0xc3];
const DS_SWITCH = twoPages(DS_SWITCH_MAIN, DS_SWITCH_F);

test("a function translated with a flat DS, called with a based one: its reads add the base, in every tier", async () => {
  const { out, stats } = await inEveryTier(DS_SWITCH, 1_000_000);
  same(out, "DS based");
  assert.ok(stats.force.translated > 0, "the loop ran translated");
  assert.is(JSON.parse(out.interp).r.ebx, 3000 * 1 + 3000 * 100);
});

// Shifts by CL = 1, where the SDM defines OF: 0 for sar, the operand's top
// bit for shr, the result's top bit xor CF for shl. ESI counts sar's OF
// (0), EDI shr's and shl's (1000 each).
// mov ecx, 1 / mov ebx, 1000 / xor edx, edx / xor esi, esi / xor edi, edi
// loop: mov eax, 0x80000000 / sar eax, cl / seto dl / add esi, edx / mov eax, 0x80000000 / shr eax, cl
//   seto dl / add edi, edx / shl eax, cl / seto dl / add edi, edx / dec ebx / jnz loop
//   lea eax, [esi + edi*2] / out 0xf4, al / hlt
const SHIFT_BY_CL = [
  0xb9, 0x01, 0x00, 0x00, 0x00, 0xbb, 0xe8, 0x03, 0x00, 0x00, 0x31, 0xd2,
  0x31, 0xf6, 0x31, 0xff, 0xb8, 0x00, 0x00, 0x00, 0x80, 0xd3, 0xf8, 0x0f,
  0x90, 0xc2, 0x01, 0xd6, 0xb8, 0x00, 0x00, 0x00, 0x80, 0xd3, 0xe8, 0x0f,
  0x90, 0xc2, 0x01, 0xd7, 0xd3, 0xe0, 0x0f, 0x90, 0xc2, 0x01, 0xd7, 0x4b,
  0x75, 0xde, 0x8d, 0x04, 0x7e, 0xe6, 0xf4, 0xf4,
];

test("shifts by CL of 1: OF as the SDM defines it, in every tier", async () => {
  const { out } = await inEveryTier(SHIFT_BY_CL, 1_000_000);
  same(out, "shift by CL");
  const r = JSON.parse(out.force).r;
  assert.is(r.esi, 0);
  assert.is(r.edi, 2000);
});

// A switch through a table in another page: the region takes the table's
// targets as members when it is compiled; halfway the program points the
// table's first entry at a block the table did not hold (c2), and the
// region must leave for it. By hand: 5000 x 1 + 10000 x 3 + 5000 x 100.
// mov ecx, 20000 / xor eax, eax
// loop: mov edi, ecx / and edi, 1 / cmp ecx, 10000 / jne 1f / mov dword [table], c2
//   1: jmp [table + edi*4]
// c0: add eax, 1 / jmp back    c1: add eax, 3 / jmp back    c2: add eax, 100 / jmp back
// back: dec ecx / jnz loop / out 0xf4, al / hlt
// table (at 0x11000): c0, c1
const SWITCH_CODE = [
  0xb9, 0x20, 0x4e, 0x00, 0x00, 0x31, 0xc0, 0x89, 0xcf, 0x83, 0xe7, 0x01, 0x81, 0xf9, 0x10, 0x27, 0x00, 0x00,
  0x75, 0x0a, 0xc7, 0x05, 0x00, 0x10, 0x01, 0x00, 0x2f, 0x00, 0x01, 0x00, 0xff, 0x24, 0xbd, 0x00, 0x10, 0x01,
  0x00, 0x83, 0xc0, 0x01, 0xeb, 0x0a, 0x83, 0xc0, 0x03, 0xeb, 0x05, 0x83, 0xc0, 0x64, 0xeb, 0x00, 0x49, 0x75,
  0xd0, 0xe6, 0xf4, 0xf4,
];
const SWITCH = [...SWITCH_CODE, ...new Array(0x1000 - SWITCH_CODE.length).fill(0), 0x25, 0x00, 0x01, 0x00, 0x2a, 0x00, 0x01, 0x00];

test("a jump table rewritten after the region took its targets: every tier follows the new entry", async () => {
  const { out } = await inEveryTier(SWITCH, 1_000_000);
  same(out, "switch");
  assert.is(JSON.parse(out.force).r.eax, 535_000);
});

// mov ecx, 1000 / xor eax, eax
// loop: mov [patch + 1], ecx / jmp b / 16 x nop
// b: patch: mov ebx, 0 / add eax, ebx / rol eax, 3 / dec ecx / jnz loop / out 0xf4, al / hlt
const PATCHING = [
  0xb9, 0xe8, 0x03, 0x00, 0x00, 0x31, 0xc0, 0x89, 0x0d, 0x20, 0x00, 0x01,
  0x00, 0xeb, 0x10, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
  0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0xbb, 0x00, 0x00, 0x00, 0x00,
  0x01, 0xd8, 0xc1, 0xc0, 0x03, 0x49, 0x75, 0xdb, 0xe6, 0xf4, 0xf4,
];

test("a block that patches another block of its region: the next pass runs the new code", async () => {
  const { out } = await inEveryTier(PATCHING, 1_000_000);
  same(out, "patching");
  assert.match(out.interp, /"reason":"exit"/);
  // The sum of rotated counters differs from the unpatched loop's (which adds 0).
  assert.not.match(out.interp, /"eax":0,/);
});

// A loop calling, through a register, a function on the next page: each
// call and each return leaves one region for the other. The block executor
// must take such a transfer itself and not hand every one back to the run
// loop (a region's dispatch miss once said STOP whenever it had run
// anything).
//   mov ecx, 20000 / xor eax, eax / mov esi, f
//   loop: call esi / add eax, ecx / dec ecx / jnz loop / out 0xf4, al / hlt
//   (at +0x1000) f: add eax, 3 / ret
const CROSS_HEAD = [
  0xb9, 0x20, 0x4e, 0x00, 0x00, 0x31, 0xc0, 0xbe, 0x00, 0x10, 0x01, 0x00,
  0xff, 0xd6, 0x01, 0xc8, 0x49, 0x75, 0xf9, 0xe6, 0xf4, 0xf4,
];
const CROSS_F = [0x83, 0xc0, 0x03, 0xc3];

test("calls between regions on two pages stay in the block executor", async () => {
  const code = [...CROSS_HEAD, ...new Array(0x1000 - CROSS_HEAD.length).fill(0), ...CROSS_F];
  let expected = 0;
  for (let ecx = 20000; ecx > 0; ecx--) expected = (expected + 3 + ecx) >>> 0;
  for (const [name, o] of Object.entries({ blocks: tiers.blocks, force: tiers.force })) {
    const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, ...o });
    m.ram.set(code, CODE_AT);
    m.bootFlat(CODE_AT);
    m.setRegister("esp", 0x9000);
    const outcome = await m.runUntilDone({ maxInstructions: 1_000_000 });
    assert.is(outcome.reason, "exit", name);
    assert.is(m.registers().eax >>> 0, expected, name);
    // 40,000 transfers between the pages; the run loop's own calls are few.
    assert.ok(m.blockRuns > 0 && m.blockRuns < 2000, `${name}: ${m.blockRuns} block executor calls`);
  }
});

test("a background compile that lands after its table index was reused is dropped", async () => {
  // Two modules of the stub's shape, answering 1 and 2.
  const answering = (v: number) => new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 7, 1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 3, 2, 1, 0,
    7, 5, 1, 1, 0x66, 0, 0, 10, 6, 1, 4, 0, 0x41, v, 0x0b,
  ]);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const bytes = new Uint8Array(memory.buffer);
  const link = jitLink();
  link.attach({ memory } as unknown as WebAssembly.Exports);
  const one = answering(1), two = answering(2);
  bytes.set(one, 0);
  bytes.set(two, 100);
  link.background = true;
  assert.is(link.compile(0, one.length, 3, 1), 1);
  assert.is(link.pending, 1);
  const call = (i: number) => (link.table.get(i) as (a: number, b: number) => number)(0, 0);
  assert.is(call(3), 0x20000000, "the stub holds the index while the module compiles");
  // The core flushed its cache and handed index 3 out again, compiled at once.
  link.background = false;
  assert.is(link.compile(100, two.length, 3, 1), 1);
  assert.is(call(3), 2);
  for (let i = 0; i < 50 && link.pending > 0; i++) await new Promise((r) => setTimeout(r, 2));
  await new Promise((r) => setTimeout(r, 20));
  assert.is(call(3), 2, "the late compile did not replace the newer function");
  // And one that lands normally takes the index.
  link.background = true;
  assert.is(link.compile(0, one.length, 4, 1), 1);
  for (let i = 0; i < 100 && link.pending > 0; i++) await new Promise((r) => setTimeout(r, 2));
  assert.is(link.pending, 0);
  assert.is(call(4), 1);
});

test.run();
