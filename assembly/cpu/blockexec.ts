// Runs decoded blocks (cpu/blocks.ts) for the run loop: each entry does
// what the interpreter's handler for that instruction does, with the same
// helpers (alu.ts, flags.ts, stack.ts, the segment-checked accesses of
// decode.ts), so the two cannot disagree on flags or faults; only the
// decoding is skipped. A faulting entry leaves the state as the
// interpreter would and names itself as the instruction that faulted.
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
// well, while this switch takes it long (~200 ms together on first use,
// in which the baseline code runs).
function runEntries(blk: usize, count: u32, ip: u32, done: u32): u32 {
  let e = entryAt(load<u32>(blk, 8));
  const end = e + <usize>count * ENTRY_BYTES;
  for (; e < end; e += ENTRY_BYTES) {
    let next = ip + <u32>load<u8>(e, 1);
    switch (<u32>load<u8>(e)) {
    case K.ALU_RR + 0: aluReg32(e, ADD, reg32(fS(e)), true); break;
    case K.ALU_RR + 1: aluReg32(e, OR, reg32(fS(e)), true); break;
    case K.ALU_RR + 2: aluReg32(e, ADC, reg32(fS(e)), true); break;
    case K.ALU_RR + 3: aluReg32(e, SBB, reg32(fS(e)), true); break;
    case K.ALU_RR + 4: aluReg32(e, AND, reg32(fS(e)), true); break;
    case K.ALU_RR + 5: aluReg32(e, SUB, reg32(fS(e)), true); break;
    case K.ALU_RR + 6: aluReg32(e, XOR, reg32(fS(e)), true); break;
    case K.ALU_RR + 7: aluReg32(e, CMP, reg32(fS(e)), true); break;
    case K.ALU_RI + 0: aluReg32(e, ADD, fImm(e), true); break;
    case K.ALU_RI + 1: aluReg32(e, OR, fImm(e), true); break;
    case K.ALU_RI + 2: aluReg32(e, ADC, fImm(e), true); break;
    case K.ALU_RI + 3: aluReg32(e, SBB, fImm(e), true); break;
    case K.ALU_RI + 4: aluReg32(e, AND, fImm(e), true); break;
    case K.ALU_RI + 5: aluReg32(e, SUB, fImm(e), true); break;
    case K.ALU_RI + 6: aluReg32(e, XOR, fImm(e), true); break;
    case K.ALU_RI + 7: aluReg32(e, CMP, fImm(e), true); break;
    case K.ALU_RM + 0: { const v = readSeg<u32>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg32(e, ADD, v, true); } break;
    case K.ALU_RM + 1: { const v = readSeg<u32>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg32(e, OR, v, true); } break;
    case K.ALU_RM + 2: { const v = readSeg<u32>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg32(e, ADC, v, true); } break;
    case K.ALU_RM + 3: { const v = readSeg<u32>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg32(e, SBB, v, true); } break;
    case K.ALU_RM + 4: { const v = readSeg<u32>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg32(e, AND, v, true); } break;
    case K.ALU_RM + 5: { const v = readSeg<u32>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg32(e, SUB, v, true); } break;
    case K.ALU_RM + 6: { const v = readSeg<u32>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg32(e, XOR, v, true); } break;
    case K.ALU_RM + 7: { const v = readSeg<u32>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg32(e, CMP, v, true); } break;
    case K.ALU_MR + 0: if (!aluMem<u32>(e, ADD, reg32(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MR + 1: if (!aluMem<u32>(e, OR, reg32(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MR + 2: if (!aluMem<u32>(e, ADC, reg32(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MR + 3: if (!aluMem<u32>(e, SBB, reg32(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MR + 4: if (!aluMem<u32>(e, AND, reg32(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MR + 5: if (!aluMem<u32>(e, SUB, reg32(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MR + 6: if (!aluMem<u32>(e, XOR, reg32(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MR + 7: if (!aluMem<u32>(e, CMP, reg32(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MI + 0: if (!aluMem<u32>(e, ADD, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MI + 1: if (!aluMem<u32>(e, OR, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MI + 2: if (!aluMem<u32>(e, ADC, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MI + 3: if (!aluMem<u32>(e, SBB, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MI + 4: if (!aluMem<u32>(e, AND, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MI + 5: if (!aluMem<u32>(e, SUB, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MI + 6: if (!aluMem<u32>(e, XOR, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_MI + 7: if (!aluMem<u32>(e, CMP, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU_RR_NF + 0: aluReg32(e, ADD, reg32(fS(e)), false); break;
    case K.ALU_RR_NF + 1: aluReg32(e, OR, reg32(fS(e)), false); break;
    case K.ALU_RR_NF + 2: aluReg32(e, ADC, reg32(fS(e)), false); break;
    case K.ALU_RR_NF + 3: aluReg32(e, SBB, reg32(fS(e)), false); break;
    case K.ALU_RR_NF + 4: aluReg32(e, AND, reg32(fS(e)), false); break;
    case K.ALU_RR_NF + 5: aluReg32(e, SUB, reg32(fS(e)), false); break;
    case K.ALU_RR_NF + 6: aluReg32(e, XOR, reg32(fS(e)), false); break;
    case K.ALU_RR_NF + 7: aluReg32(e, CMP, reg32(fS(e)), false); break;
    case K.ALU_RI_NF + 0: aluReg32(e, ADD, fImm(e), false); break;
    case K.ALU_RI_NF + 1: aluReg32(e, OR, fImm(e), false); break;
    case K.ALU_RI_NF + 2: aluReg32(e, ADC, fImm(e), false); break;
    case K.ALU_RI_NF + 3: aluReg32(e, SBB, fImm(e), false); break;
    case K.ALU_RI_NF + 4: aluReg32(e, AND, fImm(e), false); break;
    case K.ALU_RI_NF + 5: aluReg32(e, SUB, fImm(e), false); break;
    case K.ALU_RI_NF + 6: aluReg32(e, XOR, fImm(e), false); break;
    case K.ALU_RI_NF + 7: aluReg32(e, CMP, fImm(e), false); break;
    case K.ALU8_RR + 0: aluReg8(e, ADD, getReg<u8>(fS(e))); break;
    case K.ALU8_RR + 1: aluReg8(e, OR, getReg<u8>(fS(e))); break;
    case K.ALU8_RR + 2: aluReg8(e, ADC, getReg<u8>(fS(e))); break;
    case K.ALU8_RR + 3: aluReg8(e, SBB, getReg<u8>(fS(e))); break;
    case K.ALU8_RR + 4: aluReg8(e, AND, getReg<u8>(fS(e))); break;
    case K.ALU8_RR + 5: aluReg8(e, SUB, getReg<u8>(fS(e))); break;
    case K.ALU8_RR + 6: aluReg8(e, XOR, getReg<u8>(fS(e))); break;
    case K.ALU8_RR + 7: aluReg8(e, CMP, getReg<u8>(fS(e))); break;
    case K.ALU8_RI + 0: aluReg8(e, ADD, fImm(e)); break;
    case K.ALU8_RI + 1: aluReg8(e, OR, fImm(e)); break;
    case K.ALU8_RI + 2: aluReg8(e, ADC, fImm(e)); break;
    case K.ALU8_RI + 3: aluReg8(e, SBB, fImm(e)); break;
    case K.ALU8_RI + 4: aluReg8(e, AND, fImm(e)); break;
    case K.ALU8_RI + 5: aluReg8(e, SUB, fImm(e)); break;
    case K.ALU8_RI + 6: aluReg8(e, XOR, fImm(e)); break;
    case K.ALU8_RI + 7: aluReg8(e, CMP, fImm(e)); break;
    case K.ALU8_RM + 0: { const v = readSeg<u8>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg8(e, ADD, v); } break;
    case K.ALU8_RM + 1: { const v = readSeg<u8>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg8(e, OR, v); } break;
    case K.ALU8_RM + 2: { const v = readSeg<u8>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg8(e, ADC, v); } break;
    case K.ALU8_RM + 3: { const v = readSeg<u8>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg8(e, SBB, v); } break;
    case K.ALU8_RM + 4: { const v = readSeg<u8>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg8(e, AND, v); } break;
    case K.ALU8_RM + 5: { const v = readSeg<u8>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg8(e, SUB, v); } break;
    case K.ALU8_RM + 6: { const v = readSeg<u8>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg8(e, XOR, v); } break;
    case K.ALU8_RM + 7: { const v = readSeg<u8>(fSeg(e), fOff(e)); if (faulted()) return LEAVE | faultAt(ip, done); aluReg8(e, CMP, v); } break;
    case K.ALU8_MI + 0: if (!aluMem<u8>(e, ADD, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MI + 1: if (!aluMem<u8>(e, OR, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MI + 2: if (!aluMem<u8>(e, ADC, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MI + 3: if (!aluMem<u8>(e, SBB, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MI + 4: if (!aluMem<u8>(e, AND, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MI + 5: if (!aluMem<u8>(e, SUB, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MI + 6: if (!aluMem<u8>(e, XOR, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MI + 7: if (!aluMem<u8>(e, CMP, fImm(e))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.JCC + 0: if (testCC(0)) next += fImm(e); break;
    case K.JCC + 1: if (testCC(1)) next += fImm(e); break;
    case K.JCC + 2: if (testCC(2)) next += fImm(e); break;
    case K.JCC + 3: if (testCC(3)) next += fImm(e); break;
    case K.JCC + 4: if (testCC(4)) next += fImm(e); break;
    case K.JCC + 5: if (testCC(5)) next += fImm(e); break;
    case K.JCC + 6: if (testCC(6)) next += fImm(e); break;
    case K.JCC + 7: if (testCC(7)) next += fImm(e); break;
    case K.JCC + 8: if (testCC(8)) next += fImm(e); break;
    case K.JCC + 9: if (testCC(9)) next += fImm(e); break;
    case K.JCC + 10: if (testCC(10)) next += fImm(e); break;
    case K.JCC + 11: if (testCC(11)) next += fImm(e); break;
    case K.JCC + 12: if (testCC(12)) next += fImm(e); break;
    case K.JCC + 13: if (testCC(13)) next += fImm(e); break;
    case K.JCC + 14: if (testCC(14)) next += fImm(e); break;
    case K.JCC + 15: if (testCC(15)) next += fImm(e); break;

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
    case K.ALU8_MR + 0: if (!aluMem<u8>(e, ADD, getReg<u8>(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MR + 1: if (!aluMem<u8>(e, OR, getReg<u8>(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MR + 2: if (!aluMem<u8>(e, ADC, getReg<u8>(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MR + 3: if (!aluMem<u8>(e, SBB, getReg<u8>(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MR + 4: if (!aluMem<u8>(e, AND, getReg<u8>(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MR + 5: if (!aluMem<u8>(e, SUB, getReg<u8>(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MR + 6: if (!aluMem<u8>(e, XOR, getReg<u8>(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.ALU8_MR + 7: if (!aluMem<u8>(e, CMP, getReg<u8>(fD(e)))) return LEAVE | faultAt(ip, done); if (codeDirty) return LEAVE | stopAt(next, done + 1); break;
    case K.BSWAP: { const d = fD(e); setReg32(d, bswap<u32>(reg32(d))); break; }
    case K.SHLD_RI: case K.SHRD_RI: case K.SHLD_RC: case K.SHRD_RC: {
      const d = fD(e), k = <u32>load<u8>(e);
      const count = k <= K.SHRD_RI ? fImm(e) : getReg<u8>(ECX);
      setReg32(d, shiftDouble32(k == K.SHLD_RI || k == K.SHLD_RC, reg32(d), reg32(fS(e)), count));
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
    default: {
      const k = <u32>load<u8>(e);
      if (k >= K.ALU16_RR) {
        const st = run16(e, k);
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
