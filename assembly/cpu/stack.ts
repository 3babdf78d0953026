// Stack access through SS:ESP (or SS:SP for a 16-bit stack segment).
// Pushes write first and move ESP only when the write succeeded, so a
// faulting push leaves ESP as it was.
import { STACK32 } from "../layout";
import { reg32, setReg32, setReg16, faulted, ESP, SS } from "./state";
import { readSeg, writeSeg } from "./decode";

// @ts-ignore: decorator
@inline export function stack32(): bool { return load<u32>(STACK32) != 0; }

// @ts-ignore: decorator
@inline function stackPtr(sp: u32): u32 { return stack32() ? sp : sp & 0xffff; }

// @ts-ignore: decorator
@inline function setSP(v: u32): void {
  if (stack32()) setReg32(ESP, v);
  else setReg16(ESP, v);
}

// T is u16 or u32 (the operand size of the push).
// @ts-ignore: decorator
@inline export function push<T>(v: u32): void {
  const sp = stackPtr(reg32(ESP) - sizeof<T>());
  writeSeg<T>(SS, sp, v);
  if (faulted()) return;
  setSP(sp);
}

// @ts-ignore: decorator
@inline export function pop<T>(): u32 {
  const sp = stackPtr(reg32(ESP));
  const v = readSeg<T>(SS, sp);
  if (faulted()) return 0;
  setSP(sp + sizeof<T>());
  return v;
}

// Stack slots relative to ESP without moving it, for instructions that must
// check every access before committing any (far calls, iret, enter...).
// @ts-ignore: decorator
@inline export function peek<T>(delta: u32): u32 {
  return readSeg<T>(SS, stackPtr(reg32(ESP) + delta));
}
// @ts-ignore: decorator
@inline export function poke<T>(delta: u32, v: u32): void {
  writeSeg<T>(SS, stackPtr(reg32(ESP) + delta), v);
}
// @ts-ignore: decorator
@inline export function addSP(delta: u32): void { setSP(stackPtr(reg32(ESP) + delta)); }
