// The block cache's 16-bit operand forms (blockkinds.ts, ALU16_RR on: an
// operand-size prefix in 32-bit code), run for blockexec.ts with the
// interpreter's helpers at u16, as the 32-bit forms run at u32.
import { K, fD, fS, fImm, fSeg, fOff } from "./blockkinds";
import { getReg, setReg, faulted } from "./state";
import { readSeg, readSegForWrite, writeSeg } from "./decode";
import { alu, inc, dec, test, CMP } from "./alu";
import { codeDirty } from "../mmu/codepages";

// What run16 tells the block executor.
export const GO: u32 = 0, FAULT: u32 = 1, WROTE_CODE: u32 = 2;

export function run16(e: usize, k: u32): u32 {
  if (k < K.MOV16_RR) {
    const form = (k - K.ALU16_RR) >> 3; // RR RI RM MR MI
    const op = (k - 1) & 7;
    if (form >= 3) {
      const b = form == 3 ? getReg<u16>(fD(e)) : fImm(e) & 0xffff;
      const seg = fSeg(e), off = fOff(e);
      if (op == CMP) {
        const a = readSeg<u16>(seg, off);
        if (faulted()) return FAULT;
        alu<u16>(CMP, a, b);
        return GO;
      }
      const a = readSegForWrite<u16>(seg, off);
      if (faulted()) return FAULT;
      writeSeg<u16>(seg, off, alu<u16>(op, a, b));
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
    default: { const d = fD(e); setReg<u16>(d, dec<u16>(getReg<u16>(d))); return GO; } // DEC16
  }
}
