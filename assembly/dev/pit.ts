// The 8254 programmable interval timer at 0x40-0x43, clocked at 1.193182 MHz
// of virtual time. Channel 0 drives IRQ 0; channel 2's gate and output are
// wired to port 0x61 (with the speaker enable and the refresh toggle).
// Modes 0 (interrupt on terminal count), 2 (rate generator) and 3 (square
// wave) are modelled; 1, 4 and 5 count like mode 0. Counting is binary.
//
// A counter is not stepped: it remembers the tick at which it was loaded,
// and its value and output are computed from the clock when asked.
import { PIT } from "../layout";
import { clockNs, ticksAt, nsOfTick, scheduleAt, NEVER } from "./clock";
import { picPulse } from "./pic";

export const PIT_HZ: u64 = 1193182;

// Per-channel block (48 bytes at PIT + 48 * channel).
const RELOAD = 0, MODE = 4, RW = 5, ARMED = 7, START = 8, FIRED = 16, LATCH = 24, LATCHED = 26;
const READ_HI = 27, WRITE_HI = 28, STATUS_LATCHED = 29, STATUS = 30, NULL_COUNT = 31, GATE = 32;
const FROZEN = 36, LOW_BYTE = 40;
const PORT61 = 144;

// @ts-ignore: decorator
@inline function ch(n: u32): u32 { return PIT + n * 48; }
// @ts-ignore: decorator
@inline function r8(c: u32, off: u32): u32 { return <u32>load<u8>(c + off); }
// @ts-ignore: decorator
@inline function w8(c: u32, off: u32, v: u32): void { store<u8>(c + off, <u8>v); }

// @ts-ignore: decorator
@inline function nowTick(): u64 { return ticksAt(clockNs(), PIT_HZ); }

export function pitReset(): void {
  memory.fill(PIT, 0, 160);
  for (let n: u32 = 0; n < 3; n++) {
    const c = ch(n);
    store<u32>(c + RELOAD, 0x10000);
    w8(c, RW, 3);
    w8(c, GATE, n == 2 ? 0 : 1);
  }
}

// The count a channel runs from, 1 to 0x10000 (a written 0 means 0x10000).
// Read through here only: a restored state could hold anything, and the
// arithmetic below divides by it.
function reloadOf(c: u32): u64 {
  const n = load<u32>(c + RELOAD);
  return n == 0 || n > 0x10000 ? 0x10000 : <u64>n;
}

// Ticks counted since the counter was loaded (frozen while its gate is low).
function elapsed(c: u32): u64 {
  if (!r8(c, GATE)) return <u64>load<u32>(c + FROZEN);
  return nowTick() - load<u64>(c + START);
}

function countAt(c: u32, e: u64): u32 {
  const n = reloadOf(c);
  if (!r8(c, ARMED)) return <u32>n & 0xffff;
  switch (r8(c, MODE)) {
    case 2: return <u32>(n - e % n) & 0xffff;
    case 3: {
      const half = n >> 1 == 0 ? 1 : n >> 1;
      return <u32>(n - 2 * (e % half)) & 0xffff;
    }
    default: return <u32>(n - e) & 0xffff;
  }
}

function outAt(c: u32, e: u64): bool {
  const mode = r8(c, MODE);
  if (!r8(c, ARMED)) return mode == 2 || mode == 3;
  const n = reloadOf(c);
  switch (mode) {
    case 2: return e % n != n - 1;
    case 3: return e % n < (n + 1) >> 1;
    default: return e >= n;
  }
}

// The tick of the next rising edge of the output, or NEVER.
function nextEdge(c: u32): u64 {
  if (!r8(c, ARMED) || !r8(c, GATE)) return NEVER;
  const n = reloadOf(c);
  const mode = r8(c, MODE);
  const fired = load<u64>(c + FIRED);
  if (mode == 2 || mode == 3) return load<u64>(c + START) + (fired + 1) * n;
  return fired != 0 ? NEVER : load<u64>(c + START) + n;
}

// Channel 0 raises IRQ 0 on each rising edge of its output; edges that
// passed unseen are collapsed into one request, as a latched IRR would.
export function pitAdvance(): void {
  const c = ch(0);
  const edge = nextEdge(c);
  if (edge == NEVER) return;
  const t = nowTick();
  if (t >= edge) {
    const mode = r8(c, MODE);
    if (mode == 2 || mode == 3) {
      const n = reloadOf(c);
      store<u64>(c + FIRED, (t - load<u64>(c + START)) / n);
    } else {
      store<u64>(c + FIRED, 1);
    }
    picPulse(0);
  }
  pitSchedule();
}

export function pitSchedule(): void {
  const edge = nextEdge(ch(0));
  if (edge != NEVER) scheduleAt(nsOfTick(edge, PIT_HZ));
}

function load16(c: u32, v: u32): void {
  store<u32>(c + RELOAD, v == 0 ? 0x10000 : v);
  store<u64>(c + START, nowTick());
  store<u64>(c + FIRED, 0);
  w8(c, ARMED, 1);
  w8(c, NULL_COUNT, 0);
  if (!r8(c, GATE)) store<u32>(c + FROZEN, 0);
}

function latchCount(c: u32): void {
  if (r8(c, LATCHED)) return; // a second latch before reading is ignored
  store<u16>(c + LATCH, <u16>countAt(c, elapsed(c)));
  w8(c, LATCHED, r8(c, RW) == 3 ? 2 : 1);
  w8(c, READ_HI, r8(c, RW) == 2 ? 1 : 0);
}

function latchStatus(c: u32): void {
  if (r8(c, STATUS_LATCHED)) return;
  const out: u32 = outAt(c, elapsed(c)) ? 0x80 : 0;
  w8(c, STATUS, out | (r8(c, NULL_COUNT) << 6) | (r8(c, RW) << 4) | (r8(c, MODE) << 1));
  w8(c, STATUS_LATCHED, 1);
}

function writeControl(v: u32): void {
  const sel = v >> 6;
  if (sel == 3) {
    // Read-back: bit 5 clear latches counts, bit 4 clear latches status.
    for (let n: u32 = 0; n < 3; n++) {
      if (((v >> (n + 1)) & 1) == 0) continue;
      if ((v & 0x10) == 0) latchStatus(ch(n));
      if ((v & 0x20) == 0) latchCount(ch(n));
    }
    return;
  }
  const c = ch(sel);
  const rw = (v >> 4) & 3;
  if (rw == 0) { latchCount(c); return; }
  let mode = (v >> 1) & 7;
  if (mode >= 6) mode -= 4; // 6 and 7 are aliases of 2 and 3
  w8(c, RW, rw);
  w8(c, MODE, mode);
  w8(c, ARMED, 0);
  w8(c, NULL_COUNT, 1);
  w8(c, LATCHED, 0);
  w8(c, READ_HI, rw == 2 ? 1 : 0);
  w8(c, WRITE_HI, 0);
}

function writeCounter(n: u32, v: u32): void {
  const c = ch(n);
  const rw = r8(c, RW);
  if (rw == 1) load16(c, v);
  else if (rw == 2) load16(c, v << 8);
  else if (!r8(c, WRITE_HI)) { w8(c, LOW_BYTE, v); w8(c, WRITE_HI, 1); }
  else { w8(c, WRITE_HI, 0); load16(c, r8(c, LOW_BYTE) | (v << 8)); }
  if (n == 0) pitSchedule();
}

function readCounter(n: u32): u32 {
  const c = ch(n);
  if (r8(c, STATUS_LATCHED)) { w8(c, STATUS_LATCHED, 0); return r8(c, STATUS); }
  let v: u32;
  const latched = r8(c, LATCHED);
  if (latched) {
    v = <u32>load<u16>(c + LATCH);
    w8(c, LATCHED, latched - 1);
  } else {
    v = countAt(c, elapsed(c));
  }
  const rw = r8(c, RW);
  if (rw == 1) return v & 0xff;
  if (rw == 2) return v >> 8;
  const hi = r8(c, READ_HI);
  w8(c, READ_HI, hi ^ 1);
  return hi ? v >> 8 : v & 0xff;
}

// Port 0x61: bit 0 gates channel 2, bit 1 enables the speaker; reads add
// the refresh toggle (bit 4, every 15 us) and channel 2's output (bit 5).
function setGate2(high: bool): void {
  const c = ch(2);
  const was = r8(c, GATE) != 0;
  if (was == high) return;
  if (!high) {
    store<u32>(c + FROZEN, <u32>(nowTick() - load<u64>(c + START)));
    w8(c, GATE, 0);
    return;
  }
  w8(c, GATE, 1);
  const mode = r8(c, MODE);
  // A rising gate restarts modes 1, 2, 3 and 5; mode 0 resumes.
  if (mode == 0 || mode == 4) store<u64>(c + START, nowTick() - <u64>load<u32>(c + FROZEN));
  else store<u64>(c + START, nowTick());
}

export function pitRead(port: u32): u32 {
  if (port == 0x61) {
    const c = ch(2);
    const refresh = <u32>((clockNs() / 15085) & 1) << 4;
    const out: u32 = outAt(c, elapsed(c)) ? 0x20 : 0;
    return (r8(PIT, PORT61) & 0x0f) | refresh | out;
  }
  if (port == 0x43) return 0xff; // the control register cannot be read
  return readCounter(port - 0x40);
}

export function pitWrite(port: u32, v: u32): void {
  if (port == 0x61) {
    w8(PIT, PORT61, v & 0x0f);
    setGate2((v & 1) != 0);
    return;
  }
  if (port == 0x43) writeControl(v);
  else writeCounter(port - 0x40, v);
}
