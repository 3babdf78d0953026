// String instructions: movs cmps scas lods stos ins outs with rep/repe/repne.
//
// A repeated instruction runs at most REP_CHUNK iterations per step and then
// re-executes itself (EIP back at its start), so interrupts and the run
// budget are honoured between chunks, as the hardware allows. A fault
// mid-way leaves ESI/EDI/ECX at the element that faulted.
import { reg32, setReg32, reg16, setReg16, faulted, getReg, setReg, EAX, ECX, ESI, EDI, EDX, ES } from "./state";
import { addr32, repPrefix, insnStart, dataSeg, setNextIp, readSeg, writeSeg } from "./decode";
import { getFlags, getZF, DF } from "./flags";
import { alu, CMP } from "./alu";
import { portIn, portOut } from "../dev/bus";
import { ioAllowed } from "./io";
import { bulkUsable, stosBulk, movsBulk } from "./stringbulk";
import { EFLAGS } from "../layout";

const REP_CHUNK: u32 = 4096;

// @ts-ignore: decorator
@inline function idx(r: u32): u32 { return addr32 ? reg32(r) : reg16(r); }
// @ts-ignore: decorator
@inline function setIdx(r: u32, v: u32): void { if (addr32) setReg32(r, v); else setReg16(r, v); }
// DF is never lazy: EFLAGS has it.
// @ts-ignore: decorator
@inline function stepOf<T>(): u32 { return (load<u32>(EFLAGS) & DF) ? <u32>(-sizeof<T>()) : <u32>sizeof<T>(); }

export function movs<T>(): void {
  if (repPrefix == 0) { movsOne<T>(); return; }
  repMovsStos<T>(true);
}

// rep movs and rep stos: a page at a time where stringbulk.ts can, else an
// element at a time, REP_CHUNK elements a step either way.
// @ts-ignore: decorator
@inline function repMovsStos<T>(isMovs: bool): void {
  let n = REP_CHUNK;
  const bulk = addr32 && bulkUsable(isMovs ? dataSeg() : ES);
  while (idx(ECX) != 0) {
    let k: u32 = 0;
    if (bulk) k = isMovs ? movsBulk<T>(dataSeg(), min(reg32(ECX), n)) : stosBulk<T>(min(reg32(ECX), n));
    if (k == 0) {
      if (!(isMovs ? movsOne<T>() : stosOne<T>())) return;
      setIdx(ECX, idx(ECX) - 1);
      n--;
    } else {
      setReg32(ECX, reg32(ECX) - k);
      n -= k;
    }
    if (n == 0) { if (idx(ECX) != 0) setNextIp(insnStart); return; }
  }
}

function movsOne<T>(): bool {
  const si = idx(ESI), di = idx(EDI);
  const v = readSeg<T>(dataSeg(), si);
  if (faulted()) return false;
  writeSeg<T>(ES, di, v);
  if (faulted()) return false;
  const step = stepOf<T>();
  setIdx(ESI, si + step);
  setIdx(EDI, di + step);
  return true;
}

export function stos<T>(): void {
  if (repPrefix == 0) { stosOne<T>(); return; }
  repMovsStos<T>(false);
}

function stosOne<T>(): bool {
  const di = idx(EDI);
  writeSeg<T>(ES, di, getReg<T>(EAX));
  if (faulted()) return false;
  setIdx(EDI, di + stepOf<T>());
  return true;
}

export function lods<T>(): void {
  if (repPrefix == 0) { lodsOne<T>(); return; }
  let n = REP_CHUNK;
  while (idx(ECX) != 0) {
    if (!lodsOne<T>()) return;
    setIdx(ECX, idx(ECX) - 1);
    if (--n == 0) { if (idx(ECX) != 0) setNextIp(insnStart); return; }
  }
}

function lodsOne<T>(): bool {
  const si = idx(ESI);
  const v = readSeg<T>(dataSeg(), si);
  if (faulted()) return false;
  setReg<T>(EAX, v);
  setIdx(ESI, si + stepOf<T>());
  return true;
}

// cmps and scas stop early under repe when ZF clears, under repne when it sets.
// @ts-ignore: decorator
@inline function keepGoing(): bool {
  return repPrefix == 0xf3 ? getZF() : !getZF();
}

export function cmps<T>(): void {
  if (repPrefix == 0) { cmpsOne<T>(); return; }
  let n = REP_CHUNK;
  while (idx(ECX) != 0) {
    if (!cmpsOne<T>()) return;
    setIdx(ECX, idx(ECX) - 1);
    if (!keepGoing()) return;
    if (--n == 0) { if (idx(ECX) != 0) setNextIp(insnStart); return; }
  }
}

function cmpsOne<T>(): bool {
  const si = idx(ESI), di = idx(EDI);
  const a = readSeg<T>(dataSeg(), si);
  const b = readSeg<T>(ES, di);
  if (faulted()) return false;
  alu<T>(CMP, a, b);
  const step = stepOf<T>();
  setIdx(ESI, si + step);
  setIdx(EDI, di + step);
  return true;
}

export function scas<T>(): void {
  if (repPrefix == 0) { scasOne<T>(); return; }
  let n = REP_CHUNK;
  while (idx(ECX) != 0) {
    if (!scasOne<T>()) return;
    setIdx(ECX, idx(ECX) - 1);
    if (!keepGoing()) return;
    if (--n == 0) { if (idx(ECX) != 0) setNextIp(insnStart); return; }
  }
}

function scasOne<T>(): bool {
  const di = idx(EDI);
  const b = readSeg<T>(ES, di);
  if (faulted()) return false;
  alu<T>(CMP, getReg<T>(EAX), b);
  setIdx(EDI, di + stepOf<T>());
  return true;
}

export function ins<T>(): void {
  const port = reg16(EDX);
  if (!ioAllowed(port, sizeof<T>())) return;
  if (repPrefix == 0) { insOne<T>(port); return; }
  let n = REP_CHUNK;
  while (idx(ECX) != 0) {
    if (!insOne<T>(port)) return;
    setIdx(ECX, idx(ECX) - 1);
    if (--n == 0) { if (idx(ECX) != 0) setNextIp(insnStart); return; }
  }
}

function insOne<T>(port: u32): bool {
  const di = idx(EDI);
  // Check the destination before reading the port: a port read can have effects.
  readSeg<T>(ES, di);
  if (faulted()) return false;
  writeSeg<T>(ES, di, portIn(port, sizeof<T>()));
  setIdx(EDI, di + stepOf<T>());
  return true;
}

export function outs<T>(): void {
  const port = reg16(EDX);
  if (!ioAllowed(port, sizeof<T>())) return;
  if (repPrefix == 0) { outsOne<T>(port); return; }
  let n = REP_CHUNK;
  while (idx(ECX) != 0) {
    if (!outsOne<T>(port)) return;
    setIdx(ECX, idx(ECX) - 1);
    if (--n == 0) { if (idx(ECX) != 0) setNextIp(insnStart); return; }
  }
}

function outsOne<T>(port: u32): bool {
  const si = idx(ESI);
  const v = readSeg<T>(dataSeg(), si);
  if (faulted()) return false;
  portOut(port, sizeof<T>(), v);
  setIdx(ESI, si + stepOf<T>());
  return true;
}
