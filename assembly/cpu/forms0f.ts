// Operand forms of the two-byte (0F) map; the dispatch is generated from
// the instruction table (isa/opcodes.mjs -> gen/dispatch.ts).
import {
  reg32, setReg32, setReg16, reg8, getReg, setReg, faulted, raise, protectedMode, EAX, ECX, EDX, EBX, UD,
} from "./state";
import {
  opsize32, fetch8, decodeModRM, isReg, regField, rmField, readRM, readRMW, writeRM, writeMem, getRegOp, setRegOp,
  eaLin,
} from "./decode";
import { alu, maskOf, CMP } from "./alu";
import { shift } from "./shift";
import { getFlags, testCC, putFlag, materialize, setLazy, setResultFlags, Op, CF, ARITH, ZF } from "./flags";
import { selectorQuery, VERR, VERW } from "./access";
import { loadDescTable, lldt, ltr, writeCR, requireRing0, invlpg } from "./system";
import { readLin, readLinForWrite, writeLin, probeWrite } from "../mmu/memory";
import { CR0, CR4, GDTR_BASE, GDTR_LIMIT, IDTR_BASE, IDTR_LIMIT, LDTR_SEL, TR_SEL } from "../layout";


// ---- The two-byte map (0F xx) ------------------------------------------------

// @ts-ignore: decorator
@inline export function movzx<S, T>(): void {
  decodeModRM();
  const v = readRM<S>();
  if (!faulted()) setRegOp<T>(v);
}

// @ts-ignore: decorator
@inline export function movsx<S, T>(): void {
  decodeModRM();
  const v = readRM<S>();
  if (faulted()) return;
  const sx: u32 = sizeof<S>() == 1 ? <u32><i32><i8>v : <u32><i32><i16>v;
  setRegOp<T>(sx & maskOf<T>());
}

// @ts-ignore: decorator
@inline export function cmov<T>(cc: u32): void {
  decodeModRM();
  const v = readRM<T>(); // the source is read (and may fault) whatever the condition
  if (faulted()) return;
  if (testCC(cc)) setRegOp<T>(v);
  else if (sizeof<T>() == 4) setRegOp<T>(getRegOp<T>());
}

// bsf/bsr: ZF=1 and the destination unchanged for a zero source.
// @ts-ignore: decorator
@inline export function bitScan<T>(reverse: bool): void {
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
@inline export function bitTest<T>(kind: u32): void {
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

export function bitUpdate(kind: u32, v: u32, bit: u32): u32 {
  switch (kind) {
    case 1: return v | (1 << bit);
    case 2: return v & ~(1 << bit);
    default: return v ^ (1 << bit);
  }
}

// shld/shrd: count masked to 5 bits; for 16-bit operands a count above 16
// gives an undefined result (QEMU's rule is followed by the helper).
// @ts-ignore: decorator
@inline export function shiftDouble<T>(left: bool, immCount: bool): void {
  decodeModRM();
  let count: u32 = immCount ? fetch8() : reg8(ECX);
  const dst = readRMW<T>();
  if (faulted()) return;
  count &= 31;
  if (count == 0) return;
  const src = getRegOp<T>();
  const bits: u32 = <u32>sizeof<T>() * 8;
  // (readRMW checked the operand for writing: the write cannot fault after the flags.)
  if (sizeof<T>() == 4) { writeRM<T>(shiftDouble32(left, dst, src, count)); return; }
  // 16-bit: shift within dst:src:dst, which gives QEMU's results for
  // counts above 16 (undefined in the SDM).
  const wide: u64 = (<u64>dst << 32) | (<u64>src << 16) | <u64>dst;
  let r: u32, cf: u32;
  if (left) {
    r = <u32>((wide << count) >> 32) & 0xffff;
    cf = <u32>((wide << (count - 1)) >> 47) & 1;
  } else {
    r = <u32>(wide >> count) & 0xffff;
    cf = <u32>(wide >> (count - 1)) & 1;
  }
  const ovf = ((r ^ dst) >>> (bits - 1)) & 1;
  writeRM<T>(r);
  setResultFlags(r, bits - 1, cf, ovf);
}

// shld/shrd of 32 bits by count (masked to 0..31 here): the result, with
// the flags set; a count of 0 changes nothing. The block forms (SHLD_*,
// SHRD_*) and translated code (jshxd) run it too.
export function shiftDouble32(left: bool, dst: u32, src: u32, count: u32): u32 {
  count &= 31;
  if (count == 0) return dst;
  let r: u32, cf: u32;
  if (left) {
    r = (dst << count) | (src >>> (32 - count));
    cf = (dst >>> (32 - count)) & 1;
  } else {
    r = (dst >>> count) | (src << (32 - count));
    cf = (dst >>> (count - 1)) & 1;
  }
  setResultFlags(r, 31, cf, ((r ^ dst) >>> 31) & 1);
  return r;
}

// @ts-ignore: decorator
@inline export function cmpxchg<T>(): void {
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
@inline export function xadd<T>(): void {
  decodeModRM();
  const d = readRMW<T>();
  if (faulted()) return;
  const s = getRegOp<T>();
  const r = alu<T>(0, d, s);
  setRegOp<T>(d);
  writeRM<T>(r);
}

export function cmpxchg8b(): void {
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
export function group6(): void {
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
export function larLsl(kind: u32): void {
  decodeModRM();
  const sel = readRM<u16>();
  if (faulted()) return;
  const v = selectorQuery(kind, sel);
  if (faulted() || !(getFlags() & ZF)) return;
  if (opsize32) setRegOp<u32>(v); else setRegOp<u16>(v);
}

// 0F 01: sgdt sidt lgdt lidt smsw lmsw invlpg
export function group7(): void {
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
export function debugRegister(n: u32): i32 {
  if (n == 4 || n == 5) {
    if (load<u32>(CR4) & 8) { raise(UD); return -1; }
    return <i32>n + 2;
  }
  return <i32>n;
}


// 0F BA /4../7: bt/bts/btr/btc r/m, imm8 (ModRM already decoded).
// @ts-ignore: decorator
@inline export function bitTestImm<T>(kind: u32): void {
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
