// The 16-bit operand forms (blockkinds.ts, ALU16_RR on) in translated code:
// the 32-bit forms' code on the low words, the flags recorded at 16 bits;
// and inc/dec of memory (every width) and of byte registers.
import { K } from "../cpu/blockkinds";
import { ARITH, CF, Op } from "../cpu/flags";
import { CMP } from "../cpu/alu";
import * as W from "./emit";
import { F_JR16, F_JRW8, F_JRW16, F_JRW32, F_JW8, F_JW16, F_JW32, T0, T1, T2 } from "./frame";
import { P_NONE, P_LOGIC16, P_INCDEC32, record, keepCF } from "./flagcode";
import { getR16, setR16, getR8, setR8 } from "./regs";
import { ea, memRead, memWrite, checkFault, checkWrite, aluOp } from "./translate";

// Entry e (kind k), the block's entry i at offset off; next: the offset after it.
export function entry16(e: usize, k: u32, i: u32, off: u32, next: u32): void {
  const d = <u32>load<u8>(e, 2), s = <u32>load<u8>(e, 3);
  const imm = load<u32>(e, 4) & 0xffff;
  if (k < K.MOV16_RR) {
    const form = (k - K.ALU16_RR) >> 3; // RR RI RM MR MI
    const aop = (k - 1) & 7;
    if (form >= 3) {
      ea(e); memRead(e, aop == CMP ? F_JR16 : F_JRW16); W.set(T0);
      checkFault(off, i);
      if (form == 3) getR16(d); else W.i32c(imm);
      W.set(T1);
      aluOp(aop, 16, false);
      if (aop != CMP) { ea(e); W.get(T2); memWrite(e, F_JW16); checkWrite(off, next, i); }
      return;
    }
    getR16(d); W.set(T0);
    if (form == 2) { ea(e); memRead(e, F_JR16); W.set(T1); checkFault(off, i); }
    else if (form == 1) { W.i32c(imm); W.set(T1); }
    else { getR16(s); W.set(T1); }
    aluOp(aop, 16, false);
    if (aop != CMP) { W.get(T2); setR16(d); }
    return;
  }
  switch (k) {
    case K.MOV16_RR: getR16(s); setR16(d); return;
    case K.MOV16_RI: W.i32c(imm); setR16(d); return;
    case K.MOV16_RM: ea(e); memRead(e, F_JR16); W.set(T0); checkFault(off, i); W.get(T0); setR16(d); return;
    case K.MOV16_MR: case K.MOV16_MI:
      ea(e);
      if (k == K.MOV16_MR) getR16(d); else W.i32c(imm);
      memWrite(e, F_JW16); checkWrite(off, next, i);
      return;
    case K.TEST16_RR: case K.TEST16_RI: case K.TEST16_MR:
      if (k == K.TEST16_MR) { ea(e); memRead(e, F_JR16); W.set(T0); checkFault(off, i); getR16(d); }
      else { getR16(d); W.set(T0); if (k == K.TEST16_RR) getR16(s); else W.i32c(imm); }
      W.set(T1);
      W.get(T0); W.get(T1); W.op(W.AND); W.set(T2);
      record(Op.LOGIC, T0, T1, T2, 15, ARITH, P_LOGIC16);
      return;
    case K.INC16: case K.DEC16: case K.INC8_R: case K.DEC8_R: {
      // CF stays; conditions after them go through the record.
      const byte = k >= K.INC8_R, down = k == K.DEC16 || k == K.DEC8_R;
      keepCF();
      if (byte) getR8(d); else getR16(d);
      W.set(T0); W.i32c(1); W.set(T1);
      W.get(T0); W.i32c(1); W.op(down ? W.SUB : W.ADD); W.set(T2);
      record(down ? Op.SUB : Op.ADD, T0, T1, T2, byte ? 7 : 15, ARITH & ~CF, P_NONE);
      W.get(T2);
      if (byte) setR8(d); else setR16(d);
      return;
    }
    default: { // inc/dec of memory
      const bits: u32 = k <= K.DEC_M ? 32 : k <= K.DEC16_M ? 16 : 8;
      const down = k == K.DEC_M || k == K.DEC16_M || k == K.DEC8_M;
      keepCF();
      ea(e); memRead(e, bits == 32 ? F_JRW32 : bits == 16 ? F_JRW16 : F_JRW8); W.set(T0);
      checkFault(off, i);
      W.i32c(1); W.set(T1);
      W.get(T0); W.i32c(1); W.op(down ? W.SUB : W.ADD); W.set(T2);
      record(down ? Op.SUB : Op.ADD, T0, T1, T2, bits - 1, ARITH & ~CF, bits == 32 ? P_INCDEC32 : P_NONE);
      ea(e); W.get(T2); memWrite(e, bits == 32 ? F_JW32 : bits == 16 ? F_JW16 : F_JW8);
      checkWrite(off, next, i);
    }
  }
}
