// Far transfers: jmp and call to a code segment or through a call gate
// (with the privilege change and stack switch of SDM vol. 3, 5.8), retf and
// iret, including returns to an outer ring, and the task switches that jmp,
// call and iret reach through a TSS or a task gate.
//
// Every check runs before anything changes: a refused transfer faults with
// CS, EIP, SS, ESP and the stack contents as they were.
import { tracing, traceEvent, T_RETURN } from "./trace";
import { CPL, EFLAGS, TR_BASE } from "../layout";
import { readLin, readSys, probeWrite } from "../mmu/memory";
import {
  reg32, setReg32, setReg16, segSel, segBase, segLimit, segFlags, setSegCache, protectedMode, faulted, raiseCode,
  reraiseCode, GP, NP, SSF, TS, ESP, CS, SS, ES, DS, FS, GS,
} from "./state";
import { opsize32, nextIp, setNextIp } from "./decode";
import { push, peek, addSP, stack32 } from "./stack";
import {
  readDescriptor, descLo, descHi, descDpl, descPresent, descLimit, isCode, isData, isConforming, isCodeOrData,
  systemType, checkCodeSeg, enterCode, loadSegAt, loadSegReal, cacheDescriptor, markAccessed, setSegNull,
  segChanged, loadSegV86,
} from "./segment";
import { getFlags, setFlags, IF, IOPL, VM, NT, RF } from "./flags";
import { taskSwitch, TaskSwitch } from "./task";
import { v86IoplFault, tss32 } from "./system";

// @ts-ignore: decorator
@inline function plain(): bool { return !protectedMode() || (load<u32>(EFLAGS) & VM) != 0; }

// Call gate types: 4 (16-bit) and 12 (32-bit). TSS: 1/9 available,
// 3/11 busy. Task gate: 5.
const CALL_GATE16: u32 = 4, CALL_GATE32: u32 = 12, TASK_GATE: u32 = 5;

export function jumpFar(sel: u32, off: u32): void {
  sel &= 0xffff;
  if (plain()) {
    loadSegReal(CS, sel);
    setNextIp(opsize32 ? off : off & 0xffff);
    return;
  }
  farTo(sel, off, false);
}

export function callFar(sel: u32, off: u32): void {
  sel &= 0xffff;
  if (plain()) {
    const esp = reg32(ESP);
    if (opsize32) { push<u32>(segSel(CS)); push<u32>(nextIp); }
    else { push<u16>(segSel(CS)); push<u16>(nextIp); }
    if (faulted()) { setReg32(ESP, esp); return; }
    loadSegReal(CS, sel);
    setNextIp(opsize32 ? off : off & 0xffff);
    return;
  }
  farTo(sel, off, true);
}

// Protected-mode jmp/call far: the selector names a code segment, a call
// gate, a TSS or a task gate.
function farTo(sel: u32, off: u32, isCall: bool): void {
  const cpl = load<u32>(CPL);
  if ((sel & 0xfffc) == 0) { raiseCode(GP, 0); return; }
  if (!readDescriptor(sel)) return;
  const err = sel & 0xfffc;
  const hi = descHi;
  if (isCodeOrData(hi)) {
    if (!isCode(hi)) { raiseCode(GP, err); return; }
    if (!isConforming(hi) && (sel & 3) > cpl) { raiseCode(GP, err); return; }
    if (!checkCodeSeg(sel, cpl)) return;
    const target = opsize32 ? off : off & 0xffff;
    if (target > descLimit(descLo, descHi)) { raiseCode(GP, 0); return; }
    if (isCall && !pushReturn(opsize32)) return;
    enterCode(sel, cpl, descLo, descHi);
    setNextIp(target);
    return;
  }
  const type = systemType(hi);
  const dpl = descDpl(hi);
  if (type == CALL_GATE16 || type == CALL_GATE32) {
    if (dpl < cpl || dpl < (sel & 3)) { raiseCode(GP, err); return; }
    if (!descPresent(hi)) { raiseCode(NP, err); return; }
    throughCallGate(descLo, hi, isCall, cpl);
    return;
  }
  if (type == TASK_GATE || type == 1 || type == 9) {
    if (dpl < cpl || dpl < (sel & 3)) { raiseCode(GP, err); return; }
    if (!descPresent(hi)) { raiseCode(NP, err); return; }
    taskSwitch(sel, descLo, hi, isCall ? TaskSwitch.Call : TaskSwitch.Jump, nextIp);
    return;
  }
  raiseCode(GP, err);
}

// Pushes CS:EIP of the next instruction (checked first).
function pushReturn(is32: bool): bool {
  const size: u32 = is32 ? 4 : 2;
  const sp = reg32(ESP);
  probeWrite(segBase(SS) + (stack32() ? sp - 2 * size : (sp - 2 * size) & 0xffff), 2 * size);
  if (faulted()) return false;
  if (is32) { push<u32>(segSel(CS)); push<u32>(nextIp); }
  else { push<u16>(segSel(CS)); push<u16>(nextIp); }
  return true;
}

function throughCallGate(gateLo: u32, gateHi: u32, isCall: bool, cpl: u32): void {
  const is32 = systemType(gateHi) == CALL_GATE32;
  const target = gateLo >>> 16;
  const off = is32 ? (gateHi & 0xffff0000) | (gateLo & 0xffff) : gateLo & 0xffff;
  const params = gateHi & 0x1f;
  if ((target & 0xfffc) == 0) { raiseCode(GP, 0); return; }
  if (!readDescriptor(target)) return;
  const hi = descHi, lo = descLo;
  const terr = target & 0xfffc;
  const dpl = descDpl(hi);
  if (!isCode(hi) || dpl > cpl) { raiseCode(GP, terr); return; }
  if (!isCall && !isConforming(hi) && dpl != cpl) { raiseCode(GP, terr); return; }
  if (!descPresent(hi)) { raiseCode(NP, terr); return; }
  if (off > descLimit(lo, hi)) { raiseCode(GP, 0); return; }
  if (!isCall) {
    enterCode(target, cpl, lo, hi);
    setNextIp(off);
    return;
  }
  if (isConforming(hi) || dpl == cpl) {
    if (!pushReturn(is32)) return;
    enterCode(target, cpl, lo, hi);
    setNextIp(off);
    return;
  }
  callInner(target, lo, hi, off, dpl, is32, params);
}

// A call through a gate to a more privileged ring: the stack for that ring
// comes from the TSS, and the caller's SS:ESP and parameters go onto it.
function callInner(target: u32, lo: u32, hi: u32, off: u32, newCpl: u32, is32: bool, params: u32): void {
  const size: u32 = is32 ? 4 : 2;
  const oldSs = segSel(SS), oldSsBase = segBase(SS), oldSsLimit = segLimit(SS), oldSsFlags = segFlags(SS);
  const oldEsp = reg32(ESP);
  const oldStack32 = stack32();
  const oldCs = segSel(CS);
  const oldCpl = load<u32>(CPL);
  // The caller's parameters are read at the caller's privilege, before
  // anything changes (a gate copies at most 31).
  for (let i: u32 = 0; i < params; i++) unchecked(gateParams[i] = readParam(oldSsBase, oldEsp, oldStack32, i, size));
  if (faulted()) return;
  if (!stackFromTss(newCpl)) return;
  const newSs = tssSs, newEsp = tssEsp;
  // Load the new SS (checked by stackFromTss) and probe the whole frame at
  // the new privilege: the inner stack is the inner ring's memory.
  cacheDescriptor(SS, newSs, tssSsLo, tssSsHi);
  setReg32(ESP, newEsp);
  store<u32>(CPL, newCpl);
  const bytes = size * (4 + params);
  probeWrite(segBase(SS) + (stack32() ? newEsp - bytes : (newEsp - bytes) & 0xffff), bytes);
  if (faulted()) {
    store<u32>(CPL, oldCpl);
    setSegCache(SS, oldSs, oldSsBase, oldSsLimit, oldSsFlags);
    segChanged(SS);
    setReg32(ESP, oldEsp);
    return;
  }
  markAccessed(newSs, tssSsHi);
  pushSized(oldSs, is32);
  pushSized(oldEsp, is32);
  for (let i = params; i > 0; i--) pushSized(unchecked(gateParams[i - 1]), is32);
  pushSized(oldCs, is32);
  pushSized(nextIp, is32);
  enterCode(target, newCpl, lo, hi);
  setNextIp(off);
}

const gateParams = new StaticArray<u32>(32);

function readParam(base: u32, esp: u32, is32stack: bool, i: u32, size: u32): u32 {
  const at = esp + i * size;
  const lin = base + (is32stack ? at : at & 0xffff);
  return size == 4 ? readLin<u32>(lin) : readLin<u16>(lin);
}

// @ts-ignore: decorator
@inline function pushSized(v: u32, is32: bool): void { if (is32) push<u32>(v); else push<u16>(v); }

// SS and ESP for ring n from the current TSS, checked as the stack segment
// for that ring (#TS with the selector when it is not one, #SS when it is
// not present). Leaves the results in tssSs, tssEsp, tssSsLo/Hi.
export let tssSs: u32 = 0, tssEsp: u32 = 0, tssSsLo: u32 = 0, tssSsHi: u32 = 0;
export function stackFromTss(n: u32): bool {
  const tss = load<u32>(TR_BASE);
  if (tss32()) {
    tssEsp = readSys<u32>(tss + 4 + n * 8);
    tssSs = readSys<u16>(tss + 8 + n * 8);
  } else {
    tssEsp = readSys<u16>(tss + 2 + n * 4);
    tssSs = readSys<u16>(tss + 4 + n * 4);
  }
  if (faulted()) return false;
  const err = tssSs & 0xfffc;
  if (err == 0) { raiseCode(TS, 0); return false; }
  if (!readDescriptor(tssSs)) { reraiseCode(TS, err); return false; }
  const hi = descHi;
  if ((tssSs & 3) != n || descDpl(hi) != n || !isData(hi) || (hi & 0x200) == 0) { raiseCode(TS, err); return false; }
  if (!descPresent(hi)) { raiseCode(SSF, err); return false; }
  tssSsLo = descLo;
  tssSsHi = hi;
  return true;
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

// The code segment a retf or iret returns to: never more privileged than
// the current ring, checked at the ring of its RPL, the offset in its limit.
function checkReturnCode(sel: u32, target: u32, cpl: u32): bool {
  const rpl = sel & 3;
  if (rpl < cpl) { raiseCode(GP, sel & 0xfffc); return false; }
  if (!checkCodeSeg(sel, rpl)) return false;
  if (target > descLimit(descLo, descHi)) { raiseCode(GP, 0); return false; }
  return true;
}

// retf [imm16]
export function retFar(imm: u32): void {
  const size: u32 = opsize32 ? 4 : 2;
  const off = opsize32 ? peek<u32>(0) : peek<u16>(0);
  const sel = (opsize32 ? peek<u32>(size) : peek<u16>(size)) & 0xffff;
  if (faulted()) return;
  if (plain()) {
    loadSegReal(CS, sel);
    addSP(2 * size + imm);
    setNextIp(opsize32 ? off : off & 0xffff);
    return;
  }
  const cpl = load<u32>(CPL);
  const rpl = sel & 3;
  const target = opsize32 ? off : off & 0xffff;
  if (!checkReturnCode(sel, target, cpl)) return;
  if (rpl == cpl) {
    enterCode(sel, cpl, descLo, descHi);
    addSP(2 * size + imm);
    setNextIp(target);
    return;
  }
  // To an outer ring: SS:ESP follow the return address and the parameters.
  const sp = opsize32 ? peek<u32>(2 * size + imm) : peek<u16>(2 * size + imm);
  const ss = (opsize32 ? peek<u32>(3 * size + imm) : peek<u16>(3 * size + imm)) & 0xffff;
  if (faulted()) return;
  const lo = descLo, hi = descHi;
  if (!loadSegAt(SS, ss, rpl)) return;
  enterCode(sel, rpl, lo, hi);
  if (stack32()) setReg32(ESP, sp + imm); else setReg16(ESP, sp + imm);
  setNextIp(target);
  nullInaccessible();
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
  if (protectedMode() && (load<u32>(EFLAGS) & NT) && !(load<u32>(EFLAGS) & VM)) {
    // Return from a nested task: to the TSS in this one's back link.
    const back = readSys<u16>(load<u32>(TR_BASE));
    if (faulted()) return;
    if (back & 4) { raiseCode(TS, back & 0xfffc); return; }
    if (!readDescriptor(back)) { reraiseCode(TS, back & 0xfffc); return; }
    taskSwitch(back, descLo, descHi, TaskSwitch.Iret, nextIp);
    return;
  }
  const off = opsize32 ? peek<u32>(0) : peek<u16>(0);
  const sel = (opsize32 ? peek<u32>(size) : peek<u16>(size)) & 0xffff;
  const flags = opsize32 ? peek<u32>(2 * size) : peek<u16>(2 * size);
  if (faulted()) return;
  const mask = writableFlags();
  const newFlags = (getFlags() & ~mask) | (flags & mask);
  const flags16 = (getFlags() & 0xffff0000) | (newFlags & 0xffff);
  if (plain()) {
    // In virtual-8086 mode at IOPL 3 iret returns as in real mode (VM and
    // IOPL stay: CPL is 3).
    if (v86IoplFault()) return;
    loadSegReal(CS, sel);
    addSP(3 * size);
    setNextIp(off & 0xffff);
    setFlags(opsize32 ? newFlags : flags16);
    return;
  }
  const cpl = load<u32>(CPL);
  if (opsize32 && cpl == 0 && (flags & VM) != 0) { iretToV86(off, sel, flags); return; }
  const rpl = sel & 3;
  const target = opsize32 ? off : off & 0xffff;
  if (!checkReturnCode(sel, target, cpl)) return;
  if (rpl == cpl) {
    enterCode(sel, cpl, descLo, descHi);
    addSP(3 * size);
    setFlags(opsize32 ? newFlags : flags16);
    setNextIp(target);
    return;
  }
  const sp = opsize32 ? peek<u32>(3 * size) : peek<u16>(3 * size);
  const ss = (opsize32 ? peek<u32>(4 * size) : peek<u16>(4 * size)) & 0xffff;
  if (faulted()) return;
  const lo = descLo, hi = descHi;
  if (!loadSegAt(SS, ss, rpl)) return;
  enterCode(sel, rpl, lo, hi);
  if (stack32()) setReg32(ESP, sp); else setReg16(ESP, sp);
  setFlags(opsize32 ? newFlags : flags16);
  setNextIp(target);
  nullInaccessible();
  if (rpl == 3 && tracing(T_RETURN)) traceEvent(T_RETURN, 0, 0, target);
}

// iret from ring 0 to an EFLAGS image with VM set (SDM IRET,
// RETURN-TO-VIRTUAL-8086-MODE): EIP, CS and EFLAGS, then ESP, SS, ES, DS,
// FS and GS come off the stack as dwords; every segment gets its real-mode
// base, a 64 KiB limit and ring 3 data rights, and CPL becomes 3.
function iretToV86(eip: u32, cs: u32, flags: u32): void {
  const esp = peek<u32>(12);
  const ss = peek<u32>(16), es = peek<u32>(20), ds = peek<u32>(24), fs = peek<u32>(28), gs = peek<u32>(32);
  if (faulted()) return;
  const m: u32 = 0x00277fd5 & ~RF; // CF..OF, IOPL, NT, VM, AC, ID (QEMU leaves RF)
  setFlags((getFlags() & ~m) | (flags & m) | 2);
  loadSegV86(CS, cs);
  loadSegV86(SS, ss);
  loadSegV86(ES, es);
  loadSegV86(DS, ds);
  loadSegV86(FS, fs);
  loadSegV86(GS, gs);
  store<u32>(CPL, 3);
  setReg32(ESP, esp);
  setNextIp(eip & 0xffff);
}
