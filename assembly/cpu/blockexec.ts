// Runs decoded blocks (cpu/blocks.ts) for the run loop: each entry does
// what the interpreter's handler for that instruction does, with the same
// helpers (alu.ts, flags.ts, stack.ts, the segment-checked accesses of
// decode.ts), so the two cannot disagree on flags or faults; only the
// decoding is skipped. A faulting entry leaves the state as the
// interpreter would and names itself as the instruction that faulted.
import { runX87 } from "../fpu/entry";
import { EIP, EVENTS, BLOCKS_ON, CODE32 } from "../layout";
import { K, ENTRY_BYTES, fD, fS, fImm, fSeg, fOff } from "./blockkinds";
import { run16, aluMem, FAULT, WROTE_CODE } from "./blockexec16";
import { codePage, blockAt, entryAt, NO_PAGE, countBlockRun } from "./blocks";
import { codeDirty, clearCodeDirty } from "../mmu/codepages";
import { settle, resetPaid, setJitBase, interpAt } from "./midblock";
import { reg32, setReg32, reg16, getReg, setReg, segBase, faulted, EAX, ECX, EDX, EBP, ESP, SS, CS } from "./state";
import { readSeg, readSegForWrite, writeSeg, setInsnStart } from "./decode";
import { alu, inc, dec, neg, test, ADD, OR, ADC, SBB, AND, SUB, XOR, CMP } from "./alu";
import { testCC } from "./flags";
import { shift } from "./shift";
import { imulTrunc, mulDiv32 } from "./muldiv";
import { shiftDouble32 } from "./forms0f";
import { push, pop, addSP, stack32 } from "./stack";
import { stepOne } from "./execute";
import { jitFunction, jitForget } from "../jit/jit";
import { STOP, GENERIC_NEXT, NOT_READY, RETRANSLATE } from "../jit/translate";

const MAX_RUN: u32 = 0x10000000;

// Without flags only the operations that need none get here (never adc/sbb).
// @ts-ignore: decorator
@inline function plain(op: u32, a: u32, b: u32): u32 {
  switch (op) {
    case ADD: return a + b;
    case OR: return a | b;
    case AND: return a & b;
    case SUB: return a - b;
    case XOR: return a ^ b;
    default: return a;
  }
}

// @ts-ignore: decorator
@inline function aluReg32(e: usize, op: u32, b: u32, flags: bool): void {
  const d = fD(e);
  if (flags) {
    const r = alu<u32>(op, reg32(d), b);
    if (op != CMP) setReg32(d, r);
  } else if (op != CMP) {
    setReg32(d, plain(op, reg32(d), b));
  }
}

// @ts-ignore: decorator
@inline function aluReg8(e: usize, op: u32, b: u32): void {
  const d = fD(e);
  const r = alu<u8>(op, getReg<u8>(d), b);
  if (op != CMP) setReg<u8>(d, r);
}


// The entry at ip faulted: done entries ran before it, and it counts as
// retired, as the interpreter counts a faulting instruction.
function faultAt(ip: u32, done: u32): u32 {
  setInsnStart(ip);
  store<u32>(EIP, ip);
  settle(done + 1);
  return done + 1;
}

// The interpreter runs the instruction at EIP after done entries.
function generic(done: u32): u32 {
  settle(done);
  stepOne();
  return done + 1;
}

// Leaves with EIP at ip after done entries.
function stopAt(ip: u32, done: u32): u32 {
  store<u32>(EIP, ip);
  settle(done);
  return done;
}

// Runs blocks from CS:EIP for at most max instructions (whole blocks only,
// so device events fall where the interpreter would take them). Returns how
// many ran, already retired; 0 when the interpreter must take the next
// instruction (no block here, one too long for max, or an event pending,
// which the interpreter would look at after one instruction).
export function runBlocks(max: u32): u32 {
  if (load<u32>(EVENTS) != 0) return 0;
  // Translated code's answer keeps its top bits for marks (jit/translate.ts).
  if (max > MAX_RUN) max = MAX_RUN;
  countBlockRun();
  resetPaid();
  let done: u32 = 0;
  let ip = load<u32>(EIP);
  // Nothing an entry does changes CS or the paging structures the TLB
  // holds for code (only GENERIC entries can, and they end the run; an
  // INTERP entry that changes CS ends it too), so the code page's
  // translation is looked up once per page.
  const csBase = segBase(CS);
  let linPage: u32 = NO_PAGE, physPage: u32 = 0;
  // A block that jumps to its own start (a loop) runs again without a
  // lookup unless it wrote to a page with decoded code.
  let blk: usize = 0, blkIp: u32 = 0;
  for (;;) {
    if (blk == 0 || ip != blkIp || codeDirty) {
      const lin = csBase + ip;
      if ((lin & 0xfffff000) != linPage) {
        const page = codePage(lin);
        if (page == NO_PAGE) break;
        linPage = lin & 0xfffff000;
        physPage = page;
      }
      blk = blockAt(physPage | (lin & 0xfff));
      if (blk == 0) break;
      blkIp = ip;
    }
    const count = load<u32>(blk, 12);
    if (count > max - done) break;
    clearCodeDirty();
    const pageEip = linPage - csBase; // the EIP of the code page's first byte
    const fn = jitFunction(blk, pageEip);
    if (fn != 0) {
      // Translated: it stores EIP and says how many instructions ran (or
      // that its module is still compiling: the entries below run it).
      setJitBase(done);
      const r = call_indirect<u32>(fn, pageEip, max - done, load<u32>(blk, 24));
      if (r == RETRANSLATE) jitForget(blk);
      else if (r != NOT_READY) {
        const k = r & ~(STOP | GENERIC_NEXT);
        if (r & STOP) { settle(done + k); return done + k; }
        done += k;
        if (r & GENERIC_NEXT) return generic(done);
        ip = load<u32>(EIP);
        if (load<u32>(EVENTS) != 0) break;
        continue;
      }
    }
    const r = runEntries(blk, count, ip, done);
    if (r & LEAVE) return r & ~LEAVE;
    done = r;
    ip = entriesIp;
    if (load<u32>(EVENTS) != 0) break;
  }
  return stopAt(ip, done);
}

// What runEntries returns when runBlocks must return (the count it
// returns in the low bits): a fault, a write to decoded code, an
// instruction for the interpreter. Counts stay below MAX_RUN.
const LEAVE: u32 = 0x80000000;
// Where the block left EIP (a transfer's target, or the next block).
let entriesIp: u32 = 0;

// The entries of block blk (count of them), from ip after done
// instructions; returns the new done with EIP's successor in entriesIp, or
// LEAVE | what runBlocks returns. Kept out of runBlocks: the engine
// optimizes a small loop of lookups and calls to translated code soon and
// well, while this switch takes it long (100-200 ms on first use, in
// which the baseline code runs).
function runEntries(blk: usize, count: u32, ip: u32, done: u32): u32 {
  let e = entryAt(load<u32>(blk, 8));
  const end = e + <usize>count * ENTRY_BYTES;
  for (; e < end; e += ENTRY_BYTES) {
    let next = ip + <u32>load<u8>(e, 1);
    const kind = <u32>load<u8>(e);
    // One copy of each ALU form, with the operation as a value (as run16
    // has): eight copies with it constant made this function 60 KB rather
    // than 31, its optimizing compile 300 ms in Chromium rather than 100-190,
    // and the warm block tier slower (1.2-1.7x, the JIT off).
    const op = (kind - 1) & 7;
    switch (kind) {
    case K.ALU_RR: case K.ALU_RR + 1: case K.ALU_RR + 2: case K.ALU_RR + 3:
    case K.ALU_RR + 4: case K.ALU_RR + 5: case K.ALU_RR + 6: case K.ALU_RR + 7:
      aluReg32(e, op, reg32(fS(e)), true);
      break;
    case K.ALU_RI: case K.ALU_RI + 1: case K.ALU_RI + 2: case K.ALU_RI + 3:
    case K.ALU_RI + 4: case K.ALU_RI + 5: case K.ALU_RI + 6: case K.ALU_RI + 7:
      aluReg32(e, op, fImm(e), true);
      break;
    case K.ALU_RM: case K.ALU_RM + 1: case K.ALU_RM + 2: case K.ALU_RM + 3:
    case K.ALU_RM + 4: case K.ALU_RM + 5: case K.ALU_RM + 6: case K.ALU_RM + 7:
      {
        const v = readSeg<u32>(fSeg(e), fOff(e));
        if (faulted()) return LEAVE | faultAt(ip, done);
        aluReg32(e, op, v, true);
      }
      break;
    case K.ALU_MR: case K.ALU_MR + 1: case K.ALU_MR + 2: case K.ALU_MR + 3:
    case K.ALU_MR + 4: case K.ALU_MR + 5: case K.ALU_MR + 6: case K.ALU_MR + 7:
      if (!aluMem<u32>(e, op, reg32(fD(e)))) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    case K.ALU_MI: case K.ALU_MI + 1: case K.ALU_MI + 2: case K.ALU_MI + 3:
    case K.ALU_MI + 4: case K.ALU_MI + 5: case K.ALU_MI + 6: case K.ALU_MI + 7:
      if (!aluMem<u32>(e, op, fImm(e))) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    case K.ALU_RR_NF: case K.ALU_RR_NF + 1: case K.ALU_RR_NF + 2: case K.ALU_RR_NF + 3:
    case K.ALU_RR_NF + 4: case K.ALU_RR_NF + 5: case K.ALU_RR_NF + 6: case K.ALU_RR_NF + 7:
      aluReg32(e, op, reg32(fS(e)), false);
      break;
    case K.ALU_RI_NF: case K.ALU_RI_NF + 1: case K.ALU_RI_NF + 2: case K.ALU_RI_NF + 3:
    case K.ALU_RI_NF + 4: case K.ALU_RI_NF + 5: case K.ALU_RI_NF + 6: case K.ALU_RI_NF + 7:
      aluReg32(e, op, fImm(e), false);
      break;
    case K.ALU8_RR: case K.ALU8_RR + 1: case K.ALU8_RR + 2: case K.ALU8_RR + 3:
    case K.ALU8_RR + 4: case K.ALU8_RR + 5: case K.ALU8_RR + 6: case K.ALU8_RR + 7:
      aluReg8(e, op, getReg<u8>(fS(e)));
      break;
    case K.ALU8_RI: case K.ALU8_RI + 1: case K.ALU8_RI + 2: case K.ALU8_RI + 3:
    case K.ALU8_RI + 4: case K.ALU8_RI + 5: case K.ALU8_RI + 6: case K.ALU8_RI + 7:
      aluReg8(e, op, fImm(e));
      break;
    case K.ALU8_RM: case K.ALU8_RM + 1: case K.ALU8_RM + 2: case K.ALU8_RM + 3:
    case K.ALU8_RM + 4: case K.ALU8_RM + 5: case K.ALU8_RM + 6: case K.ALU8_RM + 7:
      {
        const v = readSeg<u8>(fSeg(e), fOff(e));
        if (faulted()) return LEAVE | faultAt(ip, done);
        aluReg8(e, op, v);
      }
      break;
    case K.ALU8_MI: case K.ALU8_MI + 1: case K.ALU8_MI + 2: case K.ALU8_MI + 3:
    case K.ALU8_MI + 4: case K.ALU8_MI + 5: case K.ALU8_MI + 6: case K.ALU8_MI + 7:
      if (!aluMem<u8>(e, op, fImm(e))) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    case K.JCC: case K.JCC + 1: case K.JCC + 2: case K.JCC + 3: case K.JCC + 4: case K.JCC + 5:
    case K.JCC + 6: case K.JCC + 7: case K.JCC + 8: case K.JCC + 9: case K.JCC + 10: case K.JCC + 11:
    case K.JCC + 12: case K.JCC + 13: case K.JCC + 14: case K.JCC + 15:
      if (testCC(kind - K.JCC)) next += fImm(e);
      break;

    case K.INC: { const d = fD(e); setReg32(d, inc<u32>(reg32(d))); break; }
    case K.DEC: { const d = fD(e); setReg32(d, dec<u32>(reg32(d))); break; }
    case K.INC_NF: { const d = fD(e); setReg32(d, reg32(d) + 1); break; }
    case K.DEC_NF: { const d = fD(e); setReg32(d, reg32(d) - 1); break; }
    case K.MOV_RR: setReg32(fD(e), reg32(fS(e))); break;
    case K.MOV_RI: setReg32(fD(e), fImm(e)); break;
    case K.MOV_RM: {
      const v = readSeg<u32>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      setReg32(fD(e), v);
      break;
    }
    case K.MOV_MR: {
      writeSeg<u32>(fSeg(e), fOff(e), reg32(fD(e)));
      if (faulted()) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    }
    case K.MOV_MI: {
      writeSeg<u32>(fSeg(e), fOff(e), fImm(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    }
    case K.MOV8_RR: setReg<u8>(fD(e), getReg<u8>(fS(e))); break;
    case K.MOV8_RI: setReg<u8>(fD(e), fImm(e)); break;
    case K.MOV8_RM: {
      const v = readSeg<u8>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      setReg<u8>(fD(e), v);
      break;
    }
    case K.MOV8_MR: {
      writeSeg<u8>(fSeg(e), fOff(e), getReg<u8>(fD(e)));
      if (faulted()) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    }
    case K.MOV8_MI: {
      writeSeg<u8>(fSeg(e), fOff(e), fImm(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    }
    case K.MOVZX8_R: setReg32(fD(e), getReg<u8>(fS(e))); break;
    case K.MOVZX8_M: {
      const v = readSeg<u8>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      setReg32(fD(e), v);
      break;
    }
    case K.MOVZX16_R: setReg32(fD(e), reg16(fS(e))); break;
    case K.MOVZX16_M: {
      const v = readSeg<u16>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      setReg32(fD(e), v);
      break;
    }
    case K.MOVSX8_R: setReg32(fD(e), <u32><i32><i8>getReg<u8>(fS(e))); break;
    case K.MOVSX8_M: {
      const v = readSeg<u8>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      setReg32(fD(e), <u32><i32><i8>v);
      break;
    }
    case K.MOVSX16_R: setReg32(fD(e), <u32><i32><i16>reg16(fS(e))); break;
    case K.MOVSX16_M: {
      const v = readSeg<u16>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      setReg32(fD(e), <u32><i32><i16>v);
      break;
    }
    case K.LEA: setReg32(fD(e), fOff(e)); break;
    case K.TEST_RR: test<u32>(reg32(fD(e)), reg32(fS(e))); break;
    case K.TEST_RI: test<u32>(reg32(fD(e)), fImm(e)); break;
    case K.TEST_MR: {
      const v = readSeg<u32>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      test<u32>(v, reg32(fD(e)));
      break;
    }
    case K.TEST8_RR: test<u8>(getReg<u8>(fD(e)), getReg<u8>(fS(e))); break;
    case K.TEST8_RI: test<u8>(getReg<u8>(fD(e)), fImm(e)); break;
    case K.TEST8_MI: {
      const v = readSeg<u8>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      test<u8>(v, fImm(e));
      break;
    }
    case K.PUSH_R: {
      push<u32>(reg32(fD(e)));
      if (faulted()) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    }
    case K.POP_R: {
      const v = pop<u32>();
      if (faulted()) return LEAVE | faultAt(ip, done);
      setReg32(fD(e), v);
      break;
    }
    case K.PUSH_I: {
      push<u32>(fImm(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    }
    case K.PUSH_M: {
      const v = readSeg<u32>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      push<u32>(v);
      if (faulted()) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    }
    case K.JMP: next += fImm(e); break;
    case K.CALL: {
      push<u32>(next);
      if (faulted()) return LEAVE | faultAt(ip, done);
      next += fImm(e);
      break;
    }
    case K.RET: {
      const t = pop<u32>();
      if (faulted()) return LEAVE | faultAt(ip, done);
      next = t;
      break;
    }
    case K.RET_IMM: {
      const t = pop<u32>();
      if (faulted()) return LEAVE | faultAt(ip, done);
      next = t;
      addSP(fImm(e));
      break;
    }
    case K.JMP_R: next = reg32(fD(e)); break;
    case K.CALL_R: {
      const t = reg32(fD(e));
      push<u32>(next);
      if (faulted()) return LEAVE | faultAt(ip, done);
      next = t;
      break;
    }
    case K.JMP_M: {
      const t = readSeg<u32>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      next = t;
      break;
    }
    case K.CALL_M: {
      const t = readSeg<u32>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      push<u32>(next);
      if (faulted()) return LEAVE | faultAt(ip, done);
      next = t;
      break;
    }
    case K.SHIFT_RI: { const d = fD(e); setReg32(d, shift<u32>(fS(e), reg32(d), fImm(e))); break; }
    case K.SHIFT_RC: { const d = fD(e); setReg32(d, shift<u32>(fS(e), reg32(d), getReg<u8>(ECX))); break; }
    case K.NOT_R: { const d = fD(e); setReg32(d, ~reg32(d)); break; }
    case K.NEG_R: { const d = fD(e); setReg32(d, neg<u32>(reg32(d))); break; }
    case K.ALU8_MR: case K.ALU8_MR + 1: case K.ALU8_MR + 2: case K.ALU8_MR + 3:
    case K.ALU8_MR + 4: case K.ALU8_MR + 5: case K.ALU8_MR + 6: case K.ALU8_MR + 7:
      if (!aluMem<u8>(e, op, getReg<u8>(fD(e)))) return LEAVE | faultAt(ip, done);
      if (codeDirty) return LEAVE | stopAt(next, done + 1);
      break;
    case K.BSWAP: { const d = fD(e); setReg32(d, bswap<u32>(reg32(d))); break; }
    case K.SHLD_RI: case K.SHRD_RI: case K.SHLD_RC: case K.SHRD_RC: {
      const d = fD(e);
      const count = kind <= K.SHRD_RI ? fImm(e) : getReg<u8>(ECX);
      setReg32(d, shiftDouble32(kind == K.SHLD_RI || kind == K.SHLD_RC, reg32(d), reg32(fS(e)), count));
      break;
    }
    case K.MULDIV_R: if (!mulDiv32(fS(e), reg32(fD(e)))) return LEAVE | faultAt(ip, done); break;
    case K.MULDIV_M: {
      const v = readSeg<u32>(fSeg(e), fOff(e));
      if (faulted() || !mulDiv32(fD(e), v)) return LEAVE | faultAt(ip, done);
      break;
    }
    case K.IMUL_RR: { const d = fD(e); setReg32(d, imulTrunc<u32>(reg32(d), reg32(fS(e)))); break; }
    case K.IMUL_RM: {
      const v = readSeg<u32>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      const d = fD(e);
      setReg32(d, imulTrunc<u32>(reg32(d), v));
      break;
    }
    case K.IMUL_RRI: setReg32(fD(e), imulTrunc<u32>(reg32(fS(e)), fImm(e))); break;
    case K.IMUL_RMI: {
      const v = readSeg<u32>(fSeg(e), fOff(e));
      if (faulted()) return LEAVE | faultAt(ip, done);
      setReg32(fD(e), imulTrunc<u32>(v, fImm(e)));
      break;
    }
    case K.CDQ: setReg32(EDX, <u32>(<i32>reg32(EAX) >> 31)); break;
    case K.CWDE: setReg32(EAX, <u32><i32><i16>reg16(EAX)); break;
    case K.XCHG_RR: {
      const d = fD(e), s = fS(e);
      const t = reg32(d);
      setReg32(d, reg32(s));
      setReg32(s, t);
      break;
    }
    case K.NOP: break;
    case K.SETCC_R: setReg<u8>(fD(e), testCC(fImm(e)) ? 1 : 0); break;
    case K.CMOV_RR: if (testCC(fImm(e))) setReg32(fD(e), reg32(fS(e))); break;
    case K.CMOV_RM: {
      const v = readSeg<u32>(fSeg(e), fOff(e)); // read whatever the condition
      if (faulted()) return LEAVE | faultAt(ip, done);
      if (testCC(fImm(e))) setReg32(fD(e), v);
      break;
    }
    case K.LEAVE: {
      const bp = stack32() ? reg32(EBP) : reg16(EBP);
      const v = readSeg<u32>(SS, bp);
      if (faulted()) return LEAVE | faultAt(ip, done);
      if (stack32()) setReg32(ESP, bp + 4);
      else setReg<u16>(ESP, bp + 4);
      setReg32(EBP, v);
      break;
    }
    case K.INTERP:
      if (interpAt(ip, done, next) != 0) return LEAVE | (done + 1);
      break;
    case K.X87: {
      const how = fImm(e);
      const st = runX87(how | (fSeg(e) << 16), how < 0xc000 ? fOff(e) : 0, ip);
      if (st == 1) return LEAVE | faultAt(ip, done);
      if (st == 2) return LEAVE | stopAt(next, done + 1);
      break;
    }
    default: {
      if (kind >= K.ALU16_RR) {
        const st = run16(e, kind);
        if (st == FAULT) return LEAVE | faultAt(ip, done);
        if (st == WROTE_CODE) return LEAVE | stopAt(next, done + 1);
        break;
      }
      // K.GENERIC: the interpreter runs it from EIP
      store<u32>(EIP, ip);
      return LEAVE | generic(done);
    }
    }
    ip = next;
    done++;
  }
  entriesIp = ip;
  return done;
}


// Blocks run only for 32-bit code when the host turned them on.
// @ts-ignore: decorator
@inline export function blocksUsable(): bool { return (load<u32>(BLOCKS_ON) & load<u32>(CODE32)) != 0; }
