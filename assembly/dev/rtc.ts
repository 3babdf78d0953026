// The MC146818 real-time clock and CMOS RAM at ports 0x70 (index, bit 7 =
// NMI mask) and 0x71 (data). The time is RTC_EPOCH (Unix seconds, set by
// the host: its wall clock in realtime mode, a fixed date in deterministic
// mode) plus the virtual clock. Status registers A-D, the periodic,
// update-ended and alarm interrupts on IRQ 8, and the memory-size bytes a
// BIOS would leave.
import { RTC, RTC_EPOCH, RAM_SIZE } from "../layout";
import { clockNs, ticksAt, nsOfTick, scheduleAt } from "./clock";
import { picSetIrq } from "./pic";

// CMOS RAM at RTC + 0..127; the device's own state after it.
const INDEX = 128, NMI_MASK = 129, PERIODIC_SEEN = 136, SECOND_SEEN = 144;

const SEC = 0, SEC_ALARM = 1, MIN = 2, MIN_ALARM = 3, HOUR = 4, HOUR_ALARM = 5, WEEKDAY = 6, DAY = 7, MONTH = 8;
const YEAR = 9, REG_A = 10, REG_B = 11, REG_C = 12, REG_D = 13, CENTURY = 0x32;

const B_SET: u32 = 0x80, B_PIE: u32 = 0x40, B_AIE: u32 = 0x20, B_UIE: u32 = 0x10, B_BINARY: u32 = 0x04, B_24H: u32 = 0x02;
const C_IRQF: u32 = 0x80, C_PF: u32 = 0x40, C_AF: u32 = 0x20, C_UF: u32 = 0x10;

// @ts-ignore: decorator
@inline function cmos(i: u32): u32 { return <u32>load<u8>(RTC + i); }
// @ts-ignore: decorator
@inline function setCmos(i: u32, v: u32): void { store<u8>(RTC + i, <u8>v); }

// @ts-ignore: decorator
@inline function nowSeconds(): u64 { return load<u64>(RTC_EPOCH) + clockNs() / 1000000000; }

export function rtcReset(): void {
  memory.fill(RTC, 0, 160);
  setCmos(REG_A, 0x26); // 32.768 kHz time base, 1024 Hz periodic rate
  setCmos(REG_B, B_24H);
  setCmos(REG_D, 0x80); // the battery is fine
  // Memory sizes as a PC BIOS records them: 640 KiB base, KiB above 1 MiB
  // (at most 0xFFFF), and 64 KiB units above 16 MiB.
  const ram = load<u32>(RAM_SIZE);
  setCmos(0x15, 640 & 0xff); setCmos(0x16, 640 >> 8);
  const ext = ram > 0x100000 ? min<u32>((ram - 0x100000) >> 10, 0xffff) : 0;
  setCmos(0x17, ext & 0xff); setCmos(0x18, ext >> 8);
  setCmos(0x30, ext & 0xff); setCmos(0x31, ext >> 8);
  const high = ram > 0x1000000 ? min<u32>((ram - 0x1000000) >> 16, 0xffff) : 0;
  setCmos(0x34, high & 0xff); setCmos(0x35, high >> 8);
  store<u64>(PERIODIC_SEEN + RTC, 0);
  store<u64>(SECOND_SEEN + RTC, nowSeconds());
}

// The periodic interrupt's frequency from register A's rate, or 0 when off.
function periodicHz(): u64 {
  const rate = cmos(REG_A) & 15;
  if (rate == 0) return 0;
  return <u64>(32768 >> ((rate < 3 ? rate + 7 : rate) - 1));
}

function toBcd(v: u32): u32 { return ((v / 10) << 4) | (v % 10); }
function fromBcd(v: u32): u32 { return (v >> 4) * 10 + (v & 15); }

// @ts-ignore: decorator
@inline function enc(v: u32): u32 { return (cmos(REG_B) & B_BINARY) ? v : toBcd(v); }
// @ts-ignore: decorator
@inline function dec(v: u32): u32 { return (cmos(REG_B) & B_BINARY) ? v : fromBcd(v); }

// Days since 1970-01-01 to a civil date (proleptic Gregorian).
let civilYear: u32 = 0, civilMonth: u32 = 0, civilDay: u32 = 0;
function civil(days: i64): void {
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  civilDay = <u32>(doy - (153 * mp + 2) / 5 + 1);
  civilMonth = <u32>(mp < 10 ? mp + 3 : mp - 9);
  civilYear = <u32>(yoe + era * 400 + (civilMonth <= 2 ? 1 : 0));
}

function daysFromCivil(y: u32, m: u32, d: u32): i64 {
  const yy = <i64>(m <= 2 ? y - 1 : y);
  const era = (yy >= 0 ? yy : yy - 399) / 400;
  const yoe = yy - era * 400;
  const mm = <i64>m;
  const doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + <i64>d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

function hourOut(h: u32): u32 {
  if (cmos(REG_B) & B_24H) return enc(h);
  const pm: u32 = h >= 12 ? 0x80 : 0;
  const h12 = h % 12 == 0 ? 12 : h % 12;
  return enc(h12) | pm;
}

function hourIn(v: u32): u32 {
  if (cmos(REG_B) & B_24H) return dec(v);
  const h12 = dec(v & 0x7f) % 12;
  return (v & 0x80) ? h12 + 12 : h12;
}

// Copies the current time into the time registers.
function snapshot(): void {
  const s = nowSeconds();
  const days = <i64>(s / 86400);
  const sod = <u32>(s % 86400);
  civil(days);
  setCmos(SEC, enc(sod % 60));
  setCmos(MIN, enc((sod / 60) % 60));
  setCmos(HOUR, hourOut(sod / 3600));
  setCmos(WEEKDAY, enc(<u32>((days + 4) % 7) + 1)); // 1970-01-01 was a Thursday; Sunday = 1
  setCmos(DAY, enc(civilDay));
  setCmos(MONTH, enc(civilMonth));
  setCmos(YEAR, enc(civilYear % 100));
  setCmos(CENTURY, enc(civilYear / 100));
}

// After the guest set the clock (SET cleared): the epoch that makes the
// registers the time now.
function adopt(): void {
  const y = dec(cmos(CENTURY)) * 100 + dec(cmos(YEAR));
  const days = daysFromCivil(y, dec(cmos(MONTH)), dec(cmos(DAY)));
  const secs = days * 86400 + <i64>(hourIn(cmos(HOUR)) * 3600 + dec(cmos(MIN)) * 60 + dec(cmos(SEC)));
  store<u64>(RTC_EPOCH, <u64>secs - clockNs() / 1000000000);
  store<u64>(RTC + SECOND_SEEN, <u64>secs);
}

function raiseFlags(flags: u32): void {
  const b = cmos(REG_B);
  let c = cmos(REG_C) | flags;
  if ((c & C_PF && b & B_PIE) || (c & C_AF && b & B_AIE) || (c & C_UF && b & B_UIE)) {
    if ((c & C_IRQF) == 0) picSetIrq(8, true);
    c |= C_IRQF;
  }
  setCmos(REG_C, c);
}

// An alarm byte with its top two bits set matches any value.
function alarmField(alarm: u32, now: u32): bool { return (alarm & 0xc0) == 0xc0 || alarm == now; }

function alarmMatches(): bool {
  snapshot();
  return alarmField(cmos(SEC_ALARM), cmos(SEC)) && alarmField(cmos(MIN_ALARM), cmos(MIN)) &&
    alarmField(cmos(HOUR_ALARM), cmos(HOUR));
}

// Sets PF, UF and AF for what has happened since the last look, and
// schedules the next moment an enabled interrupt is due.
export function rtcAdvance(): void {
  const hz = periodicHz();
  const ns = clockNs();
  let flags: u32 = 0;
  if (hz != 0) {
    const t = ticksAt(ns, hz);
    if (t > load<u64>(RTC + PERIODIC_SEEN)) { flags |= C_PF; store<u64>(RTC + PERIODIC_SEEN, t); }
    if (cmos(REG_B) & B_PIE) scheduleAt(nsOfTick(t + 1, hz));
  }
  if ((cmos(REG_B) & B_SET) == 0) {
    const s = nowSeconds();
    if (s > load<u64>(RTC + SECOND_SEEN)) {
      store<u64>(RTC + SECOND_SEEN, s);
      flags |= C_UF;
      if (alarmMatches()) flags |= C_AF;
    }
    if (cmos(REG_B) & (B_UIE | B_AIE)) scheduleAt((ns / 1000000000 + 1) * 1000000000);
  }
  if (flags) raiseFlags(flags);
}

// The first periodic interrupt comes one period after the rate is set or
// the interrupt enabled.
function restartPeriodic(): void {
  const hz = periodicHz();
  if (hz != 0) store<u64>(RTC + PERIODIC_SEEN, ticksAt(clockNs(), hz));
}

export function rtcRead(port: u32): u32 {
  if (port == 0x70) return 0xff; // the index register is write-only
  const i = cmos(INDEX);
  switch (i) {
    case REG_A: {
      // Update in progress: the last 244 us before each second.
      const uip: u32 = (clockNs() % 1000000000) >= 999756000 ? 0x80 : 0;
      return (cmos(REG_A) & 0x7f) | uip;
    }
    case REG_C: {
      rtcAdvance();
      const c = cmos(REG_C);
      setCmos(REG_C, 0);
      if (c & C_IRQF) picSetIrq(8, false);
      return c;
    }
    case SEC: case MIN: case HOUR: case WEEKDAY: case DAY: case MONTH: case YEAR: case CENTURY:
      if ((cmos(REG_B) & B_SET) == 0) snapshot();
      return cmos(i);
    default: return cmos(i);
  }
}

export function rtcWrite(port: u32, v: u32): void {
  if (port == 0x70) {
    setCmos(INDEX, v & 0x7f);
    setCmos(NMI_MASK, v >> 7);
    return;
  }
  const i = cmos(INDEX);
  switch (i) {
    case REG_A: setCmos(REG_A, v & 0x7f); restartPeriodic(); rtcAdvance(); break;
    case REG_B: {
      const was = cmos(REG_B);
      if ((v & B_SET) && !(was & B_SET)) snapshot(); // freeze the registers to be edited
      setCmos(REG_B, v);
      if ((v & B_PIE) && !(was & B_PIE)) restartPeriodic();
      if (!(v & B_SET) && (was & B_SET)) adopt();
      rtcAdvance();
      break;
    }
    case REG_C: case REG_D: break; // read-only
    default: setCmos(i, v);
  }
}
