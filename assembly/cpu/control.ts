// Jumps, calls, returns, loops and software interrupts.
import { EIP, CPL, EFLAGS } from "../layout";
import {
  reg32, setReg32, reg16, setReg16, segSel, protectedMode, faulted, raise, raiseCode, GP, ECX, ESP, CS, SS,
  ES, DS, FS, GS, segFlags,
} from "./state";
import { opsize32, addr32, nextIp, setNextIp } from "./decode";
import { push, pop, peek, addSP, stack32 } from "./stack";
import { loadCS, loadSeg, setSegNull } from "./segment";
import { getFlags, setFlags, IF, IOPL, VM, NT, RF } from "./flags";
import { deliver } from "./interrupt";

// @ts-ignore: decorator
@inline export function jumpNear(target: u32): void {
  setNextIp(opsize32 ? target : target & 0xffff);
}

// @ts-ignore: decorator
@inline export function jumpRel(disp: u32): void { jumpNear(nextIp + disp); }

export function callNear(target: u32): void {
  const ret = nextIp;
  if (opsize32) push<u32>(ret); else push<u16>(ret);
  if (faulted()) return;
  jumpNear(target);
}

export function retNear(imm: u32): void {
  const target = opsize32 ? pop<u32>() : pop<u16>();
  if (faulted()) return;
  jumpNear(target);
  addSP(imm);
}

export function jumpFar(sel: u32, off: u32): void {
  if (!loadCS(sel)) return;
  setNextIp(opsize32 ? off : off & 0xffff);
}

export function callFar(sel: u32, off: u32): void {
  const oldCS = segSel(CS);
  const ret = nextIp;
  const esp = reg32(ESP);
  if (opsize32) { push<u32>(oldCS); push<u32>(ret); }
  else { push<u16>(oldCS); push<u16>(ret); }
  if (faulted()) { setReg32(ESP, esp); return; }
  if (!loadCS(sel)) { setReg32(ESP, esp); return; }
  setNextIp(opsize32 ? off : off & 0xffff);
}

// After a return to an outer ring, data segments the new CPL may not use
// are nulled (SDM vol. 3, 5.8.6).
function nullInaccessible(): void {
  const cpl = load<u32>(CPL);
  for (let s: u32 = 0; s < 6; s++) {
    if (s != ES && s != DS && s != FS && s != GS) continue;
    const f = segFlags(s);
    const dpl = (f >>> 5) & 3;
    const conformingCode = (f & 0x1c) == 0x1c;
    if ((segSel(s) & 0xfffc) != 0 && dpl < cpl && !conformingCode) setSegNull(s);
  }
}

export function retFar(imm: u32): void {
  const size: u32 = opsize32 ? 4 : 2;
  const off = opsize32 ? peek<u32>(0) : peek<u16>(0);
  const sel = (opsize32 ? peek<u32>(size) : peek<u16>(size)) & 0xffff;
  if (faulted()) return;
  const cpl = load<u32>(CPL);
  const outer = protectedMode() && !(load<u32>(EFLAGS) & VM) && (sel & 3) > cpl;
  if (outer) {
    const sp = opsize32 ? peek<u32>(2 * size + imm) : peek<u16>(2 * size + imm);
    const ss = (opsize32 ? peek<u32>(3 * size + imm) : peek<u16>(3 * size + imm)) & 0xffff;
    if (faulted()) return;
    if (!loadCS(sel)) return;
    if (!loadSeg(SS, ss)) return;
    if (stack32()) setReg32(ESP, sp + imm); else setReg16(ESP, sp + imm);
    nullInaccessible();
  } else {
    if (!loadCS(sel)) return;
    addSP(2 * size + imm);
  }
  setNextIp(opsize32 ? off : off & 0xffff);
}

// Which EFLAGS bits popf/iret may change at the current privilege.
export function writableFlags(): u32 {
  let m: u32 = 0x00257fd5 & ~VM; // CF..OF, NT, RF, AC, ID; VM only through iret from ring 0
  if (protectedMode()) {
    const cpl = load<u32>(CPL);
    const iopl = (load<u32>(EFLAGS) & IOPL) >> 12;
    if (cpl > 0) m &= ~IOPL;
    if (cpl > iopl) m &= ~IF;
  }
  return m;
}

export function iret(): void {
  const size: u32 = opsize32 ? 4 : 2;
  if (protectedMode() && (load<u32>(EFLAGS) & NT)) {
    raiseCode(GP, 0); // task return comes with hardware task switching
    return;
  }
  const off = opsize32 ? peek<u32>(0) : peek<u16>(0);
  const sel = (opsize32 ? peek<u32>(size) : peek<u16>(size)) & 0xffff;
  const flags = opsize32 ? peek<u32>(2 * size) : peek<u16>(2 * size);
  if (faulted()) return;
  const mask = writableFlags();
  const newFlags = (getFlags() & ~mask) | (flags & mask);
  if (!protectedMode()) {
    addSP(3 * size);
    loadCS(sel);
    setNextIp(off & 0xffff);
    setFlags(opsize32 ? newFlags : (getFlags() & 0xffff0000) | (newFlags & 0xffff));
    return;
  }
  const cpl = load<u32>(CPL);
  if ((sel & 3) < cpl) { raiseCode(GP, sel & 0xfffc); return; }
  if ((sel & 3) > cpl) {
    const sp = opsize32 ? peek<u32>(3 * size) : peek<u16>(3 * size);
    const ss = (opsize32 ? peek<u32>(4 * size) : peek<u16>(4 * size)) & 0xffff;
    if (faulted()) return;
    if (!loadCS(sel)) return;
    if (!loadSeg(SS, ss)) return;
    if (stack32()) setReg32(ESP, sp); else setReg16(ESP, sp);
    setFlags(newFlags);
    nullInaccessible();
  } else {
    if (!loadCS(sel)) return;
    addSP(3 * size);
    setFlags(opsize32 ? newFlags : (getFlags() & 0xffff0000) | (newFlags & 0xffff));
  }
  setNextIp(opsize32 ? off : off & 0xffff);
}

// INT n, INT3, INTO: the return address pushed is the next instruction's.
export function softInt(vec: u32): void {
  store<u32>(EIP, nextIp);
  deliver(vec, true, false, 0);
  setNextIp(load<u32>(EIP));
}

// loop/loope/loopne/jcxz use CX or ECX by address size.
// @ts-ignore: decorator
@inline export function counter(): u32 { return addr32 ? reg32(ECX) : reg16(ECX); }
// @ts-ignore: decorator
@inline export function setCounter(v: u32): void { if (addr32) setReg32(ECX, v); else setReg16(ECX, v); }

export { raise };
