// Which physical pages hold decoded code (the block cache's, cpu/blocks.ts)
// and the generation that invalidates them. Every write to guest RAM passes
// through notifyWrite(): one load and a branch when the page holds no code.
import { PAGE_INFO, RAM_SIZE } from "../layout";

// Set by a write to a page that had decoded code; the block executor looks
// at it after each of its stores, so that a write into the block that is
// running ends it before the next (maybe rewritten) instruction.
export let codeDirty: bool = false;

export function clearCodeDirty(): void { codeDirty = false; }

// @ts-ignore: decorator
@inline export function pageInfoAt(phys: u32): usize { return <usize>PAGE_INFO + (<usize>(phys >>> 12) << 2); }

// @ts-ignore: decorator
@inline export function notifyWrite(phys: u32): void {
  if (load<u32>(pageInfoAt(phys)) & 1) codeWritten(phys);
}

// A page with decoded code was written: its blocks stop matching (their
// generation is the old one) and the page is clean until decoded again.
function codeWritten(phys: u32): void {
  const at = pageInfoAt(phys);
  store<u32>(at, (load<u32>(at) | 1) + 1);
  codeDirty = true;
}

// The page's generation; marks it as holding decoded code from now on.
export function claimCodePage(phys: u32): u32 {
  const at = pageInfoAt(phys);
  const info = load<u32>(at) | 1;
  store<u32>(at, info);
  return info >>> 1;
}

// Every page clean, generation 0 (with the block table cleared too).
export function resetCodePages(): void {
  memory.fill(PAGE_INFO, 0, (load<u32>(RAM_SIZE) >>> 12) << 2);
  codeDirty = false;
}
