// in/out and the I/O privilege check.
import { CPL, EFLAGS, TR_BASE, TR_LIMIT } from "../layout";
import { tss32 } from "./system";
import { readSys } from "../mmu/memory";
import { protectedMode, raiseCode, faulted, GP, EAX, getReg, setReg } from "./state";
import { IOPL, VM } from "./flags";
import { portIn, portOut } from "../dev/bus";

// In protected mode with CPL > IOPL (or in virtual-8086 mode) every port of
// the access must have a clear bit in the I/O permission bitmap of a 32-bit
// TSS; a bitmap that ends before those bits denies them. #GP(0) otherwise.
export function ioAllowed(port: u32, size: u32): bool {
  if (!protectedMode()) return true;
  const iopl = (load<u32>(EFLAGS) & IOPL) >> 12;
  if ((load<u32>(EFLAGS) & VM) == 0 && load<u32>(CPL) <= iopl) return true;
  if (bitmapAllows(port, size)) return true;
  if (!faulted()) raiseCode(GP, 0);
  return false;
}

function bitmapAllows(port: u32, size: u32): bool {
  if (!tss32()) return false; // a 16-bit TSS has no bitmap
  const tss = load<u32>(TR_BASE);
  const limit = load<u32>(TR_LIMIT);
  if (limit < 0x67) return false;
  const at = readSys<u16>(tss + 0x66) + (port >> 3);
  if (faulted() || at + 1 > limit) return false;
  const bits = readSys<u16>(tss + at);
  if (faulted()) return false;
  const mask: u32 = ((1 << size) - 1) << (port & 7);
  return (bits & mask) == 0;
}

// @ts-ignore: decorator
@inline export function inAcc<T>(port: u32): void {
  if (!ioAllowed(port, sizeof<T>())) return;
  setReg<T>(EAX, portIn(port, sizeof<T>()));
}

// @ts-ignore: decorator
@inline export function outAcc<T>(port: u32): void {
  if (!ioAllowed(port, sizeof<T>())) return;
  portOut(port, sizeof<T>(), getReg<T>(EAX));
}
