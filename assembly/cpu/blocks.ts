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
// +20 the JIT's function for it (jit/jit.ts: 0 none yet, JIT_NEVER none;
// the blocks of one region share a function), +24 its index in that
// region (where the function starts).
import {
  BLOCK_TABLE, BLOCK_SLOTS, BLOCK_SLOT_BYTES, BLOCK_ENTRIES, BLOCK_ENTRY_MAX, RAM_BASE, REGS, ZERO_WORD, CR0, CPL,
} from "../layout";
import { claimCode, resetCodePages, pageInfoAt } from "../mmu/codepages";
import { tlbSlot, rightFor } from "../mmu/tlb";
import { ramSize } from "../mmu/memory";
import { segBase, CS, DS, SS } from "./state";
import { K, ENTRY_BYTES } from "./blockkinds";
import { beginDecode, decodePtr, overran } from "./blockfetch";
import { decodeOne } from "./gen/blockdecode";
import { invalidateFetch } from "./decode";
import { jitFlushed, jitFull, jitResetStats } from "../jit/jit";
import { ARITH, CF } from "./flags";

const BLOCK_MAX: u32 = 48;
const PG: u32 = 1 << 31;

let nextEntry: u32 = 0;
// Blocks decoded since the last reset (a statistic for the host and tests).
let decodedCount: u32 = 0;

export function blocksDecoded(): u32 { return decodedCount; }
// Calls of the block executor from the run loop: it keeps going across
// blocks and regions, so a count near the number of transfers says
// something sends it back to the run loop each time.
let runCount: u32 = 0;
export function blockRuns(): u32 { return runCount; }
// @ts-ignore: decorator
@inline export function countBlockRun(): void { runCount++; }

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
  runCount = 0;
  jitResetStats();
  resetCodePages();
}

// @ts-ignore: decorator
@inline export function slotOf(phys: u32): usize {
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

// The block at phys for the JIT's region (jit/region.ts): as blockAt, but 0
// where decoding it would flush the cache (the region's blocks must stay).
export function blockForRegion(phys: u32): usize {
  const slot = slotOf(phys);
  if (load<u32>(slot) == phys && load<u32>(slot, 12) != 0 && load<u32>(slot, 4) == load<u32>(pageInfoAt(phys))) {
    return slot;
  }
  if (nextEntry + BLOCK_MAX > BLOCK_ENTRY_MAX || jitFull()) return 0;
  return decodeBlock(phys, slot);
}

// ---- Decoding --------------------------------------------------------------

function decodeBlock(phys: u32, slot: usize): usize {
  if (nextEntry + BLOCK_MAX > BLOCK_ENTRY_MAX || jitFull()) flushBlocks();
  const first = nextEntry;
  beginDecode(<usize>RAM_BASE + phys, <usize>RAM_BASE + (phys | 0xfff) + 1);
  let n: u32 = 0;
  while (n < BLOCK_MAX) {
    const e = entryAt(first + n);
    const start = decodePtr();
    const ends = decodeOne(e);
    if (overran()) break; // it crosses the page end: the interpreter takes it
    store<u8>(e, <u8>(decodePtr() - start), 1);
    n++;
    if (ends) break;
  }
  if (n == 0) return 0;
  decodedCount++;
  dropDeadFlags(first, n);
  nextEntry = first + n;
  store<u32>(slot, phys);
  // Everything the decoder read, up to the GENERIC entry's first bytes.
  store<u32>(slot, claimCode(phys, <u32>(decodePtr() - (<usize>RAM_BASE + phys))), 4);
  store<u32>(slot, first, 8);
  store<u32>(slot, n, 12);
  store<u32>(slot, 0, 16);
  store<u32>(slot, 0, 20);
  return slot;
}

// ---- Flags no one sees -------------------------------------------------------
// A backward pass over the block: an ALU or INC/DEC entry whose flags are
// all redefined by a later entry before anything reads them, with no entry
// between that may fault (an exception would expose them), runs in its
// _NF form and skips the lazy-flag record. The block's last entry is taken
// to have its flags read (the next block is unknown).

// Flags an entry defines; flags it reads; whether it may fault.
function flagsWritten(k: u32): u32 {
  if (k >= K.ALU_RR && k < K.ALU_RR_NF) return ARITH;
  if ((k >= K.ALU8_RR && k < K.INC) || (k >= K.ALU8_MR && k < K.BSWAP)) return ARITH;
  if (k >= K.INC && k <= K.DEC) return ARITH & ~CF;
  if ((k >= K.TEST_RR && k <= K.TEST8_MI) || k == K.NEG_R) return ARITH;
  if ((k >= K.ALU16_RR && k < K.MOV16_RR) || (k >= K.TEST16_RR && k <= K.TEST16_MR)) return ARITH;
  if (k == K.INC16 || k == K.DEC16 || (k >= K.INC_M && k <= K.DEC8_M)) return ARITH & ~CF;
  return 0;
}

function flagsRead(k: u32): u32 {
  const op = (k - 1) & 7; // the ALU operation of ALU kinds
  if (((k >= K.ALU_RR && k < K.INC) || (k >= K.ALU16_RR && k < K.MOV16_RR) || (k >= K.ALU8_MR && k < K.BSWAP)) && (op == 2 || op == 3)) return CF; // adc, sbb
  if (k >= K.JCC && k < K.JMP) return ARITH;
  if (k == K.SETCC_R || k == K.CMOV_RR || k == K.CMOV_RM) return ARITH;
  // Shifts and multiplies keep or mix flags by rules of their own: barriers.
  if ((k >= K.SHIFT_RI && k <= K.SHIFT_RC) || (k >= K.IMUL_RR && k <= K.IMUL_RMI) || (k >= K.SHLD_RI && k <= K.SHRD_RC)) return ARITH;
  if (k == K.SHIFT16_RI || k == K.SHIFT16_RC) return ARITH;
  return 0;
}

function mayFault(k: u32): bool {
  switch (k) {
    case K.GENERIC: case K.MOV_RM: case K.MOV_MR: case K.MOV_MI: case K.MOV8_RM: case K.MOV8_MR: case K.MOV8_MI:
    case K.MOVZX8_M: case K.MOVZX16_M: case K.MOVSX8_M: case K.MOVSX16_M:
    case K.TEST_MR: case K.TEST8_MI: case K.PUSH_R: case K.POP_R: case K.PUSH_I: case K.PUSH_M:
    case K.CALL: case K.RET: case K.RET_IMM: case K.CALL_R: case K.JMP_M: case K.CALL_M:
    case K.IMUL_RM: case K.IMUL_RMI: case K.CMOV_RM: case K.LEAVE: case K.INTERP:
    case K.MULDIV_R: case K.MULDIV_M: // div raises #DE
    case K.X87: // #NM, #MF
      return true;
    default: break;
  }
  if (k >= K.ALU_RM && k < K.ALU_RR_NF) return true;
  if ((k >= K.ALU8_RM && k < K.INC) || (k >= K.ALU8_MR && k < K.BSWAP)) return true;
  if (k >= K.ALU16_RM && k < K.MOV16_RR) return true;
  return k == K.MOV16_RM || k == K.MOV16_MR || k == K.MOV16_MI || k == K.TEST16_MR
    || k == K.INC_M || k == K.DEC_M || k == K.INC16_M || k == K.DEC16_M || k == K.INC8_M || k == K.DEC8_M;
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
