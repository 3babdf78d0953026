// The checks an access through a segment must pass (SDM vol. 3, 5.3 and
// 5.7): the offset inside the limit (above it, for expand-down data), no
// writes to code or read-only data, no reads of execute-only code, no use
// of a null selector. A violation is #SS(0) through SS and #GP(0) through
// the others. Flat writable data segments skip all of this (SEG_CHECK)
// unless alignment checking is on.
import { SEG_CHECK, CPL } from "../layout";
import { segLimit, segFlags, segBase, raiseCode, GP, SSF, SS } from "./state";

const AC: i32 = 17;

// True when size bytes at offset off of segment s may be accessed; raises
// the fault and returns false otherwise.
// @ts-ignore: decorator
@inline export function segAccess(s: u32, off: u32, size: u32, write: bool): bool {
  if (load<u8>(SEG_CHECK + s) == 0) return true;
  return checkAccess(s, off, size, write);
}

function checkAccess(s: u32, off: u32, size: u32, write: bool): bool {
  const check = load<u8>(SEG_CHECK + s);
  if ((check & 1) != 0 && !checkSegment(s, off, size, write)) return false;
  // Alignment check: a misaligned operand at CPL 3 is #AC(0).
  if ((check & 2) != 0 && load<u32>(CPL) == 3 && ((segBase(s) + off) & (size - 1)) != 0) {
    raiseCode(AC, 0);
    return false;
  }
  return true;
}

function checkSegment(s: u32, off: u32, size: u32, write: bool): bool {
  const f = segFlags(s);
  let ok = f != 0; // the null selector (protected mode only: real-mode caches keep their attributes)
  if (ok) {
    const code = (f & 0x18) == 0x18;
    if (write) ok = !code && (f & 0x02) != 0;
    else ok = !code || (f & 0x02) != 0;
  }
  if (ok) {
    const last = off + size - 1;
    const limit = segLimit(s);
    if (last < off) ok = false; // wraps past 4 GiB
    else if ((f & 0x1c) == 0x14) {
      // Expand-down data: valid offsets are above the limit, up to 64 KiB
      // or 4 GiB by the B bit.
      const upper: u32 = (f & 0x4000) ? 0xffffffff : 0xffff;
      ok = off > limit && last <= upper;
    } else {
      ok = last <= limit;
    }
  }
  if (!ok) raiseCode(s == SS ? SSF : GP, 0);
  return ok;
}
