// Jumps, calls, returns, loops and software interrupts.
import { tracing, traceEvent, T_SYSCALL } from "./trace";
import { EIP, DEBUG_TRAP } from "../layout";
import { v86IoplFault } from "./system";
import { Stop } from "../dev/bus";
import { reg32, setReg32, reg16, setReg16, faulted, raise, ECX, requestStop } from "./state";
import { opsize32, addr32, nextIp, setNextIp, insnStart } from "./decode";
import { push, pop, addSP } from "./stack";
import { deliver } from "./interrupt";

// A near target: IP is 16 bits with a 16-bit operand size.
// @ts-ignore: decorator
@inline export function nearTarget(t: u32): u32 { return opsize32 ? t : t & 0xffff; }

// @ts-ignore: decorator
@inline export function jumpNear(target: u32): void { setNextIp(nearTarget(target)); }

// @ts-ignore: decorator
@inline export function jumpRel(disp: u32): void { jumpNear(nextIp + disp); }

// The near call and return take the cursor (ret: the next instruction's
// EIP) and give the new EIP.
export function callNear(ret: u32, target: u32): u32 {
  if (opsize32) push<u32>(ret); else push<u16>(ret);
  return nearTarget(target);
}

export function retNear(imm: u32): u32 {
  const target = opsize32 ? pop<u32>() : pop<u16>();
  if (faulted()) return 0;
  addSP(imm);
  return nearTarget(target);
}

// INT n is IOPL-sensitive in virtual-8086 mode; int3 and into are not.
export function intN(vec: u32): void {
  if (!v86IoplFault()) softInt(vec);
}

// INT n, INT3, INTO: the return address pushed is the next instruction's.
export function softInt(vec: u32): void {
  if (vec == 3 && load<u32>(DEBUG_TRAP)) {
    // A debugger's breakpoint: stop on it, the guest never sees it.
    setNextIp(insnStart);
    requestStop(Stop.Break);
    return;
  }
  const ret = nextIp;
  store<u32>(EIP, nextIp);
  deliver(vec, true, false, 0);
  setNextIp(load<u32>(EIP));
  if (tracing(T_SYSCALL) && !faulted()) traceEvent(T_SYSCALL, vec, 0, ret);
}

// loop/loope/loopne/jcxz use CX or ECX by address size.
// @ts-ignore: decorator
@inline export function counter(): u32 { return addr32 ? reg32(ECX) : reg16(ECX); }
// @ts-ignore: decorator
@inline export function setCounter(v: u32): void { if (addr32) setReg32(ECX, v); else setReg16(ECX, v); }

export { raise };
