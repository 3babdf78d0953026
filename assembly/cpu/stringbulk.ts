// rep movs and rep stos a page at a time: when the segments need no checks
// (flat, SEG_CHECK 0), DF is clear and addresses are 32-bit, the elements
// that lie wholly inside the current source and destination pages move in
// one memory.copy / fill. The result is the element-by-element one: faults
// can only come at a page's first element, which the caller then takes the
// slow way; a forward copy that would overlap its own output is left to it.
import { RAM_BASE, SEG_CHECK, EFLAGS } from "../layout";
import { reg32, setReg32, segBase, faulted, getReg, EAX, ESI, EDI, ES } from "./state";
import { translateLin, ramSize } from "../mmu/memory";
import { notifyWrite } from "../mmu/codepages";
import { DF } from "./flags";

// @ts-ignore: decorator
@inline export function bulkUsable(seg: u32): bool {
  return load<u8>(SEG_CHECK + seg) == 0 && load<u8>(SEG_CHECK + ES) == 0 && (load<u32>(EFLAGS) & DF) == 0;
}

// Whole elements of T from lin to the end of its page.
// @ts-ignore: decorator
@inline function room<T>(lin: u32): u32 { return (0x1000 - (lin & 0xfff)) / <u32>sizeof<T>(); }

// Stores up to max elements; returns how many (0: do the next one singly).
export function stosBulk<T>(max: u32): u32 {
  const di = reg32(EDI);
  const lin = segBase(ES) + di;
  let n = room<T>(lin);
  if (n > max) n = max;
  if (n < 2) return 0;
  const phys = translateLin(lin, true);
  if (faulted() || phys + n * sizeof<T>() > ramSize()) return 0;
  notifyWrite(phys, n * sizeof<T>());
  const at = <usize>RAM_BASE + phys;
  const v = getReg<T>(EAX);
  if (sizeof<T>() == 1) memory.fill(at, <u8>v, n);
  else for (let i: u32 = 0; i < n; i++) store<T>(at + <usize>i * sizeof<T>(), <T>v);
  setReg32(EDI, di + n * sizeof<T>());
  return n;
}

// Copies up to max elements from seg:ESI to ES:EDI; returns how many.
export function movsBulk<T>(seg: u32, max: u32): u32 {
  const si = reg32(ESI), di = reg32(EDI);
  const src = segBase(seg) + si, dst = segBase(ES) + di;
  let n = room<T>(src);
  const n2 = room<T>(dst);
  if (n2 < n) n = n2;
  if (n > max) n = max;
  if (n < 2) return 0;
  const bytes = n * sizeof<T>();
  const from = translateLin(src, false);
  if (faulted()) return 0;
  const to = translateLin(dst, true);
  if (faulted() || from + bytes > ramSize() || to + bytes > ramSize()) return 0;
  if (to > from && to < from + bytes) return 0; // each element would read one just written
  notifyWrite(to, bytes);
  memory.copy(<usize>RAM_BASE + to, <usize>RAM_BASE + from, bytes);
  setReg32(ESI, si + bytes);
  setReg32(EDI, di + bytes);
  return n;
}
