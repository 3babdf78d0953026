// The decoded-block cache: 32-bit code decoded once per basic block into
// the compact entries of blockkinds.ts, found again by physical address.
//
// A block starts at any byte and runs to the first control transfer, the
// first instruction outside the decoded subset (kept as a GENERIC last
// entry, which the interpreter then runs), BLOCK_MAX instructions, or the
// end of its page: no block spans two pages, so one translation at entry
// covers all its fetches. Keys are physical, so a new CR3 needs nothing:
// the lookup translates CS:EIP through the TLB every time. A write to a
// page with decoded code advances the page's generation (mmu/codepages.ts),
// and blocks of an older generation no longer match.
//
// Slot of BLOCK_TABLE (32 bytes): +0 physical address of the first byte,
// +4 the page's generation when decoded, +8 index of the first entry,
// +12 number of entries (0: empty), +16 times run (for the JIT's choice),
// +20 the JIT's function for it (jit/jit.ts: 0 none yet, JIT_NEVER none),
// +24 1 when the last entry is GENERIC.
import {
  BLOCK_TABLE, BLOCK_SLOTS, BLOCK_SLOT_BYTES, BLOCK_ENTRIES, BLOCK_ENTRY_MAX, RAM_BASE, REGS, ZERO_WORD, CR0, CPL,
} from "../layout";
import { claimCode, resetCodePages, pageInfoAt } from "../mmu/codepages";
import { tlbSlot, rightFor } from "../mmu/tlb";
import { ramSize } from "../mmu/memory";
import { segBase, CS, DS, SS } from "./state";
import { K, ENTRY_BYTES } from "./blockkinds";
import { invalidateFetch } from "./decode";
import { jitFlushed, jitFull, jitResetStats } from "../jit/jit";
import { ARITH, CF } from "./flags";

const BLOCK_MAX: u32 = 48;
const PG: u32 = 1 << 31;

let nextEntry: u32 = 0;
// Blocks decoded since the last reset (a statistic for the host and tests).
let decodedCount: u32 = 0;

export function blocksDecoded(): u32 { return decodedCount; }

// Drops every block (reset, restore, a host write to guest memory, or the
// entry space running out).
// The used entries are zeroed too, so that a saved state (a copy of the
// core's memory) carries no stale decodings.
export function flushBlocks(): void {
  memory.fill(BLOCK_TABLE, 0, BLOCK_SLOTS * BLOCK_SLOT_BYTES);
  memory.fill(BLOCK_ENTRIES, 0, <usize>nextEntry * ENTRY_BYTES);
  nextEntry = 0;
  jitFlushed();
}

// After a reset or restore: no blocks, and every page clean.
export function resetBlocks(): void {
  flushBlocks();
  decodedCount = 0;
  jitResetStats();
  resetCodePages();
}

// @ts-ignore: decorator
@inline function slotOf(phys: u32): usize {
  return <usize>BLOCK_TABLE + (<usize>((phys ^ (phys >>> 14)) & (BLOCK_SLOTS - 1)) << 5);
}

// @ts-ignore: decorator
@inline export function entryAt(index: u32): usize { return <usize>BLOCK_ENTRIES + <usize>index * ENTRY_BYTES; }

export const NO_PAGE: u32 = 1; // never a page address

// The physical page holding linear address lin, for running code from it,
// or NO_PAGE: the page is not in the TLB (the interpreter's fetch will walk
// or fault) or is not RAM.
export function codePage(lin: u32): u32 {
  let page = lin & 0xfffff000;
  if (load<u32>(CR0) & PG) {
    const e = tlbSlot(lin);
    const tag = load<u32>(e);
    if (((tag ^ lin) & 0xfffff000) != 0 || (tag & rightFor(false, load<u32>(CPL) == 3)) == 0) {
      // The interpreter's fetch may be running from a page it remembers;
      // make it translate again, so the TLB has the page next time.
      invalidateFetch();
      return NO_PAGE;
    }
    page = load<u32>(e + 4);
  }
  return page < ramSize() ? page : NO_PAGE;
}

// The block starting at physical address phys, decoded now if it is not in
// the cache; 0 when its first instruction crosses the page end.
// @ts-ignore: decorator
@inline export function blockAt(phys: u32): usize {
  const slot = slotOf(phys);
  if (load<u32>(slot) == phys && load<u32>(slot, 12) != 0 && load<u32>(slot, 4) == load<u32>(pageInfoAt(phys))) {
    return slot;
  }
  return decodeBlock(phys, slot);
}

// ---- Decoding --------------------------------------------------------------

// Where the decoder reads: a pointer into RAM, the end of the page, and
// whether an instruction ran past it.
let dp: usize = 0;
let dend: usize = 0;
let over: bool = false;

function next8(): u32 {
  if (dp >= dend) { over = true; return 0; }
  return <u32>load<u8>(dp++);
}
function next32(): u32 {
  if (dp + 4 > dend) { over = true; return 0; }
  const v = load<u32>(dp);
  dp += 4;
  return v;
}
// @ts-ignore: decorator
@inline function nextS8(): u32 { return <u32><i32><i8>next8(); }
function next16(): u32 { return next8() | (next8() << 8); }

function decodeBlock(phys: u32, slot: usize): usize {
  if (nextEntry + BLOCK_MAX > BLOCK_ENTRY_MAX || jitFull()) flushBlocks();
  const first = nextEntry;
  dp = <usize>RAM_BASE + phys;
  dend = <usize>RAM_BASE + (phys | 0xfff) + 1;
  let n: u32 = 0;
  while (n < BLOCK_MAX) {
    const e = entryAt(first + n);
    const start = dp;
    over = false;
    const ends = decodeOne(e);
    if (over) break; // it crosses the page end: the interpreter takes it
    store<u8>(e, <u8>(dp - start), 1);
    n++;
    if (ends) break;
  }
  if (n == 0) return 0;
  decodedCount++;
  dropDeadFlags(first, n);
  nextEntry = first + n;
  store<u32>(slot, phys);
  // Everything the decoder read, up to the GENERIC entry's first bytes.
  store<u32>(slot, claimCode(phys, <u32>(dp - (<usize>RAM_BASE + phys))), 4);
  store<u32>(slot, first, 8);
  store<u32>(slot, n, 12);
  store<u32>(slot, 0, 16);
  store<u32>(slot, 0, 20);
  store<u32>(slot, <u32>(load<u8>(entryAt(first + n - 1)) == K.GENERIC), 24);
  return slot;
}

// @ts-ignore: decorator
@inline function regAddr(r: u32): u32 { return REGS + (r << 2); }

// The memory operand of ModRM byte m (mod != 3), 32-bit addressing, into
// the entry's address fields (as decodeEA in decode.ts computes it).
function memOperand(e: usize, m: u32): void {
  const mod = m >> 6;
  const rm = m & 7;
  let base = ZERO_WORD, index = ZERO_WORD, scale: u32 = 0, disp: u32 = 0, seg = DS;
  if (rm == 4) {
    const sib = next8();
    const b = sib & 7;
    const i = (sib >> 3) & 7;
    scale = sib >> 6;
    if (b == 5 && mod == 0) disp = next32();
    else {
      base = regAddr(b);
      if (b == 4 || b == 5) seg = SS;
    }
    if (i != 4) index = regAddr(i);
  } else if (rm == 5 && mod == 0) {
    disp = next32();
  } else {
    base = regAddr(rm);
    if (rm == 5) seg = SS;
  }
  if (mod == 1) disp += nextS8();
  else if (mod == 2) disp += next32();
  store<u8>(e, <u8>(seg | (scale << 4)), 3);
  store<u16>(e, <u16>base, 8);
  store<u16>(e, <u16>index, 10);
  store<u32>(e, disp, 12);
}

// @ts-ignore: decorator
@inline function put(e: usize, kind: u32, d: u32, s: u32, imm: u32): void {
  store<u8>(e, <u8>kind);
  store<u8>(e, <u8>d, 2);
  store<u8>(e, <u8>s, 3);
  store<u32>(e, imm, 4);
}

// A ModRM form: register kind (d, s from the fields) or memory kind (d =
// reg field). regFirst: the reg field is the destination of the register form.
function modrmForm(e: usize, regKind: u32, memKind: u32, regFirst: bool, imm: i32): void {
  const m = next8();
  const reg = (m >> 3) & 7;
  const rm = m & 7;
  if (m >= 0xc0) {
    if (regKind == K.GENERIC) { put(e, K.GENERIC, 0, 0, 0); return; }
    put(e, regKind, regFirst ? reg : rm, regFirst ? rm : reg, 0);
  } else {
    if (memKind == K.GENERIC) { put(e, K.GENERIC, 0, 0, 0); return; }
    store<u8>(e, <u8>memKind);
    store<u8>(e, <u8>reg, 2);
    memOperand(e, m);
  }
  // imm: 0 none, 1 an 8-bit immediate, -1 sign-extended 8-bit, 4 32-bit.
  if (imm == 1) store<u32>(e, next8(), 4);
  else if (imm == -1) store<u32>(e, nextS8(), 4);
  else if (imm == 4) store<u32>(e, next32(), 4);
}

// Decodes one instruction at dp into entry e. Returns true when it ends
// the block (a control transfer or a GENERIC entry).
function decodeOne(e: usize): bool {
  const op = next8();
  if (op < 0x40 && (op & 7) < 6) {
    const a = op >> 3;
    switch (op & 7) {
      case 0: modrmForm(e, K.ALU8_RR + a, K.GENERIC, false, 0); break;
      case 1: modrmForm(e, K.ALU_RR + a, K.ALU_MR + a, false, 0); break;
      case 2: modrmForm(e, K.ALU8_RR + a, K.ALU8_RM + a, true, 0); break;
      case 3: modrmForm(e, K.ALU_RR + a, K.ALU_RM + a, true, 0); break;
      case 4: put(e, K.ALU8_RI + a, 0, 0, next8()); break;
      default: put(e, K.ALU_RI + a, 0, 0, next32()); break;
    }
    return load<u8>(e) == K.GENERIC;
  }
  switch (op) {
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
      put(e, K.INC, op & 7, 0, 0); return false;
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
      put(e, K.DEC, op & 7, 0, 0); return false;
    case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
      put(e, K.PUSH_R, op & 7, 0, 0); return false;
    case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
      put(e, K.POP_R, op & 7, 0, 0); return false;
    case 0x68: put(e, K.PUSH_I, 0, 0, next32()); return false;
    case 0x6a: put(e, K.PUSH_I, 0, 0, nextS8()); return false;
    case 0x69: modrmForm(e, K.IMUL_RRI, K.IMUL_RMI, true, 4); return false;
    case 0x6b: modrmForm(e, K.IMUL_RRI, K.IMUL_RMI, true, -1); return false;
    case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
    case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
      put(e, K.JCC + (op & 15), 0, 0, nextS8()); return true;
    case 0x80: case 0x82: {
      const m = peekModrm();
      modrmForm(e, K.ALU8_RI + ((m >> 3) & 7), K.ALU8_MI + ((m >> 3) & 7), false, 1);
      return false;
    }
    case 0x81: case 0x83: {
      const m = peekModrm();
      modrmForm(e, K.ALU_RI + ((m >> 3) & 7), K.ALU_MI + ((m >> 3) & 7), false, op == 0x81 ? 4 : -1);
      return false;
    }
    case 0x84: modrmForm(e, K.TEST8_RR, K.GENERIC, false, 0); break;
    case 0x85: modrmForm(e, K.TEST_RR, K.TEST_MR, false, 0); break;
    case 0x87: modrmForm(e, K.XCHG_RR, K.GENERIC, false, 0); break;
    case 0x88: modrmForm(e, K.MOV8_RR, K.MOV8_MR, false, 0); break;
    case 0x89: modrmForm(e, K.MOV_RR, K.MOV_MR, false, 0); break;
    case 0x8a: modrmForm(e, K.MOV8_RR, K.MOV8_RM, true, 0); break;
    case 0x8b: modrmForm(e, K.MOV_RR, K.MOV_RM, true, 0); break;
    case 0x8d: modrmForm(e, K.GENERIC, K.LEA, true, 0); break;
    case 0x90: put(e, K.NOP, 0, 0, 0); return false;
    case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
      put(e, K.XCHG_RR, 0, op & 7, 0); return false;
    case 0x98: put(e, K.CWDE, 0, 0, 0); return false;
    case 0x99: put(e, K.CDQ, 0, 0, 0); return false;
    case 0xa8: put(e, K.TEST8_RI, 0, 0, next8()); return false;
    case 0xa9: put(e, K.TEST_RI, 0, 0, next32()); return false;
    case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
      put(e, K.MOV8_RI, op & 7, 0, next8()); return false;
    case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
      put(e, K.MOV_RI, op & 7, 0, next32()); return false;
    case 0xc1: case 0xd1: case 0xd3: {
      const m = peekModrm();
      const kind = op == 0xd3 ? K.SHIFT_RC : K.SHIFT_RI;
      modrmForm(e, kind, K.GENERIC, false, op == 0xc1 ? 1 : 0);
      if (load<u8>(e) == K.GENERIC) return true;
      // d is the register; the operation goes in s, the count in imm.
      store<u8>(e, <u8>((m >> 3) & 7), 3);
      if (op == 0xd1) store<u32>(e, 1, 4);
      return false;
    }
    case 0xc2: put(e, K.RET_IMM, 0, 0, next16()); return true;
    case 0xc3: put(e, K.RET, 0, 0, 0); return true;
    case 0xc6: case 0xc7: {
      if (((peekModrm() >> 3) & 7) != 0) break;
      if (op == 0xc6) modrmForm(e, K.MOV8_RI, K.MOV8_MI, false, 1);
      else modrmForm(e, K.MOV_RI, K.MOV_MI, false, 4);
      return false;
    }
    case 0xc9: put(e, K.LEAVE, 0, 0, 0); return false;
    case 0xe8: put(e, K.CALL, 0, 0, next32()); return true;
    case 0xe9: put(e, K.JMP, 0, 0, next32()); return true;
    case 0xeb: put(e, K.JMP, 0, 0, nextS8()); return true;
    case 0xf7: {
      const r = (peekModrm() >> 3) & 7;
      if (r == 0) modrmForm(e, K.TEST_RI, K.GENERIC, false, 4);
      else if (r == 2) modrmForm(e, K.NOT_R, K.GENERIC, false, 0);
      else if (r == 3) modrmForm(e, K.NEG_R, K.GENERIC, false, 0);
      else break;
      // Register forms operate on rm, which modrmForm put in d (regFirst false).
      return load<u8>(e) == K.GENERIC;
    }
    case 0xff: {
      const r = (peekModrm() >> 3) & 7;
      switch (r) {
        case 0: modrmForm(e, K.INC, K.GENERIC, false, 0); break;
        case 1: modrmForm(e, K.DEC, K.GENERIC, false, 0); break;
        case 2: modrmForm(e, K.CALL_R, K.CALL_M, false, 0); return true;
        case 4: modrmForm(e, K.JMP_R, K.JMP_M, false, 0); return true;
        case 6: modrmForm(e, K.PUSH_R, K.PUSH_M, false, 0); break;
        default: put(e, K.GENERIC, 0, 0, 0); return true;
      }
      return load<u8>(e) == K.GENERIC;
    }
    case 0x0f: return decode0F(e);
    default: break;
  }
  if (op == 0x84 || op == 0x85 || op == 0x87 || (op >= 0x88 && op <= 0x8d)) return load<u8>(e) == K.GENERIC;
  put(e, K.GENERIC, 0, 0, 0);
  return true;
}

function decode0F(e: usize): bool {
  const op = next8();
  if (op >= 0x80 && op <= 0x8f) { put(e, K.JCC + (op & 15), 0, 0, next32()); return true; }
  if (op >= 0x40 && op <= 0x4f) {
    modrmForm(e, K.CMOV_RR, K.CMOV_RM, true, 0);
    store<u32>(e, op & 15, 4);
    return false;
  }
  if (op >= 0x90 && op <= 0x9f) {
    modrmForm(e, K.SETCC_R, K.GENERIC, false, 0);
    store<u32>(e, op & 15, 4);
    return load<u8>(e) == K.GENERIC;
  }
  switch (op) {
    case 0xaf: modrmForm(e, K.IMUL_RR, K.IMUL_RM, true, 0); return false;
    case 0xb6: modrmForm(e, K.MOVZX8_R, K.MOVZX8_M, true, 0); return false;
    case 0xb7: modrmForm(e, K.MOVZX16_R, K.MOVZX16_M, true, 0); return false;
    case 0xbe: modrmForm(e, K.MOVSX8_R, K.MOVSX8_M, true, 0); return false;
    case 0xbf: modrmForm(e, K.MOVSX16_R, K.MOVSX16_M, true, 0); return false;
    default: put(e, K.GENERIC, 0, 0, 0); return true;
  }
}

function peekModrm(): u32 { return dp < dend ? <u32>load<u8>(dp) : 0; }

// ---- Flags no one sees -------------------------------------------------------
// A backward pass over the block: an ALU or INC/DEC entry whose flags are
// all redefined by a later entry before anything reads them, with no entry
// between that may fault (an exception would expose them), runs in its
// _NF form and skips the lazy-flag record. The block's last entry is taken
// to have its flags read (the next block is unknown).

// Flags an entry defines; flags it reads; whether it may fault.
function flagsWritten(k: u32): u32 {
  if (k >= K.ALU_RR && k < K.ALU_RR_NF) return ARITH;
  if (k >= K.ALU8_RR && k < K.INC) return ARITH;
  if (k >= K.INC && k <= K.DEC) return ARITH & ~CF;
  if ((k >= K.TEST_RR && k <= K.TEST8_MI) || k == K.NEG_R) return ARITH;
  return 0;
}

function flagsRead(k: u32): u32 {
  const op = (k - 1) & 7; // the ALU operation of ALU kinds
  if (k >= K.ALU_RR && k < K.INC && (op == 2 || op == 3)) return CF; // adc, sbb
  if (k >= K.JCC && k < K.JMP) return ARITH;
  if (k == K.SETCC_R || k == K.CMOV_RR || k == K.CMOV_RM) return ARITH;
  // Shifts and multiplies keep or mix flags by rules of their own: barriers.
  if ((k >= K.SHIFT_RI && k <= K.SHIFT_RC) || (k >= K.IMUL_RR && k <= K.IMUL_RMI)) return ARITH;
  return 0;
}

function mayFault(k: u32): bool {
  switch (k) {
    case K.GENERIC: case K.MOV_RM: case K.MOV_MR: case K.MOV_MI: case K.MOV8_RM: case K.MOV8_MR: case K.MOV8_MI:
    case K.MOVZX8_M: case K.MOVZX16_M: case K.MOVSX8_M: case K.MOVSX16_M:
    case K.TEST_MR: case K.TEST8_MI: case K.PUSH_R: case K.POP_R: case K.PUSH_I: case K.PUSH_M:
    case K.CALL: case K.RET: case K.RET_IMM: case K.CALL_R: case K.JMP_M: case K.CALL_M:
    case K.IMUL_RM: case K.IMUL_RMI: case K.CMOV_RM: case K.LEAVE:
      return true;
    default: break;
  }
  if (k >= K.ALU_RM && k < K.ALU_RR_NF) return true;
  if ((k >= K.ALU8_RM && k < K.INC)) return true;
  return false;
}

function dropDeadFlags(first: u32, n: u32): void {
  let live = ARITH;
  for (let i = <i32>n - 1; i >= 0; i--) {
    const e = entryAt(first + <u32>i);
    const k = <u32>load<u8>(e);
    const w = flagsWritten(k);
    if (w != 0 && (live & w) == 0) {
      const op = (k - 1) & 7;
      if (k >= K.ALU_RR && k < K.ALU_RM && op != 2 && op != 3) {
        store<u8>(e, <u8>(k + (K.ALU_RR_NF - K.ALU_RR)));
      } else if (k == K.INC || k == K.DEC) {
        store<u8>(e, <u8>(k + (K.INC_NF - K.INC)));
      }
    }
    live = mayFault(k) ? ARITH : flagsRead(k) | (live & ~w);
  }
}
