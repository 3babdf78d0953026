// The two-level page walk of 32-bit paging (SDM vol. 3, chapter 4): 4 KiB
// pages through a page table, 4 MiB pages straight from the directory when
// CR4.PSE is set. Sets accessed and dirty bits as the hardware does, raises
// #PF with its error code and CR2, and fills the TLB.
import { CR0, CR3, CR4, CR2 } from "../layout";
import { raiseCode, PF, faulted } from "../cpu/state";
import { physRead, physWrite } from "./memory";
import {
  tlbFill, RIGHT_SUP_READ, RIGHT_SUP_WRITE, RIGHT_USER_READ, RIGHT_USER_WRITE, RIGHT_GLOBAL,
} from "./tlb";

const P: u32 = 1, RW: u32 = 2, US: u32 = 4, A: u32 = 0x20, D: u32 = 0x40, PS: u32 = 0x80, G: u32 = 0x100;
const CR0_WP: u32 = 1 << 16;
const CR4_PSE: u32 = 1 << 4, CR4_PGE: u32 = 1 << 7;
// In a 4 MiB directory entry, bits 13..21 must be 0 (no PSE-36 here).
const PDE4M_RESERVED: u32 = 0x003fe000;

// #PF error code bits.
const PF_PRESENT: u32 = 1, PF_WRITE: u32 = 2, PF_USER: u32 = 4, PF_RSVD: u32 = 8;

function pageFault(lin: u32, write: bool, user: bool, bits: u32): u32 {
  // The first fault of an instruction wins, and CR2 belongs to it.
  if (faulted()) return 0;
  store<u32>(CR2, lin);
  raiseCode(PF, bits | (write ? PF_WRITE : 0) | (user ? PF_USER : 0));
  return 0;
}

// Sets bits in a paging-structure entry in memory if they are not set yet.
// @ts-ignore: decorator
@inline function mark(addr: u32, entry: u32, bits: u32): void {
  if ((entry & bits) != bits) physWrite<u32>(addr, entry | bits);
}

// Translates lin for an access of the given kind, or raises #PF and
// returns 0. Called on a TLB miss.
export function walk(lin: u32, write: bool, user: bool): u32 {
  const pdeAddr = (load<u32>(CR3) & 0xfffff000) | ((lin >>> 20) & 0xffc);
  const pde = physRead<u32>(pdeAddr);
  if ((pde & P) == 0) return pageFault(lin, write, user, 0);
  const cr4 = load<u32>(CR4);
  const big = (pde & PS) != 0 && (cr4 & CR4_PSE) != 0;
  if (big && (pde & PDE4M_RESERVED) != 0) return pageFault(lin, write, user, PF_PRESENT | PF_RSVD);
  let pte: u32 = 0, pteAddr: u32 = 0;
  let leaf = pde;
  if (!big) {
    pteAddr = (pde & 0xfffff000) | ((lin >>> 10) & 0xffc);
    pte = physRead<u32>(pteAddr);
    if ((pte & P) == 0) return pageFault(lin, write, user, 0);
    leaf = pte;
  }
  // Effective rights: both levels must allow user access and writes.
  const userOk = (pde & leaf & US) != 0;
  const writable = (pde & leaf & RW) != 0;
  const wp = (load<u32>(CR0) & CR0_WP) != 0;
  if (user ? (!userOk || (write && !writable)) : (write && wp && !writable)) {
    return pageFault(lin, write, user, PF_PRESENT);
  }
  // Accessed bits on every level used; dirty on the leaf for a write.
  mark(pdeAddr, pde, big && write ? A | D : A);
  if (!big) mark(pteAddr, pte, write ? A | D : A);
  const dirty = write || (leaf & D) != 0;
  const phys = big ? (pde & 0xffc00000) | (lin & 0x003ff000) : pte & 0xfffff000;

  let rights = RIGHT_SUP_READ;
  if (dirty && (!wp || writable)) rights |= RIGHT_SUP_WRITE;
  if (userOk) {
    rights |= RIGHT_USER_READ;
    if (dirty && writable) rights |= RIGHT_USER_WRITE;
  }
  if ((leaf & G) != 0 && (cr4 & CR4_PGE) != 0) rights |= RIGHT_GLOBAL;
  tlbFill(lin, phys, rights);
  return phys | (lin & 0xfff);
}
