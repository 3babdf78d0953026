// Translates a region (jit/region.ts: blocks of one code page joined by
// direct transfers) into a WebAssembly module whose function
// f(pageEip, budget, member) runs from that member (the one at CS:EIP: the
// run loop keeps the index in the block's slot; pageEip is the EIP of the
// page's first byte) and returns how many instructions ran,
// with STOP set when it ended at a fault or at a write to decoded code, and
// GENERIC_NEXT when the interpreter must run the instruction at EIP next.
//
// Inside the function a dispatch loop (a br_table over the members) takes
// every jump, branch, call and return whose target is a member, so a hot
// loop or a call within the page never leaves WebAssembly; a member checks
// the budget (whole blocks only, as the block executor runs them) and
// pending events on entry. The eight registers live in locals for the
// whole function: all are read at entry, those written are stored at the
// exit (and around a helper that reads or moves them in memory). The lazy-flag
// record is stored as the block executor stores it, so flags are exact
// wherever a block stops; the values of the last flag-setting entry also
// stay in locals, so that a following jcc/setcc/cmov usually tests them
// directly. Faults leave EIP at the faulting entry and its effects undone,
// as the interpreter does. Offsets below are from the start of the page
// (L_EIP holds the EIP of the page's first byte).
import {
  EIP, REGS, FAULT_VEC, CPL, EFLAGS, EVENTS, LF_OP, LF_RES, LF_A, LF_B, LF_BITS, LF_MASK, ZERO_WORD,
} from "../layout";
import { K, fSeg } from "../cpu/blockkinds";
import { entryAt } from "../cpu/blocks";
import { regionSize, regionOff, regionFirst, regionCount, regionIndex, REGION_MAX } from "./region";
import { ARITH, CF, Op } from "../cpu/flags";
import { ADD, OR, ADC, SBB, AND, SUB, XOR, CMP } from "../cpu/alu";
import * as W from "./emit";
import { emitRead, emitWrite, rightsPrologue, reloadMachineState, assumeFromState, stateDiffers, segmentsDiffer } from "./access";
import { emitPush, emitPop, emitAddSP } from "./stack";
import {
  F_JR8, F_JR16, F_JR32, F_JRW8, F_JRW32, F_JW8, F_JW16, F_JW32,
  F_JALU32, F_JALU8, F_JALU16, F_JRW16, F_JSHIFT32, F_JSHIFT16, F_JFAULT, F_JINTERP, F_JMULDIV, F_JSHXD, F_JX87, HELPERS,
  L_EIP, L_BUDGET, L_R0, L_N, L_RET, T0, T1, T2, T3, L_BLK, L_OP, LOCALS,
} from "./frame";
import {
  P_NONE, P_ADD32, P_SUB32, P_LOGIC32, P_INCDEC32, P_ADD8, P_SUB8, P_LOGIC8, P_ADD16, P_CARRY32,
  setProducer, dropRecord, memberStart, record, exitRecord, storeExitRecord, flush, cond, keepCF, resultFlags,
} from "./flagcode";
import { typeSection, importSection } from "./module";
import { entry16 } from "./wide16";
import { getR, setR, getR8, setR8, getR16, setR16, toMemory, fromMemory, resetRegs, regsWritten, regsDirty, allDirty, allClean } from "./regs";
import { shiftInline, shiftByCL, imul } from "./shiftmul";

export const STOP: u32 = 0x80000000;
export const GENERIC_NEXT: u32 = 0x40000000;
// What the host's stub answers while the region's module compiles (host/jit.ts).
export const NOT_READY: u32 = 0x20000000;
// What a function answers, having run nothing, when the machine is not in
// the state it was translated for (access.ts: paging, flat DS and SS): the
// block executor runs the block and forgets the function, so that the
// block is translated again when hot (jitForget).
export const RETRANSLATE: u32 = NOT_READY | 1;

let depth: u32 = 0; // blocks open inside the function's outer block
let selfDepth: u32 = 0; // depth of the current member's own loop
let memberIndex: u32 = 0; // the member being emitted

// ---- Emission helpers ----------------------------------------------------------

function open(kind: u32): void {
  if (kind == 0) W.block(); else if (kind == 1) W.loop(); else W.ifThen();
  depth++;
}
function close(): void { W.end(); depth--; }
// br to the function's outer block (the exit) from the current depth; the
// flags become visible there.
function brOut(): void {
  exitRecord();
  W.br(depth - 1);
}
// To the dispatch loop (opened second), which goes to member L_BLK.
function brDispatch(): void { W.br(depth - 2); }

// The memory operand's offset: base + (index << scale) + displacement.
export function ea(e: usize): void {
  const base = <u32>load<u16>(e, 8), index = <u32>load<u16>(e, 10);
  const scale = <u32>load<u8>(e, 3) >> 4;
  const disp = load<u32>(e, 12);
  let terms = 0;
  if (base != ZERO_WORD) { getR((base - REGS) >> 2); terms++; }
  if (index != ZERO_WORD) {
    getR((index - REGS) >> 2);
    if (scale != 0) { W.i32c(scale); W.op(W.SHL); }
    if (terms++ != 0) W.op(W.ADD);
  }
  if (terms == 0) W.i32c(disp);
  else if (disp != 0) { W.i32c(disp); W.op(W.ADD); }
}
function segOf(e: usize): u32 { return <u32>load<u8>(e, 3) & 15; }

// [offset] -> [value] through the helper fn (F_JR*, F_JRW*) or inline.
export function memRead(e: usize, fn: u32): void {
  const size: u32 = fn == F_JR8 || fn == F_JRW8 ? 1 : fn == F_JR16 || fn == F_JRW16 ? 2 : 4;
  emitRead(segOf(e), size, fn, fn == F_JRW8 || fn == F_JRW16 || fn == F_JRW32);
}
// [offset, value] -> [status] through F_JW* or inline.
export function memWrite(e: usize, fn: u32): void {
  emitWrite(segOf(e), fn == F_JW8 ? 1 : fn == F_JW16 ? 2 : 4, fn);
}

// Exits. off: the entry's offset in the block; i: its index.
function exitFault(off: u32, i: u32): void {
  W.get(L_EIP); W.i32c(off); W.op(W.ADD); W.call(F_JFAULT);
  W.get(L_N); W.i32c((i + 1) | STOP); W.op(W.ADD); W.set(L_RET);
  brOut();
}
function exitAt(eipOff: u32, counted: u32, stop: bool): void {
  W.i32c(EIP); W.get(L_EIP); W.i32c(eipOff); W.op(W.ADD); W.store32();
  W.get(L_N); W.i32c(counted | (stop ? STOP : 0)); W.op(W.ADD); W.set(L_RET);
  brOut();
}
// After a read helper: leave if it faulted.
export function checkFault(off: u32, i: u32): void {
  W.loadAt(FAULT_VEC); W.i32c(0); W.op(W.GE_S);
  open(2); exitFault(off, i); close();
}
// After a write helper (its status on the stack): 2 fault, 1 decoded code
// was written (stop after this entry, at next).
export function checkWrite(off: u32, next: u32, i: u32): void {
  W.set(T3);
  W.get(T3);
  open(2);
  W.get(T3); W.i32c(2); W.op(W.EQ);
  open(2); exitFault(off, i); close();
  exitAt(next, i + 1, true);
  close();
}

// ---- ALU -------------------------------------------------------------------------

// a in T0 and b in T1 (bits wide: 8, 16 or 32): result into T2, flags
// recorded unless nf. Narrow adc and sbb go through the core (they read CF).
export function aluOp(aop: u32, bits: u32, nf: bool): void {
  if ((aop == ADC || aop == SBB) && bits == 32) {
    // The carry in from the last producer (or the record), then a + b + CF
    // or a - b - CF, recorded as ADD/SUB or, with a carry in, ADDC/SUBB.
    cond(2); // B: CF
    W.set(L_OP);
    W.get(T0); W.get(T1); W.op(aop == ADC ? W.ADD : W.SUB); W.get(L_OP); W.op(aop == ADC ? W.ADD : W.SUB); W.set(T2);
    W.get(L_OP); W.i32c(aop == ADC ? Op.ADD : Op.SUB); W.op(W.ADD); W.set(L_OP);
    if (!nf) record(aop == ADC ? Op.ADD : Op.SUB, T0, T1, T2, 31, ARITH, P_CARRY32);
    return;
  }
  if (aop == ADC || aop == SBB) {
    flush();
    W.i32c(aop); W.get(T0); W.get(T1); W.call(bits == 8 ? F_JALU8 : F_JALU16); W.set(T2);
    setProducer(P_NONE);
    return;
  }
  W.get(T0); W.get(T1);
  let lop: Op, p: u32;
  // The producer kinds come in threes (add, sub, logic) per width.
  const p0 = bits == 8 ? P_ADD8 : bits == 16 ? P_ADD16 : P_ADD32;
  switch (aop) {
    case ADD: W.op(W.ADD); lop = Op.ADD; p = p0; break;
    case OR: W.op(W.OR); lop = Op.LOGIC; p = p0 + 2; break;
    case AND: W.op(W.AND); lop = Op.LOGIC; p = p0 + 2; break;
    case XOR: W.op(W.XOR); lop = Op.LOGIC; p = p0 + 2; break;
    default: W.op(W.SUB); lop = Op.SUB; p = p0 + 1; break; // sub, cmp
  }
  W.set(T2);
  if (!nf) record(lop, T0, T1, T2, bits - 1, ARITH, p);
}

// ---- One entry -------------------------------------------------------------------

// Emits entry i at offset off (next: the offset after it). Returns false
// for a kind the translator does not handle.
function entry(e: usize, i: u32, off: u32, next: u32): bool {
  const k = <u32>load<u8>(e);
  const d = <u32>load<u8>(e, 2), s = <u32>load<u8>(e, 3);
  const imm = load<u32>(e, 4);
  if (k >= K.ALU16_RR && k <= K.DEC8_M) { entry16(e, k, i, off, next); return true; }
  if (k >= K.ALU_RR && k < K.ALU_RR_NF + 16) {
    const form = k < K.ALU_RR_NF ? (k - K.ALU_RR) >> 3 : (k - K.ALU_RR_NF) >> 3; // RR RI RM MR MI
    const aop = (k - 1) & 7;
    const nf = k >= K.ALU_RR_NF;
    const mem = !nf && form >= 3;
    if (mem) {
      ea(e); memRead(e, aop == CMP ? F_JR32 : F_JRW32); W.set(T0);
      checkFault(off, i);
      if (form == 3) getR(d); else W.i32c(imm);
      W.set(T1);
      aluOp(aop, 32, false);
      if (aop != CMP) {
        ea(e); W.get(T2); memWrite(e, F_JW32);
        checkWrite(off, next, i);
      }
      return true;
    }
    getR(d); W.set(T0);
    if (form == 2) { ea(e); memRead(e, F_JR32); W.set(T1); checkFault(off, i); }
    else if (form == 1) { W.i32c(imm); W.set(T1); }
    else { getR(s); W.set(T1); }
    aluOp(aop, 32, nf);
    if (aop != CMP) { W.get(T2); setR(d); }
    return true;
  }
  if (k >= K.ALU8_RR && k < K.INC || (k >= K.ALU8_MR && k < K.BSWAP)) {
    const form = k >= K.ALU8_MR ? 4 : (k - K.ALU8_RR) >> 3; // RR RI RM MI, MR
    const aop = (k - 1) & 7;
    if (form >= 3) {
      ea(e); memRead(e, aop == CMP ? F_JR8 : F_JRW8); W.set(T0);
      checkFault(off, i);
      if (form == 4) getR8(d); else W.i32c(imm & 0xff);
      W.set(T1);
      aluOp(aop, 8, false);
      if (aop != CMP) { ea(e); W.get(T2); memWrite(e, F_JW8); checkWrite(off, next, i); }
      return true;
    }
    getR8(d); W.set(T0);
    if (form == 2) { ea(e); memRead(e, F_JR8); W.set(T1); checkFault(off, i); }
    else if (form == 1) { W.i32c(imm & 0xff); W.set(T1); }
    else { getR8(s); W.set(T1); }
    aluOp(aop, 8, false);
    if (aop != CMP) { W.get(T2); setR8(d); }
    return true;
  }
  switch (k) {
    case K.INC: case K.DEC: {
      keepCF();
      getR(d); W.set(T0); W.i32c(1); W.set(T1);
      W.get(T0); W.i32c(1); W.op(k == K.INC ? W.ADD : W.SUB); W.set(T2);
      record(k == K.INC ? Op.ADD : Op.SUB, T0, T1, T2, 31, ARITH & ~CF, P_INCDEC32);
      W.get(T2); setR(d);
      return true;
    }
    case K.INC_NF: case K.DEC_NF:
      getR(d); W.i32c(1); W.op(k == K.INC_NF ? W.ADD : W.SUB); setR(d);
      return true;
    case K.MOV_RR: getR(s); setR(d); return true;
    case K.MOV_RI: W.i32c(imm); setR(d); return true;
    case K.MOV_RM: case K.MOVZX8_M: case K.MOVZX16_M: case K.MOVSX8_M: case K.MOVSX16_M: {
      ea(e);
      memRead(e, k == K.MOV_RM ? F_JR32 : k == K.MOVZX8_M || k == K.MOVSX8_M ? F_JR8 : F_JR16);
      W.set(T0);
      checkFault(off, i);
      W.get(T0);
      if (k == K.MOVSX8_M) W.op(W.EXTEND8_S);
      else if (k == K.MOVSX16_M) W.op(W.EXTEND16_S);
      setR(d);
      return true;
    }
    case K.MOV_MR: case K.MOV_MI:
      ea(e);
      if (k == K.MOV_MR) getR(d); else W.i32c(imm);
      memWrite(e, F_JW32); checkWrite(off, next, i);
      return true;
    case K.MOV8_RR: getR8(s); setR8(d); return true;
    case K.MOV8_RI: W.i32c(imm); setR8(d); return true;
    case K.MOV8_RM: ea(e); memRead(e, F_JR8); W.set(T0); checkFault(off, i); W.get(T0); setR8(d); return true;
    case K.MOV8_MR: case K.MOV8_MI:
      ea(e);
      if (k == K.MOV8_MR) getR8(d); else W.i32c(imm & 0xff);
      memWrite(e, F_JW8); checkWrite(off, next, i);
      return true;
    case K.MOVZX8_R: getR8(s); setR(d); return true;
    case K.MOVZX16_R: getR(s); W.i32c(0xffff); W.op(W.AND); setR(d); return true;
    case K.MOVSX8_R: getR8(s); W.op(W.EXTEND8_S); setR(d); return true;
    case K.MOVSX16_R: getR(s); W.op(W.EXTEND16_S); setR(d); return true;
    case K.LEA: ea(e); setR(d); return true;
    case K.TEST_RR: case K.TEST_RI: case K.TEST_MR: case K.TEST8_RR: case K.TEST8_RI: case K.TEST8_MI: {
      const narrow = k >= K.TEST8_RR;
      if (k == K.TEST_MR || k == K.TEST8_MI) {
        ea(e); memRead(e, narrow ? F_JR8 : F_JR32); W.set(T0); checkFault(off, i);
        if (k == K.TEST_MR) getR(d); else W.i32c(imm & 0xff);
      } else {
        if (narrow) getR8(d); else getR(d);
        W.set(T0);
        if (k == K.TEST_RR) getR(s);
        else if (k == K.TEST8_RR) getR8(s);
        else W.i32c(narrow ? imm & 0xff : imm);
      }
      W.set(T1);
      W.get(T0); W.get(T1); W.op(W.AND); W.set(T2);
      record(Op.LOGIC, T0, T1, T2, narrow ? 7 : 31, ARITH, narrow ? P_LOGIC8 : P_LOGIC32);
      return true;
    }
    case K.PUSH_R: getR(d); emitPush(); checkWrite(off, next, i); return true;
    case K.PUSH_I: W.i32c(imm); emitPush(); checkWrite(off, next, i); return true;
    case K.PUSH_M:
      ea(e); memRead(e, F_JR32); W.set(T0); checkFault(off, i);
      W.get(T0); emitPush(); checkWrite(off, next, i);
      return true;
    case K.POP_R: emitPop(false); W.set(T0); checkFault(off, i); W.get(T0); setR(d); return true;
    case K.SHIFT_RI:
      if (shiftInline(d, s, imm & 31)) return true;
      flush();
      W.i32c(s); getR(d); W.i32c(imm);
      W.call(F_JSHIFT32); setR(d);
      setProducer(P_NONE);
      return true;
    case K.SHIFT_RC:
      flush();
      if (!shiftByCL(d, s)) { W.i32c(s); getR(d); getR8(1); W.call(F_JSHIFT32); setR(d); }
      setProducer(P_NONE);
      return true;
    case K.SHIFT16_RI: case K.SHIFT16_RC:
      flush();
      W.i32c(s); getR16(d);
      if (k == K.SHIFT16_RI) W.i32c(imm); else getR8(1);
      W.call(F_JSHIFT16); setR16(d);
      setProducer(P_NONE);
      return true;
    case K.NOT_R: getR(d); W.i32c(0xffffffff); W.op(W.XOR); setR(d); return true;
    case K.NEG_R:
      W.i32c(0); W.set(T0); getR(d); W.set(T1);
      W.get(T0); W.get(T1); W.op(W.SUB); W.set(T2);
      record(Op.SUB, T0, T1, T2, 31, ARITH, P_SUB32);
      W.get(T2); setR(d);
      return true;
    case K.IMUL_RR: getR(d); W.set(T0); getR(s); W.set(T1); imul(d); return true;
    case K.IMUL_RRI: getR(s); W.set(T0); W.i32c(imm); W.set(T1); imul(d); return true;
    case K.IMUL_RM: case K.IMUL_RMI:
      ea(e); memRead(e, F_JR32); W.set(T0); checkFault(off, i);
      if (k == K.IMUL_RM) getR(d); else W.i32c(imm);
      W.set(T1);
      imul(d);
      return true;
    case K.SHLD_RI: case K.SHRD_RI: case K.SHLD_RC: case K.SHRD_RC: {
      const left: u32 = k == K.SHLD_RI || k == K.SHLD_RC ? 0x100 : 0;
      flush();
      getR(d); getR(s);
      if (k <= K.SHRD_RI) W.i32c(left | (imm & 0xff));
      else { getR8(1); if (left != 0) { W.i32c(left); W.op(W.OR); } }
      W.call(F_JSHXD); setR(d);
      setProducer(P_NONE);
      return true;
    }
    case K.MULDIV_R: case K.MULDIV_M: {
      // The core's helper on EDX:EAX in memory (flags through the record).
      if (k == K.MULDIV_M) { ea(e); memRead(e, F_JR32); W.set(T0); checkFault(off, i); }
      else { getR(d); W.set(T0); }
      flush();
      toMemory(0); toMemory(2);
      W.i32c(k == K.MULDIV_M ? d : s); W.get(T0); W.call(F_JMULDIV);
      fromMemory(0); fromMemory(2);
      setProducer(P_NONE);
      open(2); exitFault(off, i); close();
      return true;
    }
    case K.BSWAP:
      getR(d); W.set(T0);
      W.get(T0); W.i32c(24); W.op(W.SHR_U);
      W.get(T0); W.i32c(8); W.op(W.SHR_U); W.i32c(0xff00); W.op(W.AND); W.op(W.OR);
      W.get(T0); W.i32c(8); W.op(W.SHL); W.i32c(0xff0000); W.op(W.AND); W.op(W.OR);
      W.get(T0); W.i32c(24); W.op(W.SHL); W.op(W.OR);
      setR(d);
      return true;
    case K.CDQ: getR(0); W.i32c(31); W.op(W.SHR_S); setR(2); return true;
    case K.CWDE: getR(0); W.op(W.EXTEND16_S); setR(0); return true;
    case K.XCHG_RR: getR(d); W.set(T0); getR(s); setR(d); W.get(T0); setR(s); return true;
    case K.NOP: return true;
    case K.INTERP: {
      // The interpreter runs it on the state in memory: the record and the
      // registers go there first and come back after (it may change any).
      flush();
      for (let r: u32 = 0; r < 8; r++) {
        if ((regsDirty() & (1 << r)) != 0) { W.i32c(REGS + r * 4); W.get(L_R0 + r); W.store32(); }
      }
      W.get(L_EIP); W.i32c(off); W.op(W.ADD);
      W.get(L_N); W.i32c(i); W.op(W.ADD);
      W.get(L_EIP); W.i32c(next); W.op(W.ADD);
      W.call(F_JINTERP); W.set(T3);
      for (let r: u32 = 0; r < 8; r++) { W.loadAt(REGS + r * 4); W.set(L_R0 + r); }
      reloadMachineState();
      allClean();
      setProducer(P_NONE);
      // It stopped the block, or loaded DS or SS so that they are not what
      // this function assumes: EIP is where it left it, and it is retired.
      W.get(T3); segmentsDiffer(); W.op(W.OR);
      open(2); W.get(L_N); W.i32c((i + 1) | STOP); W.op(W.ADD); W.set(L_RET); brOut(); close();
      return true;
    }
    case K.X87: {
      // The FPU's handler on its own state. Only fcmov reads the flags,
      // fcomi/fucomi(p) write them and fnstsw AX writes AX: those go through
      // memory; the other forms leave the lazy record and the registers
      // where they are (a fault's exit stores them as for any entry).
      const op = imm & 0xff, m = imm >> 8, reg = (m >> 3) & 7, regForm = m >= 0xc0;
      const readsFlags = regForm && (op == 0xda || op == 0xdb) && reg < 4;
      const writesFlags = regForm && (op == 0xdb || op == 0xdf) && (reg == 5 || reg == 6);
      const writesAX = op == 0xdf && m == 0xe0;
      if (readsFlags || writesFlags) flush();
      if (writesAX) toMemory(0); // fnstsw writes AX alone: EAX's top half from the local
      W.i32c(imm | (fSeg(e) << 16));
      if (!regForm) ea(e); else W.i32c(0);
      W.get(L_EIP); W.i32c(off); W.op(W.ADD);
      W.call(F_JX87); W.set(T3);
      if (writesAX) fromMemory(0);
      if (writesFlags) setProducer(P_NONE);
      W.get(T3); W.i32c(1); W.op(W.EQ); open(2); exitFault(off, i); close();
      W.get(T3); open(2); exitAt(next, i + 1, true); close();
      return true;
    }
    case K.SETCC_R: cond(imm); setR8(d); return true;
    case K.CMOV_RR: cond(imm); open(2); getR(s); setR(d); close(); return true;
    case K.CMOV_RM:
      ea(e); memRead(e, F_JR32); W.set(T0); checkFault(off, i);
      cond(imm); open(2); W.get(T0); setR(d); close();
      return true;
    case K.LEAVE: emitPop(true); W.set(T0); checkFault(off, i); W.get(T0); setR(5); return true;
    default: return false;
  }
}

// Goes on at page offset target after i entries of the current member ran:
// inside the function when a member starts there, else out with EIP there.
function goTo(target: u32, i: u32): void {
  const t = target < 0x1000 ? regionIndex(target) : REGION_MAX;
  if (t == REGION_MAX) { exitAt(target, i, false); return; }
  W.get(L_N); W.i32c(i); W.op(W.ADD); W.set(L_N);
  exitRecord(); // a member starts from the record L_PEND says
  if (t == memberIndex) { W.br(depth - 1 - selfDepth); return; }
  W.i32c(t); W.set(L_BLK);
  brDispatch();
}

// The target of an indirect transfer is in T0 and EIP: to the member at it,
// or (not a member) out. The members are found by a binary search over
// their page offsets, so a return or a switch costs a few compares however
// large the region is.
function goIndirect(i: u32): void {
  W.i32c(EIP); W.get(T0); W.store32();
  W.get(L_N); W.i32c(i); W.op(W.ADD); W.set(L_N);
  exitRecord();
  W.get(T0); W.get(L_EIP); W.op(W.SUB); W.set(T1); // off the page: above any member
  W.i32c(regionSize()); W.set(L_BLK); // the miss case
  open(0);
  search(0, regionSize(), depth);
  close();
  brDispatch();
}

// Members byOffset[lo, hi): sets L_BLK to the one at offset T1 and leaves
// to the block at depth found; falls through when none is.
function search(lo: u32, hi: u32, found: u32): void {
  if (hi - lo <= 4) {
    for (let s = lo; s < hi; s++) {
      const j = unchecked(byOffset[s]);
      W.get(T1); W.i32c(regionOff(j)); W.op(W.EQ);
      open(2); W.i32c(j); W.set(L_BLK); W.br(depth - found); close();
    }
    return;
  }
  const mid = (lo + hi) >> 1;
  W.get(T1); W.i32c(regionOff(unchecked(byOffset[mid]))); W.op(W.LT_U);
  open(2); search(lo, mid, found); W.br(depth - found); close();
  search(mid, hi, found);
}

// The region's members in the order of their page offsets.
const byOffset = new StaticArray<u32>(REGION_MAX);
function sortMembers(): void {
  const n = regionSize();
  for (let j: u32 = 0; j < n; j++) {
    let s = j;
    for (; s > 0 && regionOff(unchecked(byOffset[s - 1])) > regionOff(j); s--) unchecked(byOffset[s] = byOffset[s - 1]);
    unchecked(byOffset[s] = j);
  }
}

// The last entry when it transfers control. Returns false for a kind it
// does not handle.
function transfer(e: usize, i: u32, off: u32, next: u32): bool {
  const k = <u32>load<u8>(e);
  const d = <u32>load<u8>(e, 2);
  const imm = load<u32>(e, 4);
  if (k >= K.JCC && k < K.JMP) {
    cond(k - K.JCC);
    open(2); goTo(next + imm, i + 1); close();
    goTo(next, i + 1);
    return true;
  }
  if (k == K.JMP) { goTo(next + imm, i + 1); return true; }
  switch (k) {
    case K.CALL: case K.CALL_R: case K.CALL_M: {
      if (k == K.CALL_M) { ea(e); memRead(e, F_JR32); W.set(T0); checkFault(off, i); }
      else if (k == K.CALL_R) { getR(d); W.set(T0); }
      W.get(L_EIP); W.i32c(next); W.op(W.ADD); emitPush();
      W.set(T3);
      W.get(T3); W.i32c(2); W.op(W.EQ);
      open(2); exitFault(off, i); close();
      // A write to decoded code (the stack on a code page): stop at the target.
      if (k == K.CALL) { W.get(L_EIP); W.i32c(next + imm); W.op(W.ADD); W.set(T0); }
      W.get(T3);
      open(2); W.i32c(EIP); W.get(T0); W.store32(); W.get(L_N); W.i32c((i + 1) | STOP); W.op(W.ADD); W.set(L_RET); brOut(); close();
      if (k == K.CALL) { goTo(next + imm, i + 1); return true; }
      break;
    }
    case K.RET: case K.RET_IMM:
      emitPop(false); W.set(T0); checkFault(off, i);
      if (k == K.RET_IMM) emitAddSP(imm);
      break;
    case K.JMP_R: getR(d); W.set(T0); break;
    case K.JMP_M: ea(e); memRead(e, F_JR32); W.set(T0); checkFault(off, i); break;
    default: return false;
  }
  goIndirect(i + 1);
  return true;
}

function isTransfer(k: u32): bool { return k >= K.JCC && k <= K.CALL_M; }

// ---- The module ------------------------------------------------------------------

// One member: its entry check (whole blocks within the budget, no pending
// event), then its entries inside a loop of its own, which a transfer to
// its own start takes.
function member(j: u32): bool {
  const first = regionFirst(j), count = regionCount(j);
  const base = regionOff(j);
  const last = entryAt(first + count - 1);
  const lastKind = <u32>load<u8>(last);
  const fast = lastKind == K.GENERIC ? count - 1 : count;
  memberStart();
  memberIndex = j;
  selfDepth = depth;
  allDirty();
  open(1);
  W.get(L_N); W.i32c(count); W.op(W.ADD); W.get(L_BUDGET); W.op(W.GT_U);
  W.loadAt(EVENTS); W.op(W.OR);
  open(2); exitAt(base, 0, false); close();
  let off = base;
  for (let i: u32 = 0; i < fast; i++) {
    const e = entryAt(first + i);
    const next = off + <u32>load<u8>(e, 1);
    const k = <u32>load<u8>(e);
    if (i == count - 1 && isTransfer(k)) {
      if (!transfer(e, i, off, next)) return false;
    } else if (!entry(e, i, off, next)) {
      return false;
    }
    off = next;
  }
  if (lastKind == K.GENERIC) {
    // The interpreter runs it: out with EIP there and the mark that says so.
    W.i32c(EIP); W.get(L_EIP); W.i32c(off); W.op(W.ADD); W.store32();
    W.get(L_N); W.i32c(fast | GENERIC_NEXT); W.op(W.ADD); W.set(L_RET);
    brOut();
  } else if (!isTransfer(lastKind)) {
    goTo(off, count);
  }
  close();
  return true;
}

// Builds the module for the region (jit/region.ts) into the JIT buffer.
// Returns its length, or 0 when some entry cannot be translated.
export function translateRegion(): u32 {
  W.emitReset();
  dropRecord();
  resetRegs();
  depth = 0;
  const n = regionSize();
  sortMembers();

  W.byte(0); W.byte(0x61); W.byte(0x73); W.byte(0x6d); W.byte(1); W.byte(0); W.byte(0); W.byte(0);
  typeSection();
  importSection();
  W.byte(3); W.uleb(2); W.uleb(1); W.uleb(1); // one function of type 1: (eip, budget, member) -> count
  W.byte(7); W.uleb(5); W.uleb(1); W.name("f"); W.byte(0); W.uleb(HELPERS);
  W.byte(10);
  const code = W.sizeSlot();
  W.uleb(1);
  const body = W.sizeSlot();
  W.uleb(1); W.uleb(LOCALS); W.byte(W.I32);
  for (let r: u32 = 0; r < 8; r++) { W.loadAt(REGS + r * 4); W.set(L_R0 + r); }
  rightsPrologue(CPL);
  assumeFromState();
  open(0); // the exit
  // Entered with paging the other way than translated for, or DS or SS not
  // flat where assumed (the accesses would be wrong): nothing runs here.
  stateDiffers();
  open(2); W.i32c(RETRANSLATE); W.set(L_RET); brOut(); close();
  open(1); // the dispatch loop
  for (let j: u32 = 0; j <= n; j++) open(0);
  W.get(L_BLK);
  W.byte(0x0e); W.uleb(n); for (let j: u32 = 0; j < n; j++) W.uleb(j); W.uleb(n);
  for (let j: u32 = 0; j < n; j++) {
    close();
    if (!member(j)) return 0;
  }
  close();
  dropRecord(); // the record is in memory here
  // No member starts at EIP (an indirect transfer's target): out. Entered
  // that way with nothing run, STOP makes the run loop take an instruction.
  W.get(L_N); W.i32c(STOP); W.op(W.OR); W.get(L_N); W.get(L_N); W.op(W.EQZ); W.byte(0x1b); W.set(L_RET);
  brOut();
  close();
  close();
  storeExitRecord();
  for (let r: u32 = 0; r < 8; r++) {
    if ((regsWritten() & (1 << r)) != 0) { W.i32c(REGS + r * 4); W.get(L_R0 + r); W.store32(); }
  }
  W.get(L_RET);
  W.end();
  W.patchSize(body);
  W.patchSize(code);
  return W.emitOverflowed() ? 0 : W.emitLength();
}
