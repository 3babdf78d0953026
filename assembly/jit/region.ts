// The region the JIT compiles into one function: from the hot block, every
// block of the same code page that a direct jump, a branch, a call, a
// fall-through or a call's return point reaches, up to DIRECT_MAX blocks;
// for a jump through a table (jmp [table + reg*4], a compiled switch) also
// the targets the table holds now, read without side effects (an entry
// that changes later only makes a member that is never jumped to); a
// region with such a table may grow to REGION_MAX.
// The members' instructions together stay within the budget the caller
// gives (jit.ts), which bounds the module's size and its compile.
// Staying inside one page keeps the rules of a single block: one
// translation of CS:EIP covers every fetch, and the page's generation
// (mmu/codepages.ts) says whether any of the region's code was written.
// Transfers between the region's blocks stay inside the function
// (translate.ts); anything leaving the page returns to the run loop.
import { K } from "../cpu/blockkinds";
import { entryAt, blockForRegion, slotOf } from "../cpu/blocks";
import { CR0, CPL, RAM_BASE, ZERO_WORD } from "../layout";
import { tlbSlot, rightFor } from "../mmu/tlb";
import { ramSize } from "../mmu/memory";
import { segBase } from "../cpu/state";

export const REGION_MAX: u32 = 64;
// A region stops here unless it has a jump table: a switch (an
// interpreter's dispatch) wants its cases and their branches in one
// function. Elsewhere a bigger function takes the engine longer to
// optimize (a few milliseconds per member) than the exits it saves.
const DIRECT_MAX: u32 = 32;

// Per member: its offset in the page, its first entry, entry count, slot.
const memberOff = new StaticArray<u32>(REGION_MAX);
const memberFirst = new StaticArray<u32>(REGION_MAX);
const memberCount = new StaticArray<u32>(REGION_MAX);
const memberSlot = new StaticArray<usize>(REGION_MAX);
let members: u32 = 0;
let limit: u32 = DIRECT_MAX;
let entries: u32 = 0; // the members' instructions
let entryBudget: u32 = 0;
let page: u32 = 0;
let pageEip: u32 = 0; // the EIP of the page's first byte

export function regionSize(): u32 { return members; }
// @ts-ignore: decorator
@inline export function regionOff(j: u32): u32 { return unchecked(memberOff[j]); }
// @ts-ignore: decorator
@inline export function regionFirst(j: u32): u32 { return unchecked(memberFirst[j]); }
// @ts-ignore: decorator
@inline export function regionCount(j: u32): u32 { return unchecked(memberCount[j]); }
// @ts-ignore: decorator
@inline export function regionSlot(j: u32): usize { return unchecked(memberSlot[j]); }

// The member starting at page offset off, or REGION_MAX.
export function regionIndex(off: u32): u32 {
  for (let j: u32 = 0; j < members; j++) if (unchecked(memberOff[j]) == off) return j;
  return REGION_MAX;
}

function add(off: u32, slot: usize): void {
  unchecked(memberOff[members] = off);
  unchecked(memberFirst[members] = load<u32>(slot, 8));
  unchecked(memberCount[members] = load<u32>(slot, 12));
  unchecked(memberSlot[members] = slot);
  members++;
  entries += load<u32>(slot, 12);
}

// Adds the block at page offset off when it is in the page, not yet a
// member, and decoding it disturbs no member (the cache is direct-mapped:
// a block whose slot a member holds would evict that member).
function reach(off: u32): void {
  if (off >= 0x1000 || members >= limit || regionIndex(off) != REGION_MAX) return;
  const phys = page | off;
  const slot = slotOf(phys);
  for (let j: u32 = 0; j < members; j++) if (unchecked(memberSlot[j]) == slot) return;
  const got = blockForRegion(phys);
  if (got == 0 || entries + load<u32>(got, 12) > entryBudget) return;
  add(off, got);
}

const NOT_RAM: u32 = 0xffffffff;

// The physical address of the aligned word at linear address lin as the
// TLB maps it now for a read at the CPL (no walk, no fault), or NOT_RAM.
function peekPhys(lin: u32): u32 {
  let phys = lin;
  if (<i32>load<u32>(CR0) < 0) { // paging
    const e = tlbSlot(lin);
    const tag = load<u32>(e);
    if (((tag ^ lin) & 0xfffff000) != 0 || (tag & rightFor(false, load<u32>(CPL) == 3)) == 0) return NOT_RAM;
    phys = load<u32>(e + 4) | (lin & 0xfff);
  }
  return phys <= ramSize() - 4 ? phys : NOT_RAM;
}

// jmp [disp + index*4]: the table's entries from its start while they point
// into this page (a compiled switch's targets), up to the table page's end.
function reachTable(last: usize): void {
  const seg = <u32>load<u8>(last, 3) & 15, scale = <u32>load<u8>(last, 3) >> 4;
  if (scale != 2 || <u32>load<u16>(last, 8) != ZERO_WORD || <u32>load<u16>(last, 10) == ZERO_WORD) return;
  let lin = segBase(seg) + load<u32>(last, 12);
  if ((lin & 3) != 0) return;
  limit = REGION_MAX;
  for (let k: u32 = 0; k < 1024 && members < REGION_MAX; k++, lin += 4) {
    if (k != 0 && (lin & 0xfff) == 0) return;
    const phys = peekPhys(lin);
    if (phys == NOT_RAM) return;
    const off = load<u32>(<usize>RAM_BASE + phys) - pageEip;
    if (off >= 0x1000) return;
    reach(off);
  }
}

// Collects the region around the block in slot (the head, member 0, always
// in it), with at most budget instructions in the other members; eip0 is
// the EIP of its page's first byte.
export function collectRegion(slot: usize, eip0: u32, budget: u32): void {
  pageEip = eip0;
  const phys = load<u32>(slot);
  page = phys & 0xfffff000;
  members = 0;
  entries = 0;
  entryBudget = budget;
  limit = DIRECT_MAX;
  add(phys & 0xfff, slot);
  for (let j: u32 = 0; j < members; j++) {
    const first = unchecked(memberFirst[j]), count = unchecked(memberCount[j]);
    let end = unchecked(memberOff[j]);
    for (let i: u32 = 0; i < count; i++) end += <u32>load<u8>(entryAt(first + i), 1);
    const last = entryAt(first + count - 1);
    const k = <u32>load<u8>(last);
    const rel = load<u32>(last, 4);
    if (k >= K.JCC && k < K.JMP) { reach(end + rel); reach(end); }
    else if (k == K.JMP) reach(end + rel);
    else if (k == K.CALL) { reach(end + rel); reach(end); }
    else if (k == K.CALL_R || k == K.CALL_M) reach(end);
    else if (k == K.JMP_M) reachTable(last);
    else if (k == K.RET || k == K.RET_IMM || k == K.JMP_R || k == K.GENERIC) continue;
    else reach(end); // the block stopped at its size limit: the next one follows
  }
}
