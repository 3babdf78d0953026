// in/out and the I/O privilege check.
import { CPL, EFLAGS, STOP } from "../layout";
import { protectedMode, raiseCode, GP, EAX, EDX, reg16, getReg, setReg } from "./state";
import { IOPL, VM } from "./flags";
import { portIn, portOut } from "../dev/bus";

// In protected mode, CPL > IOPL needs the TSS I/O bitmap (added with the
// system architecture; until then such an access is refused with #GP).
export function ioAllowed(port: u32, size: u32): bool {
  if (!protectedMode()) return true;
  const iopl = (load<u32>(EFLAGS) & IOPL) >> 12;
  if ((load<u32>(EFLAGS) & VM) == 0 && load<u32>(CPL) <= iopl) return true;
  raiseCode(GP, 0);
  return false;
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
