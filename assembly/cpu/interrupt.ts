// Delivering interrupts and exceptions: the real-mode IVT or the
// protected-mode IDT (interrupt and trap gates, with the stack switch to
// SS0:ESP0 on entry to an inner ring), and the double/triple fault rules.
import { tracing, traceEvent, T_EXCEPTION } from "./trace";
import {
  EFLAGS, IDTR_BASE, IDTR_LIMIT, TR_BASE, CPL, STOP, HALTED, SHUTDOWN_VEC, FAULT_VEC, FAULT_CODE,
  FAULT_HAS_CODE, EIP, EVENTS,
} from "../layout";
import { readLin, readSys, writeLin, probeWrite } from "../mmu/memory";
import {
  reg32, setReg32, segSel, segBase, segLimit, segFlags, setSegCache, protectedMode, faulted, raiseCode, reraiseCode,
  requestStop, EV_FAULT, GP, NP, DF, ESP, CS, SS, ES, DS, FS, GS,
} from "./state";
import { getFlags, setFlags, IF, TF, NT, RF, VM, AC } from "./flags";
import {
  loadSegReal, readDescriptor, descLo, descHi, segChanged, descDpl, descPresent, isCode, isConforming, cacheDescriptor,
  enterCode, setSegNull,
} from "./segment";
import { stackFromTss, tssSs, tssEsp, tssSsLo, tssSsHi } from "./far";
import { taskSwitch, TaskSwitch } from "./task";
import { stack32 } from "./stack";
import { writeSeg } from "./decode";
import { segAccess } from "./segcheck";
import { tss32 } from "./system";
import { Stop } from "../dev/bus";

// Exception classes for the double-fault rule (SDM vol. 3, table 6-5).
function contributory(v: i32): bool { return v == 0 || (v >= 10 && v <= 13); }

// Pushes for interrupt entry, on whatever stack is current.
function pushEntry(v: u32, is32: bool): void {
  const size: u32 = is32 ? 4 : 2;
  const sp = stack32() ? reg32(ESP) - size : (reg32(ESP) - size) & 0xffff;
  if (is32) writeSeg<u32>(SS, sp, v);
  else writeSeg<u16>(SS, sp, v);
  if (faulted()) return;
  if (stack32()) setReg32(ESP, sp);
  else setReg32(ESP, (reg32(ESP) & 0xffff0000) | sp);
}

function deliverReal(vec: u32): void {
  const base = load<u32>(IDTR_BASE);
  if (vec * 4 + 3 > load<u32>(IDTR_LIMIT)) { raiseCode(GP, 0); return; }
  const ent = readLin<u32>(base + vec * 4);
  if (faulted()) return;
  pushEntry(getFlags(), false);
  pushEntry(segSel(CS), false);
  pushEntry(load<u32>(EIP), false);
  if (faulted()) return;
  setFlags(getFlags() & ~(IF | TF | AC));
  loadSegReal(CS, ent >>> 16);
  store<u32>(EIP, ent & 0xffff);
}

function deliverProtected(vec: u32, soft: bool, hasCode: bool, code: u32): void {
  const idx = vec << 3;
  const ext: u32 = soft ? 0 : 1;
  if (idx + 7 > load<u32>(IDTR_LIMIT)) { raiseCode(GP, idx | 2 | ext); return; }
  const lo = readSys<u32>(load<u32>(IDTR_BASE) + idx);
  const hi = readSys<u32>(load<u32>(IDTR_BASE) + idx + 4);
  if (faulted()) return;
  const type = (hi >>> 8) & 0x1f;
  const gateDpl = (hi >>> 13) & 3;
  const cpl = load<u32>(CPL);
  // Valid gates: task (5), 16/32-bit interrupt (6, 14) and trap (7, 15).
  if (type != 5 && type != 6 && type != 7 && type != 14 && type != 15) { raiseCode(GP, idx | 2 | ext); return; }
  if (soft && gateDpl < cpl) { raiseCode(GP, idx | 2); return; }
  if ((hi & 0x8000) == 0) { raiseCode(NP, idx | 2 | ext); return; }
  if (type == 5) {
    if (!taskSwitch(0, lo, hi, TaskSwitch.Int, load<u32>(EIP))) return;
    // The error code goes onto the new task's stack, as wide as its TSS.
    if (hasCode && !faulted()) pushEntry(code, tss32());
    return;
  }
  const sel = lo >>> 16;
  const off = (hi & 0xffff0000) | (lo & 0xffff);
  const is32 = (type & 8) != 0;
  if ((sel & 0xfffc) == 0) { raiseCode(GP, ext); return; }
  if (!readDescriptor(sel)) { reraiseCode(GP, (sel & 0xfffc) | ext); return; }
  const dLo = descLo, dHi = descHi;
  const dpl = descDpl(dHi);
  if (!isCode(dHi) || dpl > cpl) { raiseCode(GP, (sel & 0xfffc) | ext); return; }
  if (!descPresent(dHi)) { raiseCode(NP, (sel & 0xfffc) | ext); return; }
  const oldFlags = getFlags();
  const oldCS = segSel(CS);
  const oldEip = load<u32>(EIP);
  const oldSs = segSel(SS), oldSsBase = segBase(SS), oldSsLimit = segLimit(SS), oldSsFlags = segFlags(SS);
  const oldEsp = reg32(ESP);
  // From virtual-8086 mode only to ring 0 (SDM 20.3.1.1): the handler's
  // stack gets the data segments' selectors too, and they are nulled.
  const fromV86 = (oldFlags & VM) != 0;
  if (fromV86 && (dpl != 0 || isConforming(dHi))) { raiseCode(GP, (sel & 0xfffc) | ext); return; }
  const inner = dpl < cpl && !isConforming(dHi);
  if (inner) {
    // Entry to an inner ring: switch to the stack the TSS names for it.
    if (!stackFromTss(dpl)) return;
    cacheDescriptor(SS, tssSs, tssSsLo, tssSsHi);
    setReg32(ESP, tssEsp);
  }
  // Every slot is checked before the first is written, so that a fault
  // here leaves the old stack to deliver it from.
  const size: u32 = is32 ? 4 : 2;
  const bytes = size * ((inner ? 5 : 3) + (hasCode ? 1 : 0) + (fromV86 ? 4 : 0));
  const top = reg32(ESP);
  const newCpl = inner ? dpl : cpl;
  store<u32>(CPL, newCpl); // the pushes are made at the handler's privilege
  // The segment, then the pages, the first push's slot first: a fault
  // reports the address it would hit.
  const low = stack32() ? top - bytes : (top - bytes) & 0xffff;
  if (segAccess(SS, low, bytes, true)) probeWrite(segBase(SS) + (stack32() ? top - size : (top - size) & 0xffff), size);
  if (!faulted()) probeWrite(segBase(SS) + (stack32() ? top - bytes : (top - bytes) & 0xffff), bytes);
  if (faulted()) {
    store<u32>(CPL, cpl);
    setSegCache(SS, oldSs, oldSsBase, oldSsLimit, oldSsFlags);
    segChanged(SS);
    setReg32(ESP, oldEsp);
    return;
  }
  if (fromV86) {
    pushEntry(segSel(GS), is32);
    pushEntry(segSel(FS), is32);
    pushEntry(segSel(DS), is32);
    pushEntry(segSel(ES), is32);
    for (let s: u32 = 0; s < 6; s++) if (s != CS && s != SS) setSegNull(s);
  }
  if (inner) {
    pushEntry(oldSs, is32);
    pushEntry(oldEsp, is32);
  }
  pushEntry(oldFlags, is32);
  pushEntry(oldCS, is32);
  pushEntry(oldEip, is32);
  if (hasCode) pushEntry(code, is32);
  enterCode(sel, newCpl, dLo, dHi);
  store<u32>(EIP, is32 ? off : off & 0xffff);
  let f = oldFlags & ~(TF | NT | RF | VM);
  if ((type & 1) == 0) f &= ~IF; // interrupt gates mask interrupts; trap gates do not
  setFlags(f);
}

// Delivers one event. soft is true for INT n / INT3 / INTO (privilege-checked
// against the gate's DPL, no error code).
export function deliver(vec: u32, soft: bool, hasCode: bool, code: u32): void {
  store<u32>(HALTED, 0);
  if (protectedMode()) deliverProtected(vec, soft, hasCode, code);
  else deliverReal(vec);
}

// Takes the fault the current instruction raised and delivers it, following
// the double-fault and triple-fault rules when delivery itself faults.
export function deliverFault(): void {
  deliverFaultChain();
  // Faults raised and handled inside the chain must not look pending to
  // the run loop afterwards.
  if (load<i32>(FAULT_VEC) < 0) store<u32>(EVENTS, load<u32>(EVENTS) & ~EV_FAULT);
}

function deliverFaultChain(): void {
  let vec = load<i32>(FAULT_VEC);
  if (vec < 0) return;
  let hasCode = load<u32>(FAULT_HAS_CODE) != 0;
  let code = load<u32>(FAULT_CODE);
  store<i32>(FAULT_VEC, -1);
  // The chain of vectors for a triple-fault report, one byte each, stored
  // +1 so that #DE (0) shows: the event, a fault while delivering it, ...
  let chain: u64 = (<u64>vec & 0xff) + 1;
  if (tracing(T_EXCEPTION)) traceEvent(T_EXCEPTION, <u32>vec, hasCode ? code : 0xffffffff, load<u32>(EIP));
  // Benign faults during delivery are taken in turn; a bound keeps a
  // pathological chain from spinning (real hardware would not stop either).
  for (let tries = 0; tries < 3; tries++) {
    deliver(<u32>vec, false, hasCode, code);
    const second = load<i32>(FAULT_VEC);
    if (second < 0) return;
    store<i32>(FAULT_VEC, -1);
    chain = (chain << 8) | ((<u64>second & 0xff) + 1);
    if (vec == DF) break; // a fault while delivering #DF: triple fault
    const pf = 14;
    if ((contributory(vec) && contributory(second)) ||
        (vec == pf && (second == pf || contributory(second)))) {
      vec = DF; hasCode = true; code = 0;
      chain = (chain << 8) | (<u64>DF + 1);
    } else {
      // Benign: the second event is handled instead.
      vec = second;
      hasCode = load<u32>(FAULT_HAS_CODE) != 0;
      code = load<u32>(FAULT_CODE);
    }
  }
  // Triple fault: the processor shuts down. Report to the host.
  store<u64>(SHUTDOWN_VEC, chain);
  requestStop(Stop.Shutdown);
}
