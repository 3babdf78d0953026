// Hardware task switching (SDM vol. 3, chapter 7) with 32-bit and 16-bit
// (286) TSSs: jmp or call to a TSS or a task gate, an interrupt through a
// task gate, and iret with NT set. The outgoing task's registers are saved
// in its TSS, the incoming task's loaded from its own, and the busy bits,
// the back link and NT record the nesting. A 16-bit TSS (SDM 7.6) holds
// the low halves of the registers and FLAGS, ES CS SS DS and no CR3: a
// switch to one keeps the registers' and EFLAGS's top halves and CR3, and
// loads null FS and GS (as QEMU does). A 32-bit TSS whose EFLAGS has VM
// set starts its task in virtual-8086 mode.
import { CPL, EIP, TR_SEL, TR_BASE, TR_LIMIT, TR_FLAGS, CR0, GDTR_BASE, TASK_SCRATCH } from "../layout";
import { readSys, writeSys, probeWrite } from "../mmu/memory";
import {
  reg32, setReg32, segSel, raiseCode, reraiseCode, faulted, setSegCache, GP, NP, TS, CS, SS,
} from "./state";
import { getFlags, setFlags, NT, VM } from "./flags";
import {
  readDescriptor, descLo, descHi, descPresent, descBase, descLimit, systemType, loadSegAt, checkCodeSeg, enterCode,
  loadSegV86,
} from "./segment";
import { writeCR, loadLdt, tss32 } from "./system";
import { setNextIp } from "./decode";

export const enum TaskSwitch { Jump = 0, Call = 1, Iret = 2, Int = 3 }

const TSS_MIN_LIMIT: u32 = 0x67, TSS16_MIN_LIMIT: u32 = 0x2b;

// sel with descriptor lo/hi is a TSS or a task gate; nextEip is the EIP to
// save in the outgoing task. Returns false (with a fault raised) when the
// switch is refused before anything changed.
export function taskSwitch(sel: u32, lo: u32, hi: u32, kind: TaskSwitch, nextEip: u32): bool {
  if (systemType(hi) == 5) {
    // A task gate: the TSS is the one its selector names, in the GDT.
    sel = lo >>> 16;
    if ((sel & 4) != 0 || (sel & 0xfffc) == 0) { raiseCode(GP, sel & 0xfffc); return false; }
    if (!readDescriptor(sel)) return false;
    lo = descLo; hi = descHi;
  }
  const err = sel & 0xfffc;
  const type = systemType(hi);
  const wantBusy = kind == TaskSwitch.Iret;
  // Types 1 and 9 available (16- and 32-bit), 3 and 11 busy.
  if ((sel & 4) != 0 || (type & 7) != (wantBusy ? 3 : 1)) {
    raiseCode(kind == TaskSwitch.Iret ? TS : GP, err);
    return false;
  }
  const new32 = (type & 8) != 0;
  if (!descPresent(hi)) { raiseCode(NP, err); return false; }
  const newBase = descBase(lo, hi);
  const newLimit = descLimit(lo, hi);
  const minLimit = new32 ? TSS_MIN_LIMIT : TSS16_MIN_LIMIT;
  if (newLimit < minLimit) { raiseCode(TS, err); return false; }

  // Both TSSs must be accessible before the first write.
  const oldBase = load<u32>(TR_BASE);
  const old32 = tss32();
  if (old32) probeWrite(oldBase + 0x20, 0x40);
  else probeWrite(oldBase + 0x0e, 0x1c);
  readSys<u32>(newBase);
  if (new32) readSys<u32>(newBase + TSS_MIN_LIMIT - 3);
  else readSys<u16>(newBase + TSS16_MIN_LIMIT - 1);
  if (faulted()) return false;

  // The incoming task's state, read before the outgoing one is saved (the
  // two may share memory when a task switches to itself).
  const nSel = TASK_SCRATCH;
  let nCr3: u32 = 0, nEip: u32, nFlags: u32, nLdt: u32;
  if (new32) {
    nCr3 = readSys<u32>(newBase + 0x1c);
    nEip = readSys<u32>(newBase + 0x20);
    nFlags = readSys<u32>(newBase + 0x24);
    nLdt = readSys<u16>(newBase + 0x60);
    for (let r: u32 = 0; r < 8; r++) store<u32>(nSel + r * 4, readSys<u32>(newBase + 0x28 + r * 4));
    for (let s: u32 = 0; s < 6; s++) store<u32>(nSel + 32 + s * 4, readSys<u16>(newBase + 0x48 + s * 4));
  } else {
    nEip = readSys<u16>(newBase + 0x0e);
    // FLAGS is 16 bits: the top half stays, but for VM (a 286 task cannot
    // be a virtual-8086 one, even when the outgoing task was).
    nFlags = (getFlags() & 0xffff0000 & ~VM) | readSys<u16>(newBase + 0x10);
    nLdt = readSys<u16>(newBase + 0x2a);
    for (let r: u32 = 0; r < 8; r++) store<u32>(nSel + r * 4, (reg32(r) & 0xffff0000) | readSys<u16>(newBase + 0x12 + r * 2));
    for (let s: u32 = 0; s < 6; s++) store<u32>(nSel + 32 + s * 4, s < 4 ? readSys<u16>(newBase + 0x22 + s * 2) : 0);
  }
  if (faulted()) return false;

  // Save the outgoing task.
  let oFlags = getFlags();
  if (kind == TaskSwitch.Jump || kind == TaskSwitch.Iret) {
    setBusy(load<u32>(TR_SEL), false);
    if (kind == TaskSwitch.Iret) oFlags &= ~NT;
  }
  if (old32) {
    writeSys<u32>(oldBase + 0x20, nextEip);
    writeSys<u32>(oldBase + 0x24, oFlags);
    for (let r: u32 = 0; r < 8; r++) writeSys<u32>(oldBase + 0x28 + r * 4, reg32(r));
    for (let s: u32 = 0; s < 6; s++) writeSys<u32>(oldBase + 0x48 + s * 4, segSel(s));
  } else {
    writeSys<u16>(oldBase + 0x0e, nextEip);
    writeSys<u16>(oldBase + 0x10, oFlags);
    for (let r: u32 = 0; r < 8; r++) writeSys<u16>(oldBase + 0x12 + r * 2, reg32(r));
    for (let s: u32 = 0; s < 4; s++) writeSys<u16>(oldBase + 0x22 + s * 2, segSel(s));
  }

  if (kind == TaskSwitch.Call || kind == TaskSwitch.Int) {
    writeSys<u16>(newBase, load<u32>(TR_SEL));
    nFlags |= NT;
  }
  if (kind != TaskSwitch.Iret) setBusy(sel, true);

  store<u32>(TR_SEL, sel);
  store<u32>(TR_BASE, newBase);
  store<u32>(TR_LIMIT, newLimit);
  store<u32>(TR_FLAGS, ((hi >>> 8) & 0xf0ff) | 0x2);
  store<u32>(CR0, load<u32>(CR0) | 8); // TS: the FPU state belongs to the old task

  // Load the incoming task. From here on faults belong to the new task.
  if (new32 && (load<u32>(CR0) & 0x80000000)) writeCR(3, nCr3);
  setFlags(nFlags | 2);
  // Both the decoder's EIP (jmp, call, iret) and the stored one (interrupts
  // delivered between instructions) move to the new task.
  setNextIp(nEip);
  store<u32>(EIP, nEip);
  for (let r: u32 = 0; r < 8; r++) setReg32(r, load<u32>(nSel + r * 4));
  // Selectors first (so a fault shows the new task's), then descriptors.
  for (let s: u32 = 0; s < 6; s++) setSegCache(s, load<u32>(nSel + 32 + s * 4), 0, 0, 0);
  lldtForTask(nLdt);
  if (faulted()) return true;
  if (nFlags & VM) {
    // A task in virtual-8086 mode: its selectors are real-mode segments.
    for (let s: u32 = 0; s < 6; s++) loadSegV86(s, load<u32>(nSel + 32 + s * 4));
    store<u32>(CPL, 3);
    return true;
  }
  const cs = load<u32>(nSel + 32 + CS * 4);
  const cpl = cs & 3;
  if (!checkCodeSeg(cs, cpl)) { reraiseCode(TS, cs & 0xfffc); return true; }
  enterCode(cs, cpl, descLo, descHi);
  store<u32>(CPL, cpl);
  for (let s: u32 = 0; s < 6; s++) {
    if (s == CS) continue;
    const v = load<u32>(nSel + 32 + s * 4);
    if (!loadSegAt(s, v, cpl)) { reraiseCode(TS, v & 0xfffc); return true; }
  }
  return true;
}

function setBusy(sel: u32, busy: bool): void {
  const at = load<u32>(GDTR_BASE) + (sel & 0xfff8) + 4;
  const hi = readSys<u32>(at);
  writeSys<u32>(at, busy ? hi | 0x200 : hi & ~0x200);
}

// The LDT of the incoming task: a fault here is #TS with its selector.
function lldtForTask(sel: u32): void {
  loadLdt(sel);
  if (faulted()) reraiseCode(TS, sel & 0xfffc);
}
