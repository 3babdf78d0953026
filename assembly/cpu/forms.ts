// Operand forms of the one-byte map: each binds an encoding's operands
// (ModRM, immediate, register in the opcode) to the semantics in alu,
// shift, muldiv, stack and control. The dispatch that calls them is
// generated from the instruction table (isa/opcodes.mjs -> gen/dispatch.ts).
import { EIP as EIP_ADDR } from "../layout";
import { deliver } from "./interrupt";
import {
  reg32, setReg32, reg16, setReg16, reg8, setReg8, getReg, setReg, segSel, faulted, raise, protectedMode,
  interruptShadow, EAX, ECX, ESP, EBP, CS, SS, GS, UD,
} from "./state";
import {
  nextIp, setNextIp, opsize32, addr32, fetch8, fetch16, fetchImmV, decodeModRM, fetchAt, fetchS8At, fetchImmVAt,
  immVSize, decodeModRMAt, isReg, regField, rmField, readRM, readRMW, writeRM, readMem, writeMem, readMemAt,
  getRegOp, setRegOp, setEA, dataSeg, readSeg, readSegForWrite, writeSeg,
} from "./decode";
import { alu, inc, dec, neg, test, maskOf, CMP } from "./alu";
import { shift } from "./shift";
import { mul, imul1, imulTrunc, div, idiv } from "./muldiv";
import { getFlags, setFlags, testCC, putFlag, VM, materialize, CF, AF, ARITH, ZF, SF, PF } from "./flags";
import { push, pop, peek, addSP, stack32 } from "./stack";
import { jumpRel, nearTarget, callNear } from "./control";
import { jumpFar, callFar, writableFlags } from "./far";
import { loadSeg } from "./segment";
import { v86IoplFault } from "./system";


// ---- Operand forms -----------------------------------------------------------
// Each takes the cursor after the opcode and returns the EIP of the next
// instruction: the cursor stays a local (see execute()).

// 00..3F with (opcode & 7) < 6: the ALU operation is opcode >> 3.
// @ts-ignore: decorator
@inline export function aluEG<T>(op: u32, ip: u32): u32 {
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
@inline export function aluGE<T>(op: u32, ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const b = readRM<T>();
  if (!isReg() && faulted()) return ip;
  const r = alu<T>(op, getRegOp<T>(), b);
  if (op != CMP) setRegOp<T>(r);
  return ip;
}

// An immediate of the operand width T at ip.
// @ts-ignore: decorator
@inline export function immAt<T>(ip: u32): u32 {
  return sizeof<T>() == 1 ? fetchAt<u8>(ip) : sizeof<T>() == 2 ? fetchAt<u16>(ip) : fetchAt<u32>(ip);
}

// @ts-ignore: decorator
@inline export function aluAI<T>(op: u32, ip: u32): u32 {
  const b = immAt<T>(ip);
  if (faulted()) return ip;
  const r = alu<T>(op, getReg<T>(EAX), b);
  if (op != CMP) setReg<T>(EAX, r);
  return ip + sizeof<T>();
}

// 80..83: ALU r/m, imm (83 sign-extends an 8-bit immediate).
// @ts-ignore: decorator
@inline export function group1<T>(signExt8: bool, ip: u32): u32 {
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
@inline export function group2<T>(countKind: i32, ip: u32): u32 {
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
@inline export function group3<T>(ip: u32): u32 {
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
@inline export function incDecRM<T>(isDec: bool): void {
  const a = readRMW<T>();
  if (faulted()) return;
  writeRM<T>(isDec ? dec<T>(a) : inc<T>(a));
}

// @ts-ignore: decorator
@inline export function movEG<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  writeRM<T>(getRegOp<T>());
  return ip;
}

// @ts-ignore: decorator
@inline export function movGE<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const v = readRM<T>();
  if (!isReg() && faulted()) return ip;
  setRegOp<T>(v);
  return ip;
}

// mov r/m, imm (C6, C7).
// @ts-ignore: decorator
@inline export function movEI<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const v = immAt<T>(ip);
  if (!faulted()) writeRM<T>(v);
  return ip + sizeof<T>();
}

// @ts-ignore: decorator
@inline export function xchgEG<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const a = readRMW<T>();
  if (faulted()) return ip;
  writeRM<T>(getRegOp<T>());
  setRegOp<T>(a);
  return ip;
}

// @ts-ignore: decorator
@inline export function testEG<T>(ip: u32): u32 {
  ip = decodeModRMAt(ip);
  const a = readRM<T>();
  if (faulted()) return ip;
  test<T>(a, getRegOp<T>());
  return ip;
}

// The moffs forms (A0..A3): an address of the address size, no ModRM.
// @ts-ignore: decorator
@inline export function moffs(ip: u32): u32 {
  if (addr32) { setEA(dataSeg(), fetchAt<u32>(ip)); return ip + 4; }
  setEA(dataSeg(), fetchAt<u16>(ip));
  return ip + 2;
}

// imul r, r/m, imm (69 with an immediate of the operand size, 6B with imm8).
// @ts-ignore: decorator
@inline export function imul3<T>(imm8: bool, ip: u32): u32 {
  ip = decodeModRMAt(ip);
  let imm: u32;
  if (imm8) { imm = fetchS8At(ip) & maskOf<T>(); ip++; }
  else { imm = immAt<T>(ip); ip += sizeof<T>(); }
  const a = readRM<T>();
  if (!faulted()) setRegOp<T>(imulTrunc<T>(a, imm));
  return ip;
}

// @ts-ignore: decorator
@inline export function pushV(v: u32): void { if (opsize32) push<u32>(v); else push<u16>(v); }
// @ts-ignore: decorator
@inline export function popV(): u32 { return opsize32 ? pop<u32>() : pop<u16>(); }

// Segment pushes: a 32-bit push of a segment register writes 4 bytes
// (P6 writes only the low 16 bits, which compare equal on reads back).
export function pushSeg(s: u32): void { pushV(segSel(s)); }

export function popSeg(s: u32): void {
  const size: u32 = opsize32 ? 4 : 2;
  const v = (opsize32 ? peek<u32>(0) : peek<u16>(0)) & 0xffff;
  if (faulted()) return;
  // ESP steps by the size of the stack the value came from: pop ss may
  // load a stack segment of the other size (QEMU and the 386 agree).
  const wasStack32 = stack32();
  if (!loadSeg(s, v)) return;
  const sp = reg32(ESP) + size;
  if (wasStack32) setReg32(ESP, sp); else setReg16(ESP, sp);
  if (s == SS) interruptShadow();
}

export function movToSeg(): void {
  decodeModRM();
  const s = regField();
  if (s == CS || s > GS) { raise(UD); return; }
  const v = readRM<u16>();
  if (faulted()) return;
  if (loadSeg(s, v) && s == SS) interruptShadow();
}

export function movFromSeg(): void {
  decodeModRM();
  const s = regField();
  if (s > GS) { raise(UD); return; }
  // To a register with a 32-bit operand the upper half is zeroed (P6).
  if (isReg()) { if (opsize32) setReg32(rmField(), segSel(s)); else setReg16(rmField(), segSel(s)); }
  else writeMem<u16>(segSel(s));
}

// lds/les/lfs/lgs/lss: offset then selector from memory.
export function loadFarPointer(s: u32): void {
  decodeModRM();
  if (isReg()) { raise(UD); return; }
  const off = opsize32 ? readMem<u32>() : readMem<u16>();
  const sel = readMemAt<u16>(opsize32 ? 4 : 2);
  if (faulted()) return;
  if (!loadSeg(s, sel)) return;
  if (opsize32) setRegOp<u32>(off); else setRegOp<u16>(off);
}

// bound r, m: #BR when the signed index is outside [lower, upper].
export function bound(): void {
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
export function arpl(): void {
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
export function icebp(): void {
  store<u32>(EIP_ADDR, nextIp);
  deliver(1, false, false, 0);
  setNextIp(load<u32>(EIP_ADDR));
}

export function pusha(): void {
  const sp = reg32(ESP);
  for (let r: u32 = 0; r < 8; r++) {
    const v = r == ESP ? sp : reg32(r);
    pushV(v);
    if (faulted()) { setReg32(ESP, sp); return; }
  }
}

export function popa(): void {
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

// The frame pointer is ESP less one slot at full width whatever the
// stack's size (with a 32-bit operand on a 16-bit stack EBP keeps ESP's top
// half); the stack's size applies to the addresses and to the final ESP.
// Nothing moves ESP or EBP until every write is done and a write at the
// final stack pointer is known not to fault (#SS or #PF, per the SDM).
export function enter(): void {
  const alloc = fetch16();
  const level = fetch8() & 31;
  if (faulted()) return;
  const size: u32 = opsize32 ? 4 : 2;
  const frame = reg32(ESP) - size;
  const ebp = reg32(EBP);
  stackWrite(frame, ebp);
  if (faulted()) return;
  if (level > 0) {
    for (let i: u32 = 1; i < level; i++) {
      const at = stackAddress(ebp - size * i);
      const v = opsize32 ? readSeg<u32>(SS, at) : readSeg<u16>(SS, at);
      if (faulted()) return;
      stackWrite(frame - size * i, v);
      if (faulted()) return;
    }
    stackWrite(frame - size * level, frame);
    if (faulted()) return;
  }
  const final = frame - alloc - size * level;
  if (opsize32) readSegForWrite<u32>(SS, stackAddress(final)); else readSegForWrite<u16>(SS, stackAddress(final));
  if (faulted()) return;
  if (opsize32) setReg32(EBP, frame); else setReg16(EBP, frame);
  if (stack32()) setReg32(ESP, final); else setReg16(ESP, final);
}

// @ts-ignore: decorator
@inline function stackAddress(sp: u32): u32 { return stack32() ? sp : sp & 0xffff; }

// @ts-ignore: decorator
@inline function stackWrite(sp: u32, v: u32): void {
  if (opsize32) writeSeg<u32>(SS, stackAddress(sp), v); else writeSeg<u16>(SS, stackAddress(sp), v);
}

export function leave(): void {
  const bp = stack32() ? reg32(EBP) : reg16(EBP);
  const v = opsize32 ? readSeg<u32>(SS, bp) : readSeg<u16>(SS, bp);
  if (faulted()) return;
  if (stack32()) setReg32(ESP, bp + (opsize32 ? 4 : 2));
  else setReg16(ESP, bp + (opsize32 ? 4 : 2));
  if (opsize32) setReg32(EBP, v); else setReg16(EBP, v);
}

export function pushf(): void {
  if (v86IoplFault()) return;
  // VM and RF read as 0 in the pushed image.
  pushV(getFlags() & 0x00fcffff);
}

export function popf(): void {
  if (v86IoplFault()) return;
  const v = popV();
  if (faulted()) return;
  const mask = writableFlags() & (opsize32 ? 0xffffffff : 0xffff) & ~(1 << 16);
  setFlags((getFlags() & ~mask) | (v & mask));
}

export function sahf(): void {
  materialize(ARITH);
  const f = getFlags();
  const m: u32 = SF | ZF | AF | PF | CF;
  setFlags((f & ~m) | (reg8(4) & m));
}

export function lahf(): void {
  setReg8(4, (getFlags() & 0xd7) | 2);
}

// @ts-ignore: decorator
@inline export function jcc8(cc: u32, ip: u32): u32 {
  const d = fetchS8At(ip);
  return testCC(cc) ? nearTarget(ip + 1 + d) : ip + 1;
}

// @ts-ignore: decorator
@inline export function jccV(cc: u32): void {
  const d = fetchImmV();
  if (testCC(cc)) jumpRel(d);
}

// @ts-ignore: decorator
@inline export function jmpV(ip: u32): u32 {
  const d = fetchImmVAt(ip);
  return nearTarget(ip + immVSize() + d);
}

// @ts-ignore: decorator
@inline export function pushReg(r: u32): void { pushV(opsize32 ? reg32(r) : reg16(r)); }

// @ts-ignore: decorator
@inline export function popReg(r: u32): void {
  const v = popV();
  if (faulted()) return;
  if (opsize32) setReg32(r, v); else setReg16(r, v);
}

// @ts-ignore: decorator
@inline export function incReg(r: u32): void {
  if (opsize32) setReg32(r, inc<u32>(reg32(r))); else setReg16(r, inc<u16>(reg16(r)));
}

// @ts-ignore: decorator
@inline export function decReg(r: u32): void {
  if (opsize32) setReg32(r, dec<u32>(reg32(r))); else setReg16(r, dec<u16>(reg16(r)));
}

// @ts-ignore: decorator
@inline export function xchgAcc(r: u32): void {
  if (opsize32) { const t = reg32(r); setReg32(r, reg32(EAX)); setReg32(EAX, t); }
  else { const t = reg16(r); setReg16(r, reg16(EAX)); setReg16(EAX, t); }
}

// @ts-ignore: decorator
@inline export function movRegImm(r: u32, ip: u32): u32 {
  if (opsize32) { const v = fetchAt<u32>(ip); if (!faulted()) setReg32(r, v); return ip + 4; }
  const v = fetchAt<u16>(ip);
  if (!faulted()) setReg16(r, v);
  return ip + 2;
}

// @ts-ignore: decorator
@inline export function movReg8Imm(r: u32, ip: u32): u32 {
  const v = fetchAt<u8>(ip);
  if (!faulted()) setReg8(r, v);
  return ip + 1;
}

// The one-byte map, at the cursor ip (just after the opcode byte); returns
// the next instruction's EIP. The common forms take the cursor; the rest
// work at the global cursor nextIp, which is set to ip before the switch,
// and return it.

// FF: inc, dec, call and jmp (near and far), push r/m.
export function group5(ip: u32): u32 {
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

