// The software TLB: a direct-mapped cache of linear -> physical page
// translations, indexed by the low bits of the linear page number.
//
// Each entry is two words at TLB + slot * 8:
//   tag:  linear page address | the access kinds it is valid for (RIGHT_*)
//   page: physical page address
// An access hits when the tag's page matches and it carries the right the
// access needs. Rights are only granted for what the page tables allow and
// what needs no A/D-bit update: write rights only once the dirty bit is set,
// so that the first write to a clean page walks and sets it.
import { TLB, TLB_ENTRIES } from "../layout";

export const RIGHT_SUP_READ: u32 = 1, RIGHT_SUP_WRITE: u32 = 2, RIGHT_USER_READ: u32 = 4;
export const RIGHT_USER_WRITE: u32 = 8, RIGHT_GLOBAL: u32 = 16;

// @ts-ignore: decorator
@inline export function tlbSlot(lin: u32): u32 { return TLB + (((lin >>> 12) & (TLB_ENTRIES - 1)) << 3); }

// The right an access needs.
// @ts-ignore: decorator
@inline export function rightFor(write: bool, user: bool): u32 {
  return user ? (write ? RIGHT_USER_WRITE : RIGHT_USER_READ) : (write ? RIGHT_SUP_WRITE : RIGHT_SUP_READ);
}

export function tlbFill(lin: u32, phys: u32, rights: u32): void {
  const e = tlbSlot(lin);
  store<u32>(e, (lin & 0xfffff000) | rights);
  store<u32>(e + 4, phys & 0xfffff000);
}

// Drops every entry, or every entry but the global ones (a CR3 write with
// CR4.PGE set).
export function tlbFlush(keepGlobal: bool): void {
  if (!keepGlobal) { memory.fill(TLB, 0, TLB_ENTRIES * 8); return; }
  for (let e = TLB; e < TLB + TLB_ENTRIES * 8; e += 8) {
    if ((load<u32>(e) & RIGHT_GLOBAL) == 0) store<u32>(e, 0);
  }
}

// INVLPG: the one page, global or not.
export function tlbFlushPage(lin: u32): void {
  const e = tlbSlot(lin);
  if (((load<u32>(e) ^ lin) & 0xfffff000) == 0) store<u32>(e, 0);
}
