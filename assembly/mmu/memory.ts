// Physical and linear memory access for the CPU.
//
// Physical addresses below RAM_SIZE are guest RAM at RAM_BASE in Wasm memory;
// the top ROM_SIZE bytes of the 4 GiB space are the firmware ROM; the rest
// is an open bus that reads as all ones and ignores writes (MMIO windows
// will hook in here).
//
// Linear accesses go through translate(); with paging off the linear address
// is the physical address. An access that faults raises the exception (see
// cpu/state.ts) and returns 0; the caller checks faulted() before it changes
// any state.
import { RAM_BASE, RAM_SIZE, CR0, ROM_BASE, ROM_SIZE } from "../layout";
import { faulted } from "../cpu/state";

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
  if (p < ramSize()) store<u8>(RAM_BASE + p, <u8>v);
}

// @ts-ignore: decorator
@inline export function physRead<T>(p: u32): u32 {
  if (<u64>p + sizeof<T>() <= <u64>ramSize()) return <u32>load<T>(RAM_BASE + p);
  return physReadSlow<T>(p);
}

// @ts-ignore: decorator
@inline export function physWrite<T>(p: u32, v: u32): void {
  if (<u64>p + sizeof<T>() <= <u64>ramSize()) store<T>(RAM_BASE + p, <T>v);
  else physWriteSlow<T>(p, v);
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

// Linear -> physical for one byte's page. Paging (with its TLB and #PF) is
// added by the system-architecture work; until CR0.PG is honoured the map is
// the identity.
// @ts-ignore: decorator
@inline export function translate(lin: u32, write: bool): u32 {
  if ((load<u32>(CR0) & PG) == 0) return lin;
  return translatePaged(lin, write);
}

function translatePaged(lin: u32, write: bool): u32 {
  return lin;
}

// @ts-ignore: decorator
@inline function crossesPage<T>(lin: u32): bool {
  return sizeof<T>() > 1 && (lin & 0xfff) > <u32>(0x1000 - sizeof<T>());
}

// @ts-ignore: decorator
@inline export function readLin<T>(lin: u32): u32 {
  if (crossesPage<T>(lin)) return readSplit<T>(lin, false);
  return physRead<T>(translate(lin, false));
}

// Read for a read-modify-write: checks write access up front so that the
// later write cannot fault after state has changed.
// @ts-ignore: decorator
@inline export function readLinForWrite<T>(lin: u32): u32 {
  if (crossesPage<T>(lin)) return readSplit<T>(lin, true);
  return physRead<T>(translate(lin, true));
}

// @ts-ignore: decorator
@inline export function writeLin<T>(lin: u32, v: u32): void {
  if (crossesPage<T>(lin)) { writeSplit<T>(lin, v); return; }
  physWrite<T>(translate(lin, true), v);
}

// An access straddling two pages: both pages are translated (and may fault)
// before a byte moves.
function readSplit<T>(lin: u32, write: bool): u32 {
  const first = translate(lin, write);
  const second = translate((lin | 0xfff) + 1, write);
  const n1: u32 = 0x1000 - (lin & 0xfff);
  let v: u32 = 0;
  for (let i: u32 = 0; i < <u32>sizeof<T>(); i++) {
    const b = i < n1 ? physRead8(first + i) : physRead8(second + i - n1);
    v |= b << (i << 3);
  }
  return v;
}

function writeSplit<T>(lin: u32, v: u32): void {
  const first = translate(lin, true);
  const second = translate((lin | 0xfff) + 1, true);
  if (faulted()) return;
  const n1: u32 = 0x1000 - (lin & 0xfff);
  for (let i: u32 = 0; i < <u32>sizeof<T>(); i++) {
    const b = v >>> (i << 3);
    if (i < n1) physWrite8(first + i, b);
    else physWrite8(second + i - n1, b);
  }
}
