// Which parts of which physical pages hold decoded code (the block cache's,
// cpu/blocks.ts) and the generation that invalidates them. Every write to
// guest RAM passes through notifyWrite(): one load and a test when the part
// written holds no code. Pages are tracked in 256-byte granules, so that
// data sharing a page with code (small programs, the end of a kernel's
// text) can be written without throwing the code's blocks away.
import { PAGE_INFO, CODE_MASK, RAM_SIZE } from "../layout";

// Set by a write to code that was decoded; the block executor looks at it
// after each of its stores, so that a write into the block that is running
// ends it before the next (maybe rewritten) instruction.
export let codeDirty: bool = false;

export function clearCodeDirty(): void { codeDirty = false; }

// The page's generation (u32) and its granules holding decoded code (u16).
// @ts-ignore: decorator
@inline export function pageInfoAt(phys: u32): usize { return <usize>PAGE_INFO + (<usize>(phys >>> 12) << 2); }
// @ts-ignore: decorator
@inline export function codeMaskAt(phys: u32): usize { return <usize>CODE_MASK + (<usize>(phys >>> 12) << 1); }

// The granules of bytes [phys, phys + size) within one page, as mask bits.
// @ts-ignore: decorator
@inline function granules(phys: u32, size: u32): u32 {
  const first = (phys >>> 8) & 15, last = ((phys + size - 1) >>> 8) & 15;
  return ((<u32>2 << last) - 1) & ~((<u32>1 << first) - 1);
}

// A write of size bytes at phys, all in one page.
// @ts-ignore: decorator
@inline export function notifyWrite(phys: u32, size: u32): void {
  if (<u32>load<u16>(codeMaskAt(phys)) & granules(phys, size)) codeWritten(phys);
}

// Decoded code was written: the page's blocks stop matching (their
// generation is the old one) and the page is clean until decoded again.
function codeWritten(phys: u32): void {
  store<u32>(pageInfoAt(phys), load<u32>(pageInfoAt(phys)) + 1);
  store<u16>(codeMaskAt(phys), 0);
  codeDirty = true;
}

// Bytes [phys, phys + size) of one page now hold decoded code; returns the
// page's generation.
export function claimCode(phys: u32, size: u32): u32 {
  const at = codeMaskAt(phys);
  store<u16>(at, <u16>(<u32>load<u16>(at) | granules(phys, size)));
  return load<u32>(pageInfoAt(phys));
}

// Every page clean, generation 0 (with the block table cleared too).
export function resetCodePages(): void {
  const pages = <usize>(load<u32>(RAM_SIZE) >>> 12);
  memory.fill(PAGE_INFO, 0, pages << 2);
  memory.fill(CODE_MASK, 0, pages << 1);
  codeDirty = false;
}
