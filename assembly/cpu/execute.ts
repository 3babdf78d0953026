// The instruction dispatcher: prefixes, then one dense switch per opcode map
// (one-byte and 0x0F two-byte). Handlers are width-generic (T = u8, u16,
// u32) so that the 16- and 32-bit forms are one source.
import { CPL, CODE32, EIP as EIP_ADDR, EVENTS } from "../layout";
import { retireN } from "../dev/clock";
import { fastInsn, FAST_MAX_LENGTH } from "./fastpath";
import { daa, das, aaa, aas, aam, aad } from "./bcd";
import { deliver } from "./interrupt";
import {
  reg32, setReg32, reg16, setReg16, reg8, setReg8, getReg, setReg, segSel, segBase, faulted, raise, raiseCode,
  protectedMode, interruptShadow, EAX, ECX, EDX, EBX, ESP, EBP, ES, CS, SS, DS, FS, GS, UD, GP, BP, OF as OFV, NM,
} from "./state";
import {
  insnStart, nextIp, setNextIp, code32, endInsn, countPrefix, opsize32, addr32, modrm, eaOffset, segOverride, beginInsn, setOpsize, setAddrsize, setSegOverride,
  setRep, setLock, fetch8, fetch16, fetch32, fetchS8, fetchImmV, decodeModRM, fetchAt, fetchS8At, fetchImmVAt, immVSize, decodeModRMAt, isReg, regField, rmField,
  readRM, readRMW, writeRM, readMem, writeMem, readMemAt, getRegOp, setRegOp, setEA, dataSeg, eaLin,
  invalidateFetch, readSeg, fetchWindowValid, fetchWindowIp, fetchWindowPtr,
} from "./decode";
import { alu, inc, dec, neg, test, maskOf, ADD, OR, ADC, SBB, AND, SUB, XOR, CMP } from "./alu";
import { shift } from "./shift";
import { mul, imul1, imulTrunc, div, idiv } from "./muldiv";
import {
  getFlags, setFlags, testCC, getCF, putFlag, VM, materialize, setLazy, setResultFlags, Op, CF, AF, DF as DFLAG, ARITH, ZF,
  SF, PF, OF,
} from "./flags";
import { push, pop, peek, addSP, stack32 } from "./stack";
import {
  jumpNear, jumpRel, nearTarget, callNear, retNear, softInt, counter, setCounter,
} from "./control";
import { jumpFar, callFar, retFar, iret, writableFlags } from "./far";
import { movs, cmps, stos, lods, scas, ins, outs } from "./string";
import { inAcc, outAcc } from "./io";
import { loadSeg } from "./segment";
import { selectorQuery, LAR, LSL, VERR, VERW } from "./access";
import {
  loadDescTable, lldt, ltr, readCR, writeCR, hlt, setIF, cpuid, rdtsc, rdmsr, wrmsr, requireRing0, sysenter, sysexit, invlpg,
} from "./system";
import { readLin, readLinForWrite, writeLin, probeWrite } from "../mmu/memory";
import { CR0, CR4, DR, GDTR_BASE, GDTR_LIMIT, IDTR_BASE, IDTR_LIMIT, LDTR_SEL, TR_SEL } from "../layout";

// ---- Operand forms -----------------------------------------------------------
// Each takes the cursor after the opcode and returns the EIP of the next
// instruction: the cursor stays a local (see execute()).

// 00..3F with (opcode & 7) < 6: the ALU operation is opcode >> 3.
// @ts-ignore: decorator
@inline function aluEG<T>(op: u32, ip: u32): u32 {
  ip = decodeModRMAt(ip);
  if (isReg()) {
    const r = alu<T>(op, getReg<T>(rmField()), getRegOp<T>());
    if (op != CMP) setReg<T>(rmField(), r);
    return ip;
  }
  const a = op == CMP ? readRM<T>() : readRMW<T>();
  const b = getRegOp<T>();
  if (faulted()) return ip;
  const r = alu<T>(op, a, b);
  if (op != CMP) writeRM<T>(r);
  return ip;
}

// @ts-ignore: decorator
@inline function aluGE<T>(op: u32, ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const b = readRM<T>();
  if (!isReg() && faulted()) return ip;
  const r = alu<T>(op, getRegOp<T>(), b);
  if (op != CMP) setRegOp<T>(r);
  return ip;
}

// An immediate of the operand width T at ip.
// @ts-ignore: decorator
@inline function immAt<T>(ip: u32): u32 {
  return sizeof<T>() == 1 ? fetchAt<u8>(ip) : sizeof<T>() == 2 ? fetchAt<u16>(ip) : fetchAt<u32>(ip);
}

// @ts-ignore: decorator
@inline function aluAI<T>(op: u32, ip: u32): u32 {
  const b = immAt<T>(ip);
  if (faulted()) return ip;
  const r = alu<T>(op, getReg<T>(EAX), b);
  if (op != CMP) setReg<T>(EAX, r);
  return ip + sizeof<T>();
}

// 80..83: ALU r/m, imm (83 sign-extends an 8-bit immediate).
// @ts-ignore: decorator
@inline function group1<T>(signExt8: bool, ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const op = regField();
  let b: u32;
  if (signExt8) { b = fetchS8At(ip) & maskOf<T>(); ip++; }
  else { b = immAt<T>(ip); ip += sizeof<T>(); }
  const a = op == CMP ? readRM<T>() : readRMW<T>();
  if (faulted()) return ip;
  const r = alu<T>(op, a, b);
  if (op != CMP) writeRM<T>(r);
  return ip;
}

// Group 2 shifts; count: 1, CL, or an imm8 (-1 here means "fetch imm8").
// @ts-ignore: decorator
@inline function group2<T>(countKind: i32, ip: u32): u32 {
  ip = decodeModRMAt(ip);
  let count: u32;
  if (countKind == 1) count = 1;
  else if (countKind == 0) count = reg8(ECX);
  else { count = fetchAt<u8>(ip); ip++; }
  const x = readRMW<T>();
  if (faulted()) return ip;
  writeRM<T>(shift<T>(regField(), x, count));
  return ip;
}

// F6/F7: test not neg mul imul div idiv.
// @ts-ignore: decorator
@inline function group3<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const op = regField();
  if (op < 2) { // test r/m, imm (/1 is an undocumented alias)
    const b = immAt<T>(ip);
    ip += sizeof<T>();
    const a = readRM<T>();
    if (faulted()) return ip;
    test<T>(a, b);
    return ip;
  }
  if (op < 4) {
    const a = readRMW<T>();
    if (faulted()) return ip;
    writeRM<T>(op == 2 ? ~a & maskOf<T>() : neg<T>(a));
    return ip;
  }
  const src = readRM<T>();
  if (faulted()) return ip;
  switch (op) {
    case 4: mul<T>(src); break;
    case 5: imul1<T>(src); break;
    case 6: div<T>(src); break;
    default: idiv<T>(src); break;
  }
  return ip;
}

// After the ModRM byte has been decoded.
// @ts-ignore: decorator
@inline function incDecRM<T>(isDec: bool): void {
  const a = readRMW<T>();
  if (faulted()) return;
  writeRM<T>(isDec ? dec<T>(a) : inc<T>(a));
}

// @ts-ignore: decorator
@inline function movEG<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  writeRM<T>(getRegOp<T>());
  return ip;
}

// @ts-ignore: decorator
@inline function movGE<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const v = readRM<T>();
  if (!isReg() && faulted()) return ip;
  setRegOp<T>(v);
  return ip;
}

// mov r/m, imm (C6, C7).
// @ts-ignore: decorator
@inline function movEI<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const v = immAt<T>(ip);
  if (!faulted()) writeRM<T>(v);
  return ip + sizeof<T>();
}

// @ts-ignore: decorator
@inline function xchgEG<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const a = readRMW<T>();
  if (faulted()) return ip;
  writeRM<T>(getRegOp<T>());
  setRegOp<T>(a);
  return ip;
}

// @ts-ignore: decorator
@inline function testEG<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const a = readRM<T>();
  if (faulted()) return ip;
  test<T>(a, getRegOp<T>());
  return ip;
}

// The moffs forms (A0..A3): an address of the address size, no ModRM.
// @ts-ignore: decorator
@inline function moffs(ip: u32): u32 {
  if (addr32) { setEA(dataSeg(), fetchAt<u32>(ip)); return ip + 4; }
  setEA(dataSeg(), fetchAt<u16>(ip));
  return ip + 2;
}

// imul r, r/m, imm (69 with an immediate of the operand size, 6B with imm8).
// @ts-ignore: decorator
@inline function imul3<T>(imm8: bool, ip: u32): u32 {
  ip = decodeModRMAt(ip);
  let imm: u32;
  if (imm8) { imm = fetchS8At(ip) & maskOf<T>(); ip++; }
  else { imm = immAt<T>(ip); ip += sizeof<T>(); }
  const a = readRM<T>();
  if (!faulted()) setRegOp<T>(imulTrunc<T>(a, imm));
  return ip;
}

// @ts-ignore: decorator
@inline function pushV(v: u32): void { if (opsize32) push<u32>(v); else push<u16>(v); }
// @ts-ignore: decorator
@inline function popV(): u32 { return opsize32 ? pop<u32>() : pop<u16>(); }

// Segment pushes: a 32-bit push of a segment register writes 4 bytes
// (P6 writes only the low 16 bits, which compare equal on reads back).
function pushSeg(s: u32): void { pushV(segSel(s)); }

function popSeg(s: u32): void {
  const size: u32 = opsize32 ? 4 : 2;
  const v = (opsize32 ? peek<u32>(0) : peek<u16>(0)) & 0xffff;
  if (faulted()) return;
  if (!loadSeg(s, v)) return;
  addSP(size);
  if (s == SS) interruptShadow();
}

function movToSeg(): void {
  decodeModRM();
  const s = regField();
  if (s == CS || s > GS) { raise(UD); return; }
  const v = readRM<u16>();
  if (faulted()) return;
  if (loadSeg(s, v) && s == SS) interruptShadow();
}

function movFromSeg(): void {
  decodeModRM();
  const s = regField();
  if (s > GS) { raise(UD); return; }
  // To a register with a 32-bit operand the upper half is zeroed (P6).
  if (isReg()) { if (opsize32) setReg32(rmField(), segSel(s)); else setReg16(rmField(), segSel(s)); }
  else writeMem<u16>(segSel(s));
}

// lds/les/lfs/lgs/lss: offset then selector from memory.
function loadFarPointer(s: u32): void {
  decodeModRM();
  if (isReg()) { raise(UD); return; }
  const off = opsize32 ? readMem<u32>() : readMem<u16>();
  const sel = readMemAt<u16>(opsize32 ? 4 : 2);
  if (faulted()) return;
  if (!loadSeg(s, sel)) return;
  if (opsize32) setRegOp<u32>(off); else setRegOp<u16>(off);
}

// bound r, m: #BR when the signed index is outside [lower, upper].
function bound(): void {
  decodeModRM();
  if (isReg()) { raise(UD); return; }
  if (opsize32) {
    const lo = readMem<u32>(), hi = readMemAt<u32>(4);
    if (faulted()) return;
    const v = <i32>getRegOp<u32>();
    if (v < <i32>lo || v > <i32>hi) raise(5);
  } else {
    const lo = readMem<u16>(), hi = readMemAt<u16>(2);
    if (faulted()) return;
    const v = <i32><i16>getRegOp<u16>();
    if (v < <i32><i16>lo || v > <i32><i16>hi) raise(5);
  }
}

// arpl r/m16, r16: raise the destination selector's RPL to the source's.
function arpl(): void {
  if (!protectedMode() || (getFlags() & VM)) { raise(UD); return; }
  decodeModRM();
  const d = readRMW<u16>();
  if (faulted()) return;
  const s = getRegOp<u16>();
  if ((d & 3) < (s & 3)) {
    writeRM<u16>((d & ~3) | (s & 3));
    putFlag(ZF, true);
  } else {
    putFlag(ZF, false);
  }
}

// icebp (F1): a debug trap through vector 1, delivered like an exception.
function icebp(): void {
  store<u32>(EIP_ADDR, nextIp);
  deliver(1, false, false, 0);
  setNextIp(load<u32>(EIP_ADDR));
}

function pusha(): void {
  const sp = reg32(ESP);
  for (let r: u32 = 0; r < 8; r++) {
    const v = r == ESP ? sp : reg32(r);
    pushV(v);
    if (faulted()) { setReg32(ESP, sp); return; }
  }
}

function popa(): void {
  const size: u32 = opsize32 ? 4 : 2;
  // Read all eight first so that a fault leaves the registers untouched.
  for (let i: u32 = 0; i < 8; i++) {
    if (opsize32) peek<u32>(i * size); else peek<u16>(i * size);
  }
  if (faulted()) return;
  for (let i: u32 = 0; i < 8; i++) {
    const r = 7 - i;
    const v = opsize32 ? peek<u32>(i * size) : peek<u16>(i * size);
    if (r == ESP) continue; // the saved ESP is skipped
    if (opsize32) setReg32(r, v); else setReg16(r, v);
  }
  addSP(8 * size);
}

function enter(): void {
  const size = fetch16();
  const level = fetch8() & 31;
  if (faulted()) return;
  const esp0 = reg32(ESP);
  const ebp = opsize32 ? reg32(EBP) : reg16(EBP);
  pushV(ebp);
  if (faulted()) return;
  const frame = stack32() ? reg32(ESP) : reg16(ESP);
  if (level > 0) {
    let bp = stack32() ? reg32(EBP) : reg16(EBP);
    const step: u32 = opsize32 ? 4 : 2;
    for (let i: u32 = 1; i < level; i++) {
      bp -= step;
      const at = stack32() ? bp : bp & 0xffff;
      const v = opsize32 ? readSeg<u32>(SS, at) : readSeg<u16>(SS, at);
      if (faulted()) { setReg32(ESP, esp0); return; }
      pushV(v);
      if (faulted()) { setReg32(ESP, esp0); return; }
    }
    pushV(frame);
    if (faulted()) { setReg32(ESP, esp0); return; }
  }
  if (opsize32) setReg32(EBP, frame); else setReg16(EBP, frame);
  addSP(-size);
}

function leave(): void {
  const bp = stack32() ? reg32(EBP) : reg16(EBP);
  const v = opsize32 ? readSeg<u32>(SS, bp) : readSeg<u16>(SS, bp);
  if (faulted()) return;
  if (stack32()) setReg32(ESP, bp + (opsize32 ? 4 : 2));
  else setReg16(ESP, bp + (opsize32 ? 4 : 2));
  if (opsize32) setReg32(EBP, v); else setReg16(EBP, v);
}

function pushf(): void {
  // VM and RF read as 0 in the pushed image.
  pushV(getFlags() & 0x00fcffff);
}

function popf(): void {
  const v = popV();
  if (faulted()) return;
  const mask = writableFlags() & (opsize32 ? 0xffffffff : 0xffff) & ~(1 << 16);
  setFlags((getFlags() & ~mask) | (v & mask));
}

function sahf(): void {
  materialize(ARITH);
  const f = getFlags();
  const m: u32 = SF | ZF | AF | PF | CF;
  setFlags((f & ~m) | (reg8(4) & m));
}

function lahf(): void {
  setReg8(4, (getFlags() & 0xd7) | 2);
}

// ---- The one-byte map ----------------------------------------------------

// The interpreter: runs instructions from CS:EIP until limit have retired
// or an event is pending. Returns how many retired. On a fault the run
// loop rewinds EIP to insnStart; otherwise EIP is written back at the end.
//
// The loop takes the common register-only instructions of 32-bit code
// itself (fastpath.ts), with the instruction pointer in a local and no
// call on the way; everything else goes through step(), one instruction
// at a time. Retirements are counted here and folded into the clock before
// each step(), the only place the clock can be read (in, out, rdtsc).
export function interpret(limit: u32): u32 {
  // An event already pending is taken after the first instruction, as
  // after any other (only step() can raise one).
  if (load<u32>(EVENTS) != 0) limit = 1;
  let n: u32 = 0;
  let folded: u32 = 0;
  let ip = load<u32>(EIP_ADDR);
  let windowIp = fetchWindowIp();
  let windowPtr = fetchWindowPtr();
  let span = fastSpan();
  while (n < limit) {
    const off = ip - windowIp;
    if (off < span) {
      const p = windowPtr + off;
      const next = fastInsn(<u32>load<u8>(p), p, ip);
      if (next != ip) {
        ip = next;
        n++;
        continue;
      }
    }
    retireN(n - folded);
    folded = n;
    ip = step(ip);
    n++;
    if (load<u32>(EVENTS) != 0) break;
    windowIp = fetchWindowIp();
    windowPtr = fetchWindowPtr();
    span = fastSpan();
  }
  retireN(n - folded);
  store<u32>(EIP_ADDR, ip);
  return n;
}

// One instruction from CS:EIP through the full decoder, retired: how the
// block executor runs the instructions it does not decode.
export function stepOne(): void {
  store<u32>(EIP_ADDR, step(load<u32>(EIP_ADDR)));
  retireN(1);
}

// The offsets in the fetched page where an instruction of the fast path
// starts and ends inside it: none unless there is a page and the code is
// 32-bit.
// @ts-ignore: decorator
@inline function fastSpan(): u32 {
  return fetchWindowValid() && load<u32>(CODE32) != 0 ? 0x1000 - FAST_MAX_LENGTH + 1 : 0;
}

// One instruction through the full decoder, from ip; returns the next EIP.
// (Exported only so that binaryen does not inline it into interpret(): see
// index.ts.)
export function step(ip: u32): u32 {
  beginInsn(ip);
  const op = fetchAt<u8>(ip);
  // An opcode that could not be fetched is not executed: nothing but the
  // fault may happen (the next bytes' garbage would otherwise run).
  if (!faulted()) ip = execute(op, ip + 1);
  return endInsn(ip);
}

// The byte after a prefix, at ip.
function afterPrefix(ip: u32): u32 {
  countPrefix();
  return fetchAt<u8>(ip);
}

// Applies a prefix byte; false when b is not one.
function applyPrefix(b: u32): bool {
  switch (b) {
    case 0x26: setSegOverride(ES); return true;
    case 0x2e: setSegOverride(CS); return true;
    case 0x36: setSegOverride(SS); return true;
    case 0x3e: setSegOverride(DS); return true;
    case 0x64: setSegOverride(FS); return true;
    case 0x65: setSegOverride(GS); return true;
    case 0x66: setOpsize(!code32); return true;
    case 0x67: setAddrsize(!code32); return true;
    case 0xf0: setLock(); return true;
    case 0xf2: setRep(0xf2); return true;
    case 0xf3: setRep(0xf3); return true;
    default: return false;
  }
}

// After a LOCK prefix (at the global cursor): takes the remaining prefixes,
// then checks that the instruction may be locked (SDM vol. 2, LOCK): only
// these read-modify-write forms, and only with a memory destination;
// anything else is #UD.
function lockedOpcode(): u32 {
  let op = afterPrefix(nextIp);
  setNextIp(nextIp + 1);
  while (!faulted() && applyPrefix(op)) { op = afterPrefix(nextIp); setNextIp(nextIp + 1); }
  if (faulted()) return op;
  let ok = false;
  const m = peekCode(0);
  if (op == 0x0f) {
    const op2 = m;
    const m2 = peekCode(1);
    const memory = m2 < 0xc0;
    const reg = (m2 >> 3) & 7;
    ok = memory && (op2 == 0xab || op2 == 0xb3 || op2 == 0xbb || op2 == 0xb0 || op2 == 0xb1 ||
      op2 == 0xc0 || op2 == 0xc1 || (op2 == 0xba && reg >= 5) || (op2 == 0xc7 && reg == 1));
  } else {
    const memory = m < 0xc0;
    const reg = (m >> 3) & 7;
    if (op < 0x38) ok = (op & 7) < 2; // add or adc sbb and sub xor: r/m, r forms
    else if (op >= 0x80 && op <= 0x83) ok = reg != 7; // not cmp
    else if (op == 0x86 || op == 0x87) ok = true; // xchg
    else if (op == 0xf6 || op == 0xf7) ok = reg == 2 || reg == 3; // not, neg
    else if (op == 0xfe || op == 0xff) ok = reg < 2; // inc, dec
    ok = ok && memory;
  }
  if (!faulted() && !ok) raise(UD);
  return op;
}

// A code byte ahead of the decoder, without consuming it.
function peekCode(ahead: u32): u32 {
  return readLin<u8>(segBase(CS) + nextIp + ahead);
}

// @ts-ignore: decorator
@inline function jcc8(cc: u32, ip: u32): u32 {
  const d = fetchS8At(ip);
  return testCC(cc) ? nearTarget(ip + 1 + d) : ip + 1;
}

// @ts-ignore: decorator
@inline function jccV(cc: u32): void {
  const d = fetchImmV();
  if (testCC(cc)) jumpRel(d);
}

// @ts-ignore: decorator
@inline function jmpV(ip: u32): u32 {
  const d = fetchImmVAt(ip);
  return nearTarget(ip + immVSize() + d);
}

// @ts-ignore: decorator
@inline function pushReg(r: u32): void { pushV(opsize32 ? reg32(r) : reg16(r)); }

// @ts-ignore: decorator
@inline function popReg(r: u32): void {
  const v = popV();
  if (faulted()) return;
  if (opsize32) setReg32(r, v); else setReg16(r, v);
}

// @ts-ignore: decorator
@inline function incReg(r: u32): void {
  if (opsize32) setReg32(r, inc<u32>(reg32(r))); else setReg16(r, inc<u16>(reg16(r)));
}

// @ts-ignore: decorator
@inline function decReg(r: u32): void {
  if (opsize32) setReg32(r, dec<u32>(reg32(r))); else setReg16(r, dec<u16>(reg16(r)));
}

// @ts-ignore: decorator
@inline function xchgAcc(r: u32): void {
  if (opsize32) { const t = reg32(r); setReg32(r, reg32(EAX)); setReg32(EAX, t); }
  else { const t = reg16(r); setReg16(r, reg16(EAX)); setReg16(EAX, t); }
}

// @ts-ignore: decorator
@inline function movRegImm(r: u32, ip: u32): u32 {
  if (opsize32) { const v = fetchAt<u32>(ip); if (!faulted()) setReg32(r, v); return ip + 4; }
  const v = fetchAt<u16>(ip);
  if (!faulted()) setReg16(r, v);
  return ip + 2;
}

// @ts-ignore: decorator
@inline function movReg8Imm(r: u32, ip: u32): u32 {
  const v = fetchAt<u8>(ip);
  if (!faulted()) setReg8(r, v);
  return ip + 1;
}

// The one-byte map, at the cursor ip (just after the opcode byte); returns
// the next instruction's EIP. The common forms take the cursor; the rest
// work at the global cursor nextIp, which is set to ip before the switch,
// and return it.
// @ts-ignore: decorator
@inline function execute(first: u32, ip: u32): u32 {
  let op = first;
  for (;;) {
  setNextIp(ip);
  switch (op) {
    case 0x00: return aluEG<u8>(ADD, ip);
    case 0x01: return opsize32 ? aluEG<u32>(ADD, ip) : aluEG<u16>(ADD, ip);
    case 0x02: return aluGE<u8>(ADD, ip);
    case 0x03: return opsize32 ? aluGE<u32>(ADD, ip) : aluGE<u16>(ADD, ip);
    case 0x04: return aluAI<u8>(ADD, ip);
    case 0x05: return opsize32 ? aluAI<u32>(ADD, ip) : aluAI<u16>(ADD, ip);
    case 0x08: return aluEG<u8>(OR, ip);
    case 0x09: return opsize32 ? aluEG<u32>(OR, ip) : aluEG<u16>(OR, ip);
    case 0x0a: return aluGE<u8>(OR, ip);
    case 0x0b: return opsize32 ? aluGE<u32>(OR, ip) : aluGE<u16>(OR, ip);
    case 0x0c: return aluAI<u8>(OR, ip);
    case 0x0d: return opsize32 ? aluAI<u32>(OR, ip) : aluAI<u16>(OR, ip);
    case 0x10: return aluEG<u8>(ADC, ip);
    case 0x11: return opsize32 ? aluEG<u32>(ADC, ip) : aluEG<u16>(ADC, ip);
    case 0x12: return aluGE<u8>(ADC, ip);
    case 0x13: return opsize32 ? aluGE<u32>(ADC, ip) : aluGE<u16>(ADC, ip);
    case 0x14: return aluAI<u8>(ADC, ip);
    case 0x15: return opsize32 ? aluAI<u32>(ADC, ip) : aluAI<u16>(ADC, ip);
    case 0x18: return aluEG<u8>(SBB, ip);
    case 0x19: return opsize32 ? aluEG<u32>(SBB, ip) : aluEG<u16>(SBB, ip);
    case 0x1a: return aluGE<u8>(SBB, ip);
    case 0x1b: return opsize32 ? aluGE<u32>(SBB, ip) : aluGE<u16>(SBB, ip);
    case 0x1c: return aluAI<u8>(SBB, ip);
    case 0x1d: return opsize32 ? aluAI<u32>(SBB, ip) : aluAI<u16>(SBB, ip);
    case 0x20: return aluEG<u8>(AND, ip);
    case 0x21: return opsize32 ? aluEG<u32>(AND, ip) : aluEG<u16>(AND, ip);
    case 0x22: return aluGE<u8>(AND, ip);
    case 0x23: return opsize32 ? aluGE<u32>(AND, ip) : aluGE<u16>(AND, ip);
    case 0x24: return aluAI<u8>(AND, ip);
    case 0x25: return opsize32 ? aluAI<u32>(AND, ip) : aluAI<u16>(AND, ip);
    case 0x28: return aluEG<u8>(SUB, ip);
    case 0x29: return opsize32 ? aluEG<u32>(SUB, ip) : aluEG<u16>(SUB, ip);
    case 0x2a: return aluGE<u8>(SUB, ip);
    case 0x2b: return opsize32 ? aluGE<u32>(SUB, ip) : aluGE<u16>(SUB, ip);
    case 0x2c: return aluAI<u8>(SUB, ip);
    case 0x2d: return opsize32 ? aluAI<u32>(SUB, ip) : aluAI<u16>(SUB, ip);
    case 0x30: return aluEG<u8>(XOR, ip);
    case 0x31: return opsize32 ? aluEG<u32>(XOR, ip) : aluEG<u16>(XOR, ip);
    case 0x32: return aluGE<u8>(XOR, ip);
    case 0x33: return opsize32 ? aluGE<u32>(XOR, ip) : aluGE<u16>(XOR, ip);
    case 0x34: return aluAI<u8>(XOR, ip);
    case 0x35: return opsize32 ? aluAI<u32>(XOR, ip) : aluAI<u16>(XOR, ip);
    case 0x38: return aluEG<u8>(CMP, ip);
    case 0x39: return opsize32 ? aluEG<u32>(CMP, ip) : aluEG<u16>(CMP, ip);
    case 0x3a: return aluGE<u8>(CMP, ip);
    case 0x3b: return opsize32 ? aluGE<u32>(CMP, ip) : aluGE<u16>(CMP, ip);
    case 0x3c: return aluAI<u8>(CMP, ip);
    case 0x3d: return opsize32 ? aluAI<u32>(CMP, ip) : aluAI<u16>(CMP, ip);
    case 0x26: setSegOverride(ES); break;
    case 0x2e: setSegOverride(CS); break;
    case 0x36: setSegOverride(SS); break;
    case 0x3e: setSegOverride(DS); break;
    case 0x64: setSegOverride(FS); break;
    case 0x65: setSegOverride(GS); break;
    case 0x66: setOpsize(!code32); break;
    case 0x67: setAddrsize(!code32); break;
    case 0xf2: setRep(0xf2); break;
    case 0xf3: setRep(0xf3); break;
    case 0xf0: {
      setLock();
      setNextIp(ip);
      op = lockedOpcode();
      ip = nextIp;
      if (faulted()) return ip;
      continue;
    }
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
      incReg(op & 7); return ip;
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
      decReg(op & 7); return ip;
    case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
      pushReg(op & 7); return ip;
    case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
      popReg(op & 7); return ip;
    case 0x68: { const v = fetchImmVAt(ip); if (!faulted()) pushV(v); return ip + immVSize(); }
    case 0x69: return opsize32 ? imul3<u32>(false, ip) : imul3<u16>(false, ip);
    case 0x6a: { const v = fetchS8At(ip); if (!faulted()) pushV(v); return ip + 1; }
    case 0x6b: return opsize32 ? imul3<u32>(true, ip) : imul3<u16>(true, ip);
    case 0x70: return jcc8(0, ip);
    case 0x71: return jcc8(1, ip);
    case 0x72: return jcc8(2, ip);
    case 0x73: return jcc8(3, ip);
    case 0x74: return jcc8(4, ip);
    case 0x75: return jcc8(5, ip);
    case 0x76: return jcc8(6, ip);
    case 0x77: return jcc8(7, ip);
    case 0x78: return jcc8(8, ip);
    case 0x79: return jcc8(9, ip);
    case 0x7a: return jcc8(10, ip);
    case 0x7b: return jcc8(11, ip);
    case 0x7c: return jcc8(12, ip);
    case 0x7d: return jcc8(13, ip);
    case 0x7e: return jcc8(14, ip);
    case 0x7f: return jcc8(15, ip);
    case 0x80: case 0x82: return group1<u8>(false, ip);
    case 0x81: return opsize32 ? group1<u32>(false, ip) : group1<u16>(false, ip);
    case 0x83: return opsize32 ? group1<u32>(true, ip) : group1<u16>(true, ip);
    case 0x84: return testEG<u8>(ip);
    case 0x85: return opsize32 ? testEG<u32>(ip) : testEG<u16>(ip);
    case 0x86: return xchgEG<u8>(ip);
    case 0x87: return opsize32 ? xchgEG<u32>(ip) : xchgEG<u16>(ip);
    case 0x88: return movEG<u8>(ip);
    case 0x89: return opsize32 ? movEG<u32>(ip) : movEG<u16>(ip);
    case 0x8a: return movGE<u8>(ip);
    case 0x8b: return opsize32 ? movGE<u32>(ip) : movGE<u16>(ip);
    case 0x8d:
      ip = decodeModRMAt(ip);
      if (isReg()) raise(UD);
      else if (opsize32) setRegOp<u32>(eaOffset);
      else setRegOp<u16>(eaOffset);
      return ip;
    case 0x90: return ip; // nop (xchg eax, eax); with F3 it is pause
    case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
      xchgAcc(op & 7); return ip;
    case 0x98: // cbw / cwde
      if (opsize32) setReg32(EAX, <u32><i32><i16>reg16(EAX));
      else setReg16(EAX, <u32><i32><i8>reg8(EAX));
      return ip;
    case 0x99: // cwd / cdq
      if (opsize32) setReg32(EDX, <u32>(<i32>reg32(EAX) >> 31));
      else setReg16(EDX, <u32>(<i32><i16>reg16(EAX) >> 15));
      return ip;
    case 0xa0: { ip = moffs(ip); const v = readMem<u8>(); if (!faulted()) setReg8(EAX, v); return ip; }
    case 0xa1: {
      ip = moffs(ip);
      if (opsize32) { const v = readMem<u32>(); if (!faulted()) setReg32(EAX, v); }
      else { const v = readMem<u16>(); if (!faulted()) setReg16(EAX, v); }
      return ip;
    }
    case 0xa2: ip = moffs(ip); writeMem<u8>(reg8(EAX)); return ip;
    case 0xa3: ip = moffs(ip); if (opsize32) writeMem<u32>(reg32(EAX)); else writeMem<u16>(reg16(EAX)); return ip;
    case 0xa8: { const b = fetchAt<u8>(ip); if (!faulted()) test<u8>(reg8(EAX), b); return ip + 1; }
    case 0xa9: {
      if (opsize32) { const b = fetchAt<u32>(ip); if (!faulted()) test<u32>(reg32(EAX), b); return ip + 4; }
      const b = fetchAt<u16>(ip);
      if (!faulted()) test<u16>(reg16(EAX), b);
      return ip + 2;
    }
    case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
      return movReg8Imm(op & 7, ip);
    case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
      return movRegImm(op & 7, ip);
    case 0xc0: return group2<u8>(-1, ip);
    case 0xc1: return opsize32 ? group2<u32>(-1, ip) : group2<u16>(-1, ip);
    case 0xc2: { const n = fetchAt<u16>(ip); return faulted() ? ip : retNear(n); }
    case 0xc3: return retNear(0);
    case 0xc6: return movEI<u8>(ip);
    case 0xc7: return opsize32 ? movEI<u32>(ip) : movEI<u16>(ip);
    case 0xc9: leave(); return ip;
    case 0xd0: return group2<u8>(1, ip);
    case 0xd1: return opsize32 ? group2<u32>(1, ip) : group2<u16>(1, ip);
    case 0xd2: return group2<u8>(0, ip);
    case 0xd3: return opsize32 ? group2<u32>(0, ip) : group2<u16>(0, ip);
    case 0xe8: {
      const d = fetchImmVAt(ip);
      const ret = ip + immVSize();
      return faulted() ? ret : callNear(ret, ret + d);
    }
    case 0xe9: return jmpV(ip);
    case 0xeb: { const d = fetchS8At(ip); return nearTarget(ip + 1 + d); }
    case 0xf5: putFlag(CF, !getCF()); return ip;
    case 0xf6: return group3<u8>(ip);
    case 0xf7: return opsize32 ? group3<u32>(ip) : group3<u16>(ip);
    case 0xf8: putFlag(CF, false); return ip;
    case 0xf9: putFlag(CF, true); return ip;
    case 0xfc: putFlag(DFLAG, false); return ip;
    case 0xfd: putFlag(DFLAG, true); return ip;
    case 0xfe: {
      ip = decodeModRMAt(ip);
      const r = regField();
      if (r > 1) raise(UD);
      else incDecRM<u8>(r == 1);
      return ip;
    }
    case 0xff: return group5(ip);
    // The rest work at the global cursor, set above.
    case 0x06: pushSeg(ES); return nextIp;
    case 0x07: popSeg(ES); return nextIp;
    case 0x0e: pushSeg(CS); return nextIp;
    case 0x0f: dispatch0F(fetch8()); return nextIp;
    case 0x16: pushSeg(SS); return nextIp;
    case 0x17: popSeg(SS); return nextIp;
    case 0x1e: pushSeg(DS); return nextIp;
    case 0x1f: popSeg(DS); return nextIp;
    case 0x27: daa(); return nextIp;
    case 0x2f: das(); return nextIp;
    case 0x37: aaa(); return nextIp;
    case 0x3f: aas(); return nextIp;
    case 0x60: pusha(); return nextIp;
    case 0x61: popa(); return nextIp;
    case 0x62: bound(); return nextIp;
    case 0x63: arpl(); return nextIp;
    case 0x6c: ins<u8>(); return nextIp;
    case 0x6d: if (opsize32) ins<u32>(); else ins<u16>(); return nextIp;
    case 0x6e: outs<u8>(); return nextIp;
    case 0x6f: if (opsize32) outs<u32>(); else outs<u16>(); return nextIp;
    case 0x8c: movFromSeg(); return nextIp;
    case 0x8e: movToSeg(); return nextIp;
    case 0x8f: {
      // pop r/m: ESP is incremented before the address is computed.
      const esp = reg32(ESP);
      const v = popV();
      if (faulted()) return nextIp;
      decodeModRM();
      if (opsize32) writeRM<u32>(v); else writeRM<u16>(v);
      if (faulted()) setReg32(ESP, esp);
      return nextIp;
    }
    case 0x9a: {
      const off = fetchImmV();
      const sel = fetch16();
      if (!faulted()) callFar(sel, off);
      return nextIp;
    }
    case 0x9b: // fwait: #NM when the FPU state belongs to another task (MP and TS)
      if ((load<u32>(CR0) & 0xa) == 0xa) raise(NM);
      return nextIp;
    case 0x9c: pushf(); return nextIp;
    case 0x9d: popf(); return nextIp;
    case 0x9e: sahf(); return nextIp;
    case 0x9f: lahf(); return nextIp;
    case 0xa4: movs<u8>(); return nextIp;
    case 0xa5: if (opsize32) movs<u32>(); else movs<u16>(); return nextIp;
    case 0xa6: cmps<u8>(); return nextIp;
    case 0xa7: if (opsize32) cmps<u32>(); else cmps<u16>(); return nextIp;
    case 0xaa: stos<u8>(); return nextIp;
    case 0xab: if (opsize32) stos<u32>(); else stos<u16>(); return nextIp;
    case 0xac: lods<u8>(); return nextIp;
    case 0xad: if (opsize32) lods<u32>(); else lods<u16>(); return nextIp;
    case 0xae: scas<u8>(); return nextIp;
    case 0xaf: if (opsize32) scas<u32>(); else scas<u16>(); return nextIp;
    case 0xc4: loadFarPointer(ES); return nextIp;
    case 0xc5: loadFarPointer(DS); return nextIp;
    case 0xc8: enter(); return nextIp;
    case 0xca: { const n = fetch16(); if (!faulted()) retFar(n); return nextIp; }
    case 0xcb: retFar(0); return nextIp;
    case 0xcc: softInt(BP); return nextIp;
    case 0xcd: { const v = fetch8(); if (!faulted()) softInt(v); return nextIp; }
    case 0xce: if ((getFlags() & OF) != 0) softInt(<u32>OFV); return nextIp;
    case 0xcf: iret(); return nextIp;
    case 0xd4: { const b = fetch8(); if (!faulted()) aam(b); return nextIp; }
    case 0xd5: { const b = fetch8(); if (!faulted()) aad(b); return nextIp; }
    case 0xd6: setReg8(EAX, getCF() ? 0xff : 0); return nextIp; // salc (undocumented, on every P6)
    case 0xd7: { // xlat
      const off = addr32 ? reg32(EBX) + reg8(EAX) : (reg16(EBX) + reg8(EAX)) & 0xffff;
      setEA(dataSeg(), off);
      const v = readMem<u8>();
      if (!faulted()) setReg8(EAX, v);
      return nextIp;
    }
    case 0xd8: case 0xd9: case 0xda: case 0xdb: case 0xdc: case 0xdd: case 0xde: case 0xdf:
      // No x87 yet (CPUID says so): ESC raises #NM, as with CR0.EM set.
      decodeModRM();
      if (!faulted()) raise(NM);
      return nextIp;
    case 0xe0: case 0xe1: case 0xe2: { // loopne, loope, loop
      const d = fetchS8();
      if (faulted()) return nextIp;
      const c = counter() - 1;
      setCounter(c);
      const zf = (getFlags() & ZF) != 0;
      const go = (addr32 ? c : c & 0xffff) != 0 && (op == 0xe2 || (op == 0xe1 ? zf : !zf));
      if (go) jumpRel(d);
      return nextIp;
    }
    case 0xe3: { const d = fetchS8(); if (!faulted() && counter() == 0) jumpRel(d); return nextIp; }
    case 0xe4: { const p = fetch8(); if (!faulted()) inAcc<u8>(p); return nextIp; }
    case 0xe5: { const p = fetch8(); if (!faulted()) { if (opsize32) inAcc<u32>(p); else inAcc<u16>(p); } return nextIp; }
    case 0xe6: { const p = fetch8(); if (!faulted()) outAcc<u8>(p); return nextIp; }
    case 0xe7: { const p = fetch8(); if (!faulted()) { if (opsize32) outAcc<u32>(p); else outAcc<u16>(p); } return nextIp; }
    case 0xea: {
      const off = fetchImmV();
      const sel = fetch16();
      if (!faulted()) jumpFar(sel, off);
      return nextIp;
    }
    case 0xec: inAcc<u8>(reg16(EDX)); return nextIp;
    case 0xed: if (opsize32) inAcc<u32>(reg16(EDX)); else inAcc<u16>(reg16(EDX)); return nextIp;
    case 0xee: outAcc<u8>(reg16(EDX)); return nextIp;
    case 0xef: if (opsize32) outAcc<u32>(reg16(EDX)); else outAcc<u16>(reg16(EDX)); return nextIp;
    case 0xf1: icebp(); return nextIp;
    case 0xf4: hlt(); return nextIp;
    case 0xfa: setIF(false); return nextIp;
    case 0xfb: setIF(true); return nextIp;
    default:
      raise(UD);
      return ip;
  }
  // A prefix: the opcode follows.
  op = afterPrefix(ip);
  ip++;
  if (faulted()) break;
  }
  return ip;
}

// FF: inc, dec, call and jmp (near and far), push r/m.
function group5(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const r = regField();
  switch (r) {
    case 0: case 1:
      if (opsize32) incDecRM<u32>(r == 1); else incDecRM<u16>(r == 1);
      return ip;
    case 2: { // call near r/m
      const t = opsize32 ? readRM<u32>() : readRM<u16>();
      return faulted() ? ip : callNear(ip, t);
    }
    case 4: { // jmp near r/m
      const t = opsize32 ? readRM<u32>() : readRM<u16>();
      return faulted() ? ip : nearTarget(t);
    }
    case 3: case 5: { // call/jmp far m16:16/32
      if (isReg()) { raise(UD); return ip; }
      const off = opsize32 ? readMem<u32>() : readMem<u16>();
      const sel = readMemAt<u16>(opsize32 ? 4 : 2);
      if (faulted()) return ip;
      setNextIp(ip);
      if (r == 3) callFar(sel, off); else jumpFar(sel, off);
      return nextIp;
    }
    case 6: {
      const v = opsize32 ? readRM<u32>() : readRM<u16>();
      if (!faulted()) pushV(v);
      return ip;
    }
    default:
      raise(UD);
      return ip;
  }
}

// ---- The two-byte map (0F xx) ------------------------------------------------

// @ts-ignore: decorator
@inline function movzx<S, T>(): void {
  decodeModRM();
  const v = readRM<S>();
  if (!faulted()) setRegOp<T>(v);
}

// @ts-ignore: decorator
@inline function movsx<S, T>(): void {
  decodeModRM();
  const v = readRM<S>();
  if (faulted()) return;
  const sx: u32 = sizeof<S>() == 1 ? <u32><i32><i8>v : <u32><i32><i16>v;
  setRegOp<T>(sx & maskOf<T>());
}

// @ts-ignore: decorator
@inline function cmov<T>(cc: u32): void {
  decodeModRM();
  const v = readRM<T>(); // the source is read (and may fault) whatever the condition
  if (faulted()) return;
  if (testCC(cc)) setRegOp<T>(v);
  else if (sizeof<T>() == 4) setRegOp<T>(getRegOp<T>());
}

// bsf/bsr: ZF=1 and the destination unchanged for a zero source.
// @ts-ignore: decorator
@inline function bitScan<T>(reverse: bool): void {
  decodeModRM();
  const v = readRM<T>();
  if (faulted()) return;
  if (v == 0) {
    setLazy(Op.RESULT, 0, 0, 0, <u32>sizeof<T>() * 8 - 1, ZF);
    return;
  }
  const n = reverse ? 31 - clz<u32>(v) : ctz<u32>(v);
  setLazy(Op.RESULT, 1, 0, 0, <u32>sizeof<T>() * 8 - 1, ZF);
  setRegOp<T>(n);
}

// bt/bts/btr/btc r/m, reg. With a memory operand the bit offset is signed
// and may reach outside the addressed operand.
// @ts-ignore: decorator
@inline function bitTest<T>(kind: u32): void {
  decodeModRM();
  const bits: u32 = <u32>sizeof<T>() * 8;
  const offset = getRegOp<T>();
  if (faulted()) return;
  if (isReg()) {
    const bit = offset & (bits - 1);
    const v = getReg<T>(rmField());
    putFlag(CF, ((v >>> bit) & 1) != 0);
    if (kind != 0) setReg<T>(rmField(), bitUpdate(kind, v, bit));
    return;
  }
  const sOff: i32 = sizeof<T>() == 2 ? <i32><i16>offset : <i32>offset;
  const unit: i32 = sOff >> (sizeof<T>() == 2 ? 4 : 5);
  const lin = eaLin + <u32>(unit * <i32>sizeof<T>());
  const bit = <u32>sOff & (bits - 1);
  const v = kind == 0 ? readLin<T>(lin) : readLinForWrite<T>(lin);
  if (faulted()) return;
  putFlag(CF, ((v >>> bit) & 1) != 0);
  if (kind != 0) writeLin<T>(lin, bitUpdate(kind, v, bit));
}

function bitUpdate(kind: u32, v: u32, bit: u32): u32 {
  switch (kind) {
    case 1: return v | (1 << bit);
    case 2: return v & ~(1 << bit);
    default: return v ^ (1 << bit);
  }
}

// shld/shrd: count masked to 5 bits; for 16-bit operands a count above 16
// gives an undefined result (QEMU's rule is followed by the helper).
// @ts-ignore: decorator
@inline function shiftDouble<T>(left: bool, immCount: bool): void {
  decodeModRM();
  let count: u32 = immCount ? fetch8() : reg8(ECX);
  const dst = readRMW<T>();
  if (faulted()) return;
  count &= 31;
  if (count == 0) return;
  const src = getRegOp<T>();
  const bits: u32 = <u32>sizeof<T>() * 8;
  let r: u32, cf: u32;
  if (sizeof<T>() == 4) {
    if (left) {
      r = (dst << count) | (src >>> (32 - count));
      cf = (dst >>> (32 - count)) & 1;
    } else {
      r = (dst >>> count) | (src << (32 - count));
      cf = (dst >>> (count - 1)) & 1;
    }
  } else {
    // 16-bit: shift within dst:src:dst, which gives QEMU's results for
    // counts above 16 (undefined in the SDM).
    const wide: u64 = (<u64>dst << 32) | (<u64>src << 16) | <u64>dst;
    if (left) {
      r = <u32>((wide << count) >> 32) & 0xffff;
      cf = <u32>((wide << (count - 1)) >> 47) & 1;
    } else {
      r = <u32>(wide >> count) & 0xffff;
      cf = <u32>(wide >> (count - 1)) & 1;
    }
  }
  const ovf = ((r ^ dst) >>> (bits - 1)) & 1;
  writeRM<T>(r);
  setResultFlags(r, bits - 1, cf, ovf);
}

// @ts-ignore: decorator
@inline function cmpxchg<T>(): void {
  decodeModRM();
  const d = readRMW<T>();
  if (faulted()) return;
  const acc = getReg<T>(EAX);
  alu<T>(CMP, acc, d);
  if (acc == d) writeRM<T>(getRegOp<T>());
  else {
    // The destination is written back unchanged (a locked RMW), then the accumulator loaded.
    writeRM<T>(d);
    setReg<T>(EAX, d);
  }
}

// @ts-ignore: decorator
@inline function xadd<T>(): void {
  decodeModRM();
  const d = readRMW<T>();
  if (faulted()) return;
  const s = getRegOp<T>();
  const r = alu<T>(0, d, s);
  setRegOp<T>(d);
  writeRM<T>(r);
}

function cmpxchg8b(): void {
  decodeModRM();
  if (isReg() || regField() != 1) { raise(UD); return; }
  const lo = readLinForWrite<u32>(eaLin);
  const hi = readLinForWrite<u32>(eaLin + 4);
  if (faulted()) return;
  materialize(ARITH);
  if (lo == reg32(EAX) && hi == reg32(EDX)) {
    writeLin<u32>(eaLin, reg32(EBX));
    writeLin<u32>(eaLin + 4, reg32(ECX));
    putFlag(ZF, true);
  } else {
    writeLin<u32>(eaLin, lo);
    writeLin<u32>(eaLin + 4, hi);
    setReg32(EAX, lo);
    setReg32(EDX, hi);
    putFlag(ZF, false);
  }
}

// 0F 00: sldt str lldt ltr verr verw
function group6(): void {
  decodeModRM();
  if (!protectedMode()) { raise(UD); return; }
  const r = regField();
  switch (r) {
    case 0: case 1: { // sldt / str
      const v = load<u32>(r == 0 ? LDTR_SEL : TR_SEL);
      if (isReg()) { if (opsize32) setReg32(rmField(), v); else setReg16(rmField(), v); }
      else writeMem<u16>(v);
      break;
    }
    case 2: case 3: {
      const v = readRM<u16>();
      if (faulted()) break;
      if (r == 2) lldt(v); else ltr(v);
      break;
    }
    case 4: case 5: { // verr / verw
      const v = readRM<u16>();
      if (!faulted()) selectorQuery(r == 4 ? VERR : VERW, v);
      break;
    }
    default: raise(UD);
  }
}

// 0F 02 lar, 0F 03 lsl: the destination is written only when ZF is set.
function larLsl(kind: u32): void {
  decodeModRM();
  const sel = readRM<u16>();
  if (faulted()) return;
  const v = selectorQuery(kind, sel);
  if (faulted() || !(getFlags() & ZF)) return;
  if (opsize32) setRegOp<u32>(v); else setRegOp<u16>(v);
}

// 0F 01: sgdt sidt lgdt lidt smsw lmsw invlpg
function group7(): void {
  decodeModRM();
  const r = regField();
  switch (r) {
    case 0: case 1: { // sgdt / sidt
      if (isReg()) { raise(UD); break; }
      const limit = load<u32>(r == 0 ? GDTR_LIMIT : IDTR_LIMIT);
      let base = load<u32>(r == 0 ? GDTR_BASE : IDTR_BASE);
      if (!opsize32) base &= 0x00ffffff;
      probeWrite(eaLin, 6); // all six bytes or none
      if (faulted()) break;
      writeMem<u16>(limit);
      if (!faulted()) writeLin<u32>(eaLin + 2, base);
      break;
    }
    case 2: case 3:
      if (isReg()) { raise(UD); break; }
      loadDescTable(eaLin, r == 3);
      break;
    case 4: { // smsw
      const v = load<u32>(CR0);
      if (isReg()) { if (opsize32) setReg32(rmField(), v); else setReg16(rmField(), v); }
      else writeMem<u16>(v);
      break;
    }
    case 6: { // lmsw: sets PE (never clears it), MP, EM, TS
      if (!requireRing0()) break;
      const v = readRM<u16>();
      if (faulted()) break;
      const cr0 = load<u32>(CR0);
      writeCR(0, (cr0 & ~0xe) | (v & 0xf) | (cr0 & 1));
      break;
    }
    case 7: // invlpg
      if (isReg()) { raise(UD); break; }
      invlpg(eaLin);
      break;
    default: raise(UD);
  }
}

// DR4 and DR5 are DR6 and DR7 unless CR4.DE makes them #UD.
function debugRegister(n: u32): i32 {
  if (n == 4 || n == 5) {
    if (load<u32>(CR4) & 8) { raise(UD); return -1; }
    return <i32>n + 2;
  }
  return <i32>n;
}

function dispatch0F(op: u32): void {
  if (faulted()) return; // the fetch of op faulted: do not decode a made-up 0F 00
  switch (op) {
    case 0x00: group6(); break;
    case 0x01: group7(); break;
    case 0x02: larLsl(LAR); break;
    case 0x03: larLsl(LSL); break;
    case 0x06: // clts
      if (requireRing0()) store<u32>(CR0, load<u32>(CR0) & ~8);
      break;
    case 0x08: case 0x09: requireRing0(); break; // invd, wbinvd: no caches to model
    case 0x0b: raise(UD); break; // ud2
    // 0F 19..1F: reserved-NOP space, with a ModRM (0F 1F /0 is the long NOP)
    case 0x19: case 0x1a: case 0x1b: case 0x1c: case 0x1d: case 0x1e: case 0x1f: decodeModRM(); break;
    case 0x20: { // mov r32, crN (mod is ignored: always a register)
      decodeModRM();
      if (!requireRing0()) break;
      const v = readCR(regField());
      if (!faulted()) setReg32(rmField(), v);
      break;
    }
    case 0x22:
      decodeModRM();
      if (!requireRing0()) break;
      writeCR(regField(), reg32(rmField()));
      break;
    case 0x21: { // mov r32, drN
      decodeModRM();
      const n = debugRegister(regField());
      if (n >= 0 && requireRing0()) setReg32(rmField(), load<u32>(DR + (<u32>n << 2)));
      break;
    }
    case 0x23: { // mov drN, r32
      decodeModRM();
      const n = debugRegister(regField());
      if (n >= 0 && requireRing0()) store<u32>(DR + (<u32>n << 2), reg32(rmField()));
      break;
    }
    case 0x30: wrmsr(); break;
    case 0x31: rdtsc(); break;
    case 0x32: rdmsr(); break;
    case 0x34: sysenter(); break;
    case 0x35: sysexit(); break;
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
      if (opsize32) cmov<u32>(op & 15); else cmov<u16>(op & 15);
      break;
    case 0x80: jccV(0); break;
    case 0x81: jccV(1); break;
    case 0x82: jccV(2); break;
    case 0x83: jccV(3); break;
    case 0x84: jccV(4); break;
    case 0x85: jccV(5); break;
    case 0x86: jccV(6); break;
    case 0x87: jccV(7); break;
    case 0x88: jccV(8); break;
    case 0x89: jccV(9); break;
    case 0x8a: jccV(10); break;
    case 0x8b: jccV(11); break;
    case 0x8c: jccV(12); break;
    case 0x8d: jccV(13); break;
    case 0x8e: jccV(14); break;
    case 0x8f: jccV(15); break;
    case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
    case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f:
      decodeModRM();
      writeRM<u8>(testCC(op & 15) ? 1 : 0);
      break;
    case 0xa0: pushSeg(FS); break;
    case 0xa1: popSeg(FS); break;
    case 0xa2: cpuid(); break;
    case 0xa3: if (opsize32) bitTest<u32>(0); else bitTest<u16>(0); break;
    case 0xa4: if (opsize32) shiftDouble<u32>(true, true); else shiftDouble<u16>(true, true); break;
    case 0xa5: if (opsize32) shiftDouble<u32>(true, false); else shiftDouble<u16>(true, false); break;
    case 0xa8: pushSeg(GS); break;
    case 0xa9: popSeg(GS); break;
    case 0xab: if (opsize32) bitTest<u32>(1); else bitTest<u16>(1); break;
    case 0xac: if (opsize32) shiftDouble<u32>(false, true); else shiftDouble<u16>(false, true); break;
    case 0xad: if (opsize32) shiftDouble<u32>(false, false); else shiftDouble<u16>(false, false); break;
    case 0xaf: {
      decodeModRM();
      if (opsize32) { const b = readRM<u32>(); if (!faulted()) setRegOp<u32>(imulTrunc<u32>(getRegOp<u32>(), b)); }
      else { const b = readRM<u16>(); if (!faulted()) setRegOp<u16>(imulTrunc<u16>(getRegOp<u16>(), b)); }
      break;
    }
    case 0xb0: cmpxchg<u8>(); break;
    case 0xb1: if (opsize32) cmpxchg<u32>(); else cmpxchg<u16>(); break;
    case 0xb2: loadFarPointer(SS); break;
    case 0xb3: if (opsize32) bitTest<u32>(2); else bitTest<u16>(2); break;
    case 0xb4: loadFarPointer(FS); break;
    case 0xb5: loadFarPointer(GS); break;
    case 0xb6: if (opsize32) movzx<u8, u32>(); else movzx<u8, u16>(); break;
    case 0xb7: if (opsize32) movzx<u16, u32>(); else movzx<u16, u16>(); break;
    case 0xba: {
      decodeModRM();
      const r = regField();
      if (r < 4) { raise(UD); break; }
      if (opsize32) bitTestImm<u32>(r - 4); else bitTestImm<u16>(r - 4);
      break;
    }
    case 0xbb: if (opsize32) bitTest<u32>(3); else bitTest<u16>(3); break;
    case 0xbc: if (opsize32) bitScan<u32>(false); else bitScan<u16>(false); break;
    case 0xbd: if (opsize32) bitScan<u32>(true); else bitScan<u16>(true); break;
    case 0xbe: if (opsize32) movsx<u8, u32>(); else movsx<u8, u16>(); break;
    case 0xbf: if (opsize32) movsx<u16, u32>(); else movsx<u16, u16>(); break;
    case 0xc0: xadd<u8>(); break;
    case 0xc1: if (opsize32) xadd<u32>(); else xadd<u16>(); break;
    case 0xc7: cmpxchg8b(); break;
    case 0xc8: case 0xc9: case 0xca: case 0xcb: case 0xcc: case 0xcd: case 0xce: case 0xcf:
      setReg32(op & 7, bswap<u32>(reg32(op & 7)));
      break;
    default: raise(UD); break;
  }
}

// 0F BA /4../7: bt/bts/btr/btc r/m, imm8 (ModRM already decoded).
// @ts-ignore: decorator
@inline function bitTestImm<T>(kind: u32): void {
  const bits: u32 = <u32>sizeof<T>() * 8;
  const bit = fetch8() & (bits - 1);
  if (faulted()) return;
  if (isReg()) {
    const v = getReg<T>(rmField());
    putFlag(CF, ((v >>> bit) & 1) != 0);
    if (kind != 0) setReg<T>(rmField(), bitUpdate(kind, v, bit));
    return;
  }
  const v = kind == 0 ? readLin<T>(eaLin) : readLinForWrite<T>(eaLin);
  if (faulted()) return;
  putFlag(CF, ((v >>> bit) & 1) != 0);
  if (kind != 0) writeLin<T>(eaLin, bitUpdate(kind, v, bit));
}
