// The x87 and the rest of the CPU (SDM vol. 3, 2.5 and 9.2; vol. 1, 8.7):
// #NM from CR0.EM and TS (and fwait's MP rule), a pending unmasked exception
// reported as #MF by the next waiting instruction but not by a no-wait one,
// and fxsave/fxrstor's image and alignment. Faults run with no IDT, so the
// vector shows in the triple fault's chain. Hand-assembled bytes; the
// instructions are in the comments.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCode, HLT } from "../helpers/code.js";

const chain = (o: unknown) => (o as { report?: string }).report ?? JSON.stringify(o);

test("an ESC instruction with CR0.EM raises #NM", async () => {
  // mov eax,cr0 ; or eax,4 (EM) ; mov cr0,eax ; fld1 ; hlt
  const { outcome } = await runCode([0x0f, 0x20, 0xc0, 0x83, 0xc8, 0x04, 0x0f, 0x22, 0xc0, 0xd9, 0xe8, HLT]);
  assert.is(outcome.reason, "shutdown");
  assert.match(chain(outcome), /chain: #7 ->/);
});

test("with CR0.TS: fwait runs unless MP is set too, an ESC instruction raises #NM", async () => {
  // mov eax,cr0 ; or eax,8 (TS) ; mov cr0,eax ; fwait ; mov ebx,7 ; fld1 ; hlt
  let r = await runCode([0x0f, 0x20, 0xc0, 0x83, 0xc8, 0x08, 0x0f, 0x22, 0xc0, 0x9b, 0xbb, 0x07, 0, 0, 0, 0xd9, 0xe8, HLT]);
  assert.is(r.outcome.reason, "shutdown");
  assert.match(chain(r.outcome), /chain: #7 ->/);
  assert.is(r.regs.ebx, 7, "fwait went by");
  // mov eax,cr0 ; or eax,0xa (MP TS) ; mov cr0,eax ; fwait ; hlt
  r = await runCode([0x0f, 0x20, 0xc0, 0x83, 0xc8, 0x0a, 0x0f, 0x22, 0xc0, 0x9b, HLT]);
  assert.is(r.outcome.reason, "shutdown");
  assert.match(chain(r.outcome), /chain: #7 ->/);
});

test("an unmasked divide by zero is reported by the next waiting instruction as #MF (CR0.NE), not by fnstsw", async () => {
  // mov eax,cr0 ; or eax,0x20 (NE) ; mov cr0,eax ; fninit ; fnstcw [0x20000] ;
  // and word [0x20000],0xfffb (unmask ZE) ; fldcw [0x20000] ; fld1 ; fldz ;
  // fdivp st(1),st ; fnstsw ax ; mov ebx,eax ; fld1 ; hlt
  const { outcome, regs } = await runCode([0x0f, 0x20, 0xc0, 0x83, 0xc8, 0x20, 0x0f, 0x22, 0xc0, 0xdb, 0xe3, 0xd9, 0x3d, 0, 0, 2, 0,
    0x66, 0x83, 0x25, 0, 0, 2, 0, 0xfb, 0xd9, 0x2d, 0, 0, 2, 0, 0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9, 0xdf, 0xe0, 0x89, 0xc3,
    0xd9, 0xe8, HLT]);
  assert.is(outcome.reason, "shutdown");
  assert.match(chain(outcome), /chain: #16 ->/);
  // ZE, ES and B; TOP = 6: an unmasked exception leaves the destination
  // and the stack as they were, no pop (this host's x87 gives b084 too).
  assert.is(regs.ebx & 0xffff, 0x8000 | 0x3000 | 0x80 | 0x04);
});

test("without CR0.NE a pending exception raises FERR#, IRQ 13, and the instruction goes on; port 0xF0 clears it", async () => {
  // fninit ; fnstcw [0x20000] ; and word [0x20000],0xfffb (unmask ZE) ;
  // fldcw [0x20000] ; fld1 ; fldz ; fdivp st(1),st ; fwait ; mov ebx,7 ; hlt
  const { m, outcome, regs } = await runCode([0xdb, 0xe3, 0xd9, 0x3d, 0, 0, 2, 0, 0x66, 0x83, 0x25, 0, 0, 2, 0, 0xfb,
    0xd9, 0x2d, 0, 0, 2, 0, 0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9, 0x9b, 0xbb, 7, 0, 0, 0, HLT]);
  assert.is(outcome.reason, "halted");
  assert.is(regs.ebx, 7, "fwait went on");
  const slaveIrr = () => { m.ioWrite(0xa0, 0x0a); return m.ioRead(0xa0); }; // OCW3: read IRR
  assert.is(slaveIrr() & 0x20, 0x20, "IRQ 13 requested");
  m.ioWrite(0xf0, 0);
  assert.is(slaveIrr() & 0x20, 0, "cleared by a write to port 0xF0");
});

test("fxsave needs a 16-byte aligned operand (#GP)", async () => {
  // fninit ; fld1 ; fldpi ; fxsave [0x20008] ; hlt
  const { outcome } = await runCode([0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0xeb, 0x0f, 0xae, 0x05, 0x08, 0, 2, 0, HLT]);
  assert.is(outcome.reason, "shutdown");
  assert.match(chain(outcome), /chain: #13 ->/);
});

test("fxsave's image (SDM vol. 2, FXSAVE table 3-53) and fxrstor bring the registers back", async () => {
  // fninit ; fldpi ; fld1 ; fxsave [0x20000] ; fninit ; fxrstor [0x20000] ;
  // fstp tword [0x20200] ; fstp tword [0x2020a] ; fnstsw ax ; hlt
  const { m, outcome, regs } = await runCode([0xdb, 0xe3, 0xd9, 0xeb, 0xd9, 0xe8, 0x0f, 0xae, 0x05, 0, 0, 2, 0, 0xdb, 0xe3,
    0x0f, 0xae, 0x0d, 0, 0, 2, 0, 0xdb, 0x3d, 0, 2, 2, 0, 0xdb, 0x3d, 0x0a, 2, 2, 0, 0xdf, 0xe0, HLT]);
  assert.is(outcome.reason, "halted");
  const img = Buffer.from(m.ram.subarray(0x20000, 0x20000 + 512));
  assert.is(img.readUInt16LE(0), 0x037f, "FCW");
  assert.is((img.readUInt16LE(2) >> 11) & 7, 6, "FSW's TOP");
  assert.is(img[4], 0xc0, "abridged tag: physical registers 6 and 7 in use");
  assert.is(img.readUInt16LE(6), 0x0e8 | 0x100, "FOP of fld1 (D9 E8)");
  // ST(0) = 1.0, ST(1) = pi at 32 and 48.
  assert.is(img.readBigUInt64LE(32), 0x8000000000000000n);
  assert.is(img.readUInt16LE(40), 0x3fff);
  assert.is(img.readBigUInt64LE(48), 0xc90fdaa22168c235n);
  assert.is(img.readUInt16LE(56), 0x4000);
  const out = Buffer.from(m.ram.subarray(0x20200, 0x20214));
  assert.is(out.readBigUInt64LE(0), 0x8000000000000000n, "1.0 back from fxrstor");
  assert.is(out.readBigUInt64LE(10), 0xc90fdaa22168c235n, "pi back");
  assert.is((regs.eax >> 11) & 7, 0, "both popped");
});

test.run();
