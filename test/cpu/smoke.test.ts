// First CPU checks on hand-assembled code (the encodings are written out
// next to each byte string). Expected values follow the SDM's definitions.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCode, HLT, CF, PF, AF, ZF, SF, OF, ARITH } from "../helpers/code.js";

const flags = (f: number) => f & ARITH;

test("add sets every arithmetic flag per the SDM", async () => {
  // mov eax, 0x7fffffff ; add eax, 1 ; hlt
  const { regs } = await runCode([0xb8, 0xff, 0xff, 0xff, 0x7f, 0x83, 0xc0, 0x01, HLT]);
  assert.is(regs.eax, 0x80000000);
  // signed overflow, negative, carry out of bit 3, low byte 0x00 has even parity
  assert.is(flags(regs.eflags), OF | SF | AF | PF);
});

test("sub borrow: 0 - 1", async () => {
  // xor eax, eax ; sub eax, 1 ; hlt
  const { regs } = await runCode([0x31, 0xc0, 0x83, 0xe8, 0x01, HLT]);
  assert.is(regs.eax, 0xffffffff);
  assert.is(flags(regs.eflags), CF | SF | AF | PF);
});

test("inc leaves CF alone; dec to zero sets ZF", async () => {
  // stc ; mov ecx, 1 ; dec ecx ; inc ebx ; dec ebx ; hlt
  const { regs } = await runCode([0xf9, 0xb9, 1, 0, 0, 0, 0x49, 0x43, 0x4b, HLT]);
  assert.is(regs.ecx, 0);
  assert.is(regs.ebx, 0);
  assert.ok(regs.eflags & CF, "CF kept from stc through inc/dec");
  assert.ok(regs.eflags & ZF);
});

test("a counted loop: the sum of 1..100", async () => {
  // xor eax,eax ; mov ecx,100 ; l: add eax,ecx ; loop l ; hlt
  const { regs } = await runCode([0x31, 0xc0, 0xb9, 100, 0, 0, 0, 0x01, 0xc8, 0xe2, 0xfc, HLT]);
  assert.is(regs.eax, 5050);
  assert.is(regs.ecx, 0);
});

test("operand-size prefix: mov ax leaves the upper half", async () => {
  // mov eax, 0xaabbccdd ; mov ax, 0x1234 (66 b8) ; hlt
  const { regs } = await runCode([0xb8, 0xdd, 0xcc, 0xbb, 0xaa, 0x66, 0xb8, 0x34, 0x12, HLT]);
  assert.is(regs.eax, 0xaabb1234);
});

test("8-bit registers: AH is bits 8..15 of EAX", async () => {
  // mov eax, 0x11223344 ; mov ah, 0x99 ; mov bl, ah ; hlt
  const { regs } = await runCode([0xb8, 0x44, 0x33, 0x22, 0x11, 0xb4, 0x99, 0x88, 0xe3, HLT]);
  assert.is(regs.eax, 0x11229944);
  assert.is(regs.ebx & 0xff, 0x99);
});

test("call, push, pop, ret through a stack", async () => {
  // mov esp, 0x8000 ; call f ; hlt ; f: push 7 ; pop eax ; ret
  const { regs } = await runCode([
    0xbc, 0x00, 0x80, 0, 0, 0xe8, 0x01, 0, 0, 0, HLT, 0x6a, 0x07, 0x58, 0xc3,
  ]);
  assert.is(regs.eax, 7);
  assert.is(regs.esp, 0x8000);
});

test("mul and div: 64-bit product and quotient", async () => {
  // mov eax, 0x12345678 ; mov ecx, 0x100 ; mul ecx ; mov ebx, 0x12345 ; div ebx ; hlt
  const { regs } = await runCode([
    0xb8, 0x78, 0x56, 0x34, 0x12, 0xb9, 0x00, 0x01, 0, 0, 0xf7, 0xe1, 0xbb, 0x45, 0x23, 1, 0, 0xf7, 0xf3, HLT,
  ]);
  const n = 0x12345678n * 0x100n;
  assert.ok(n / 0x12345n < 2n ** 32n, "the test's quotient fits");
  assert.is(regs.eax, Number(n / 0x12345n));
  assert.is(regs.edx, Number(n % 0x12345n));
  assert.ok(regs.eflags & CF, "mul: CF set because EDX was non-zero");
});

test("div with a quotient that does not fit raises #DE", async () => {
  // mov edx, 1 ; xor eax, eax ; mov ecx, 1 ; div ecx
  const { outcome } = await runCode([0xba, 1, 0, 0, 0, 0x31, 0xc0, 0xb9, 1, 0, 0, 0, 0xf7, 0xf1]);
  assert.is(outcome.reason, "shutdown");
  if (outcome.reason === "shutdown") assert.match(outcome.report, /chain: #0 -> /);
});

test("rep stosd and rep movsb", async () => {
  // mov edi, 0x20000 ; mov eax, 0x61616161 ; mov ecx, 4 ; rep stosd
  // mov esi, 0x20000 ; mov edi, 0x20100 ; mov ecx, 16 ; rep movsb ; hlt
  const { m, regs } = await runCode([
    0xbf, 0, 0, 2, 0, 0xb8, 0x61, 0x61, 0x61, 0x61, 0xb9, 4, 0, 0, 0, 0xf3, 0xab,
    0xbe, 0, 0, 2, 0, 0xbf, 0, 1, 2, 0, 0xb9, 16, 0, 0, 0, 0xf3, 0xa4, HLT,
  ]);
  assert.is(Buffer.from(m.ram.subarray(0x20100, 0x20110)).toString(), "a".repeat(16));
  assert.is(m.ram[0x20110], 0);
  assert.is(regs.ecx, 0);
  assert.is(regs.edi, 0x20110);
});

test("division by zero with no IDT ends in a triple fault, reported", async () => {
  // xor ecx, ecx ; div ecx
  const { outcome } = await runCode([0x31, 0xc9, 0xf7, 0xf1]);
  assert.is(outcome.reason, "shutdown");
  if (outcome.reason !== "shutdown") return;
  assert.match(outcome.report, /triple fault \(exception chain: #0 -> #13 -> #8 -> #13\)/);
  assert.match(outcome.report, /EIP=00010002/, "EIP at the faulting instruction");
});

test("undefined opcode raises #UD (0F FF)", async () => {
  const { outcome } = await runCode([0x0f, 0xff]);
  assert.is(outcome.reason, "shutdown");
  // #UD is benign: the #GP from the empty IDT is taken next, then #DF.
  if (outcome.reason === "shutdown") assert.match(outcome.report, /chain: #6 -> #13 -> #13 -> #8 -> #13\)/);
});

test("an instruction longer than 15 bytes raises #GP", async () => {
  // fourteen 0x66 prefixes and then mov eax, imm32: 19 bytes
  const { outcome } = await runCode([...Array(14).fill(0x66), 0xb8, 1, 2, 3, 4]);
  assert.is(outcome.reason, "shutdown");
  if (outcome.reason === "shutdown") assert.match(outcome.report, /chain: #13 -> /);
});

test("out to 0xF4 exits with (value << 1) | 1", async () => {
  // mov eax, 21 ; out 0xf4, eax
  const { outcome } = await runCode([0xb8, 21, 0, 0, 0, 0xe7, 0xf4]);
  assert.equal(outcome, { reason: "exit", exitCode: 43 });
});

test("port 0xE9 is the debug console: bytes go to onDebugcon, reads answer 0xE9", async () => {
  const { Machine } = await import("../../host/machine.js");
  const { coreModule } = await import("../helpers/machine.js");
  let dbg = "";
  const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, onDebugcon: (b) => { dbg += Buffer.from(b).toString(); } });
  // mov al, 'o' ; out 0xe9, al ; mov al, 'k' ; out 0xe9, al ; in al, 0xe9 ; hlt
  m.ram.set([0xb0, 0x6f, 0xe6, 0xe9, 0xb0, 0x6b, 0xe6, 0xe9, 0xe4, 0xe9, HLT], 0x10000);
  m.bootFlat(0x10000);
  await m.runUntilDone({ maxInstructions: 100 });
  assert.is(dbg, "ok");
  assert.is(m.registers().eax & 0xff, 0xe9);
});

test("the instruction budget stops a spinning guest", async () => {
  // jmp $
  const { outcome, m } = await runCode([0xeb, 0xfe], { maxInstructions: 5000 });
  assert.is(outcome.reason, "limit");
  assert.is(m.instructions, 5000);
});

test("cpuid: a GenuineIntel P6 that reports only what is built (an x87 with FXSR; no MMX/SSE, no PAE)", async () => {
  // xor eax,eax ; cpuid ; mov esi,ebx ; mov edi,edx ; mov ebp,ecx ; hlt
  const v = (await runCode([0x31, 0xc0, 0x0f, 0xa2, 0x89, 0xde, 0x89, 0xd7, 0x89, 0xcd, HLT])).regs;
  const vendor = Buffer.alloc(12);
  vendor.writeUInt32LE(v.esi, 0); vendor.writeUInt32LE(v.edi, 4); vendor.writeUInt32LE(v.ebp, 8);
  assert.is(vendor.toString("latin1"), "GenuineIntel");
  assert.ok(v.eax >= 1, "leaf 1 exists");
  // mov eax,1 ; cpuid ; hlt
  const f = (await runCode([0xb8, 1, 0, 0, 0, 0x0f, 0xa2, HLT])).regs;
  assert.is((f.eax >> 8) & 0xf, 6, "family 6");
  const FPU = 1, TSC = 1 << 4, MSR = 1 << 5, CX8 = 1 << 8, SEP = 1 << 11, CMOV = 1 << 15, FXSR = 1 << 24;
  assert.is(f.edx >>> 0, FPU | TSC | MSR | CX8 | SEP | CMOV | FXSR);
  assert.is(f.ecx, 0);
});

test("0F 19..1F with ModRM are NOPs, even with a memory operand no one could read", async () => {
  // nop [0xfffffff0] as 0F 1F 05 disp32 ; 0F 19 C0 ; 0F 1E 04 24 ; mov eax,7 ; hlt
  const { regs, outcome } = await runCode([0x0f, 0x1f, 0x05, 0xf0, 0xff, 0xff, 0xff, 0x0f, 0x19, 0xc0,
    0x0f, 0x1e, 0x04, 0x24, 0xb8, 7, 0, 0, 0, HLT]);
  assert.is(outcome.reason, "halted");
  assert.is(regs.eax, 7);
});

test("DR4/DR5 alias DR6/DR7, or #UD with CR4.DE", async () => {
  // mov eax,0x1234 ; mov dr7,eax ; mov ebx,dr5 ; hlt
  let r = await runCode([0xb8, 0x34, 0x12, 0, 0, 0x0f, 0x23, 0xf8, 0x0f, 0x21, 0xeb, HLT]);
  assert.is(r.regs.ebx, 0x1234);
  // mov eax,8 ; mov cr4,eax ; mov ebx,dr5 -> #UD with no IDT: a triple fault starting with #6
  r = await runCode([0xb8, 8, 0, 0, 0, 0x0f, 0x22, 0xe0, 0x0f, 0x21, 0xeb, HLT]);
  assert.is(r.outcome.reason, "shutdown");
  assert.match((r.outcome as { report: string }).report, /chain: #6 ->/);
});

test("fwait raises #NM only with CR0.MP and CR0.TS both set", async () => {
  // mov eax,cr0 ; or eax,2 ; mov cr0,eax ; fwait ; hlt  (MP only: no fault)
  let r = await runCode([0x0f, 0x20, 0xc0, 0x83, 0xc8, 0x02, 0x0f, 0x22, 0xc0, 0x9b, HLT]);
  assert.is(r.outcome.reason, "halted");
  // ... or eax,0xa (MP and TS) ... fwait: #NM
  r = await runCode([0x0f, 0x20, 0xc0, 0x83, 0xc8, 0x0a, 0x0f, 0x22, 0xc0, 0x9b, HLT]);
  assert.match((r.outcome as { report: string }).report, /chain: #7 ->/);
});

test.run();
