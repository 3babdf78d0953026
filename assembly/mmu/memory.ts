// Physical and linear memory access for the CPU.
//
// Physical addresses below RAM_SIZE are guest RAM at RAM_BASE in Wasm memory;
// the top ROM_SIZE bytes of the 4 GiB space are the firmware ROM; the rest
// is an open bus that reads as all ones and ignores writes (MMIO windows
// will hook in here).
//
// Linear accesses go through translate(); with paging off the linear address
// is the physical address, with paging on the TLB or the page walk decide. An access that faults raises the exception (see
// cpu/state.ts) and returns 0; the caller checks faulted() before it changes
// any state.
import { RAM_BASE, RAM_SIZE, CR0, CPL, ROM_BASE, ROM_SIZE } from "../layout";
import { faulted } from "../cpu/state";
import { tlbSlot, rightFor } from "./tlb";
import { walk } from "./paging";
import { notifyWrite } from "./codepages";

const PG: u32 = 1 << 31;

// @ts-ignore: decorator
@inline export function ramSize(): u32 { return load<u32>(RAM_SIZE); }

// ---- Physical --------------------------------------------------------------

export function physRead8(p: u32): u32 {
  if (p < ramSize()) return <u32>load<u8>(RAM_BASE + p);
  const rom = load<u32>(ROM_SIZE);
  if (rom != 0 && p >= 0 - rom) return <u32>load<u8>(ROM_BASE + (p - (0 - rom)));
  return 0xff;
}

export function physWrite8(p: u32, v: u32): void {
  if (p < ramSize()) {
    notifyWrite(p, 1);
    store<u8>(RAM_BASE + p, <u8>v);
  }
}

// @ts-ignore: decorator
@inline export function physRead<T>(p: u32): u32 {
  if (<u64>p + sizeof<T>() <= <u64>ramSize()) return <u32>load<T>(RAM_BASE + p);
  return physReadSlow<T>(p);
}

// @ts-ignore: decorator
@inline export function physWrite<T>(p: u32, v: u32): void {
  if (<u64>p + sizeof<T>() <= <u64>ramSize()) {
    // Callers never let one access cross a page, so one page is written.
    notifyWrite(p, sizeof<T>());
    store<T>(RAM_BASE + p, <T>v);
  } else {
    physWriteSlow<T>(p, v);
  }
}

function physReadSlow<T>(p: u32): u32 {
  let v: u32 = 0;
  for (let i: u32 = 0; i < <u32>sizeof<T>(); i++) v |= physRead8(p + i) << (i << 3);
  return v;
}

function physWriteSlow<T>(p: u32, v: u32): void {
  for (let i: u32 = 0; i < <u32>sizeof<T>(); i++) physWrite8(p + i, v >>> (i << 3));
}

// ---- Linear ----------------------------------------------------------------

// Accesses the program makes are user accesses at CPL 3; the processor's own
// (descriptor tables, the TSS, the stack of an inner-ring interrupt entry)
// are supervisor accesses whatever the CPL: the *Sys variants.
// @ts-ignore: decorator
@inline function userMode(): bool { return load<u32>(CPL) == 3; }

// Linear -> physical for one byte's page: the identity with paging off, else
// the TLB, else a page walk (which may raise #PF and return 0).
// @ts-ignore: decorator
@inline export function translate(lin: u32, write: bool, user: bool): u32 {
  if ((load<u32>(CR0) & PG) == 0) return lin;
  const e = tlbSlot(lin);
  const tag = load<u32>(e);
  if (((tag ^ lin) & 0xfffff000) == 0 && (tag & rightFor(write, user)) != 0) {
    return load<u32>(e + 4) | (lin & 0xfff);
  }
  return walk(lin, write, user);
}

// translate() for an access the program makes.
export function translateLin(lin: u32, write: bool): u32 { return translate(lin, write, userMode()); }

// @ts-ignore: decorator
@inline function crossesPage<T>(lin: u32): bool {
  return sizeof<T>() > 1 && (lin & 0xfff) > <u32>(0x1000 - sizeof<T>());
}

// @ts-ignore: decorator
@inline function readAs<T>(lin: u32, write: bool, user: bool): u32 {
  if (crossesPage<T>(lin)) return readSplit<T>(lin, write, user);
  // On a fault translate() gives 0: the value read is discarded.
  return physRead<T>(translate(lin, write, user));
}

// @ts-ignore: decorator
@inline function writeAs<T>(lin: u32, v: u32, user: bool): void {
  if (crossesPage<T>(lin)) { writeSplit<T>(lin, v, user); return; }
  const p = translate(lin, true, user);
  if (faulted()) return;
  physWrite<T>(p, v);
}

// @ts-ignore: decorator
@inline export function readLin<T>(lin: u32): u32 { return readAs<T>(lin, false, userMode()); }

// Read for a read-modify-write: checks write access up front so that the
// later write cannot fault after state has changed.
// @ts-ignore: decorator
@inline export function readLinForWrite<T>(lin: u32): u32 { return readAs<T>(lin, true, userMode()); }

// @ts-ignore: decorator
@inline export function writeLin<T>(lin: u32, v: u32): void { writeAs<T>(lin, v, userMode()); }

// @ts-ignore: decorator
@inline export function readSys<T>(lin: u32): u32 { return readAs<T>(lin, false, false); }
// @ts-ignore: decorator
@inline export function writeSys<T>(lin: u32, v: u32): void { writeAs<T>(lin, v, false); }

// Checks that lin can be written without writing it (string instructions
// and multi-part stores probe before they commit).
export function probeWrite(lin: u32, size: u32): void {
  translate(lin, true, userMode());
  if (!faulted() && (lin & 0xfff) + size > 0x1000) translate((lin | 0xfff) + 1, true, userMode());
}

// An access straddling two pages: both pages are translated (and may fault)
// before a byte moves.
function readSplit<T>(lin: u32, write: bool, user: bool): u32 {
  const first = translate(lin, write, user);
  if (faulted()) return 0;
  const second = translate((lin | 0xfff) + 1, write, user);
  if (faulted()) return 0;
  const n1: u32 = 0x1000 - (lin & 0xfff);
  let v: u32 = 0;
  for (let i: u32 = 0; i < <u32>sizeof<T>(); i++) {
    const b = i < n1 ? physRead8(first + i) : physRead8(second + i - n1);
    v |= b << (i << 3);
  }
  return v;
}

function writeSplit<T>(lin: u32, v: u32, user: bool): void {
  const first = translate(lin, true, user);
  if (faulted()) return;
  const second = translate((lin | 0xfff) + 1, true, user);
  if (faulted()) return;
  const n1: u32 = 0x1000 - (lin & 0xfff);
  for (let i: u32 = 0; i < <u32>sizeof<T>(); i++) {
    const b = v >>> (i << 3);
    if (i < n1) physWrite8(first + i, b);
    else physWrite8(second + i - n1, b);
  }
}
