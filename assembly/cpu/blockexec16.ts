// The block cache's 16-bit operand forms (blockkinds.ts, ALU16_RR on: an
// operand-size prefix in 32-bit code), run for blockexec.ts with the
// interpreter's helpers at u16, as the 32-bit forms run at u32; inc/dec of
// memory and byte registers; and the memory ALU step all widths share.
import { K, fD, fS, fImm, fSeg, fOff } from "./blockkinds";
import { getReg, setReg, faulted, ECX } from "./state";
import { shift } from "./shift";
import { readSeg, readSegForWrite, writeSeg } from "./decode";
import { alu, inc, dec, test, CMP } from "./alu";
import { codeDirty } from "../mmu/codepages";

// What run16 tells the block executor.
export const GO: u32 = 0, FAULT: u32 = 1, WROTE_CODE: u32 = 2;

// [m] op= b at width T (for every width's memory ALU forms); false when
// the access faulted.
// @ts-ignore: decorator
@inline export function aluMem<T>(e: usize, op: u32, b: u32): bool {
  const seg = fSeg(e), off = fOff(e);
  if (op == CMP) {
    const a = readSeg<T>(seg, off);
    if (faulted()) return false;
    alu<T>(CMP, a, b);
    return true;
  }
  const a = readSegForWrite<T>(seg, off);
  if (faulted()) return false;
  writeSeg<T>(seg, off, alu<T>(op, a, b));
  return true;
}

export function run16(e: usize, k: u32): u32 {
  if (k < K.MOV16_RR) {
    const form = (k - K.ALU16_RR) >> 3; // RR RI RM MR MI
    const op = (k - 1) & 7;
    if (form >= 3) {
      if (!aluMem<u16>(e, op, form == 3 ? getReg<u16>(fD(e)) : fImm(e) & 0xffff)) return FAULT;
      return codeDirty ? WROTE_CODE : GO;
    }
    let b: u32;
    if (form == 2) {
      b = readSeg<u16>(fSeg(e), fOff(e));
      if (faulted()) return FAULT;
    } else {
      b = form == 1 ? fImm(e) & 0xffff : getReg<u16>(fS(e));
    }
    const d = fD(e);
    const r = alu<u16>(op, getReg<u16>(d), b);
    if (op != CMP) setReg<u16>(d, r);
    return GO;
  }
  switch (k) {
    case K.MOV16_RR: setReg<u16>(fD(e), getReg<u16>(fS(e))); return GO;
    case K.MOV16_RI: setReg<u16>(fD(e), fImm(e)); return GO;
    case K.MOV16_RM: {
      const v = readSeg<u16>(fSeg(e), fOff(e));
      if (faulted()) return FAULT;
      setReg<u16>(fD(e), v);
      return GO;
    }
    case K.MOV16_MR: case K.MOV16_MI:
      writeSeg<u16>(fSeg(e), fOff(e), k == K.MOV16_MR ? getReg<u16>(fD(e)) : fImm(e));
      if (faulted()) return FAULT;
      return codeDirty ? WROTE_CODE : GO;
    case K.TEST16_RR: test<u16>(getReg<u16>(fD(e)), getReg<u16>(fS(e))); return GO;
    case K.TEST16_RI: test<u16>(getReg<u16>(fD(e)), fImm(e) & 0xffff); return GO;
    case K.TEST16_MR: {
      const v = readSeg<u16>(fSeg(e), fOff(e));
      if (faulted()) return FAULT;
      test<u16>(v, getReg<u16>(fD(e)));
      return GO;
    }
    case K.INC16: { const d = fD(e); setReg<u16>(d, inc<u16>(getReg<u16>(d))); return GO; }
    case K.DEC16: { const d = fD(e); setReg<u16>(d, dec<u16>(getReg<u16>(d))); return GO; }
    case K.INC8_R: { const d = fD(e); setReg<u8>(d, inc<u8>(getReg<u8>(d))); return GO; }
    case K.DEC8_R: { const d = fD(e); setReg<u8>(d, dec<u8>(getReg<u8>(d))); return GO; }
    case K.INC_M: case K.DEC_M: return incDecMem<u32>(e, k == K.DEC_M);
    case K.INC16_M: case K.DEC16_M: return incDecMem<u16>(e, k == K.DEC16_M);
    case K.SHIFT16_RI: case K.SHIFT16_RC: {
      const d = fD(e);
      setReg<u16>(d, shift<u16>(fS(e), getReg<u16>(d), k == K.SHIFT16_RI ? fImm(e) : getReg<u8>(ECX)));
      return GO;
    }
    default: return incDecMem<u8>(e, k == K.DEC8_M); // INC8_M, DEC8_M
  }
}

// inc or dec of [m] at width T.
// @ts-ignore: decorator
@inline function incDecMem<T>(e: usize, down: bool): u32 {
  const seg = fSeg(e), off = fOff(e);
  const a = readSegForWrite<T>(seg, off);
  if (faulted()) return FAULT;
  writeSeg<T>(seg, off, down ? dec<T>(a) : inc<T>(a));
  return codeDirty ? WROTE_CODE : GO;
}
