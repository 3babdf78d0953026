// The MC146818 RTC and CMOS through ports 0x70/0x71. Expected dates come
// from JavaScript's own Date for the same instant.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { machineWithLog } from "../helpers/machine.js";
import { DETERMINISTIC_EPOCH } from "../../host/machine.js";

const bcd = (v: number) => ((v / 10) | 0) * 16 + (v % 10);

async function rtc(rtcEpoch?: number, memoryMiB = 2) {
  const { m } = await machineWithLog({ memoryMiB, rtcEpoch });
  const rd = (i: number) => { m.ioWrite(0x70, i); return m.ioRead(0x71); };
  const wr = (i: number, v: number) => { m.ioWrite(0x70, i); m.ioWrite(0x71, v); };
  const time = () => ({ s: rd(0), m: rd(2), h: rd(4), wd: rd(6), d: rd(7), mo: rd(8), y: rd(9), c: rd(0x32) });
  return { m, rd, wr, time, seconds: (n: number) => m.advanceClock(m.clockNs + BigInt(n) * 1_000_000_000n) };
}

function expectedBcd(unix: number) {
  const d = new Date(unix * 1000);
  return {
    s: bcd(d.getUTCSeconds()), m: bcd(d.getUTCMinutes()), h: bcd(d.getUTCHours()), wd: bcd(d.getUTCDay() + 1),
    d: bcd(d.getUTCDate()), mo: bcd(d.getUTCMonth() + 1), y: bcd(d.getUTCFullYear() % 100),
    c: bcd(Math.floor(d.getUTCFullYear() / 100)),
  };
}

test("the deterministic clock starts at its fixed date, in BCD", async () => {
  const r = await rtc();
  assert.equal(r.time(), expectedBcd(DETERMINISTIC_EPOCH));
});

test("time advances with the virtual clock, across a leap day", async () => {
  const start = Date.UTC(2024, 1, 28, 23, 59, 58) / 1000;
  const r = await rtc(start);
  assert.equal(r.time(), expectedBcd(start));
  r.seconds(3);
  assert.equal(r.time(), expectedBcd(start + 3), "2024-02-29 00:00:01");
  r.seconds(86400);
  assert.equal(r.time(), expectedBcd(start + 3 + 86400), "2024-03-01");
});

test("binary and 12-hour modes", async () => {
  const start = Date.UTC(1999, 11, 31, 13, 5, 9) / 1000;
  const r = await rtc(start);
  r.wr(0x0b, 0x06); // binary, 24-hour
  assert.equal([r.rd(4), r.rd(2), r.rd(0), r.rd(9), r.rd(0x32)], [13, 5, 9, 99, 19]);
  r.wr(0x0b, 0x00); // BCD, 12-hour
  assert.is(r.rd(4), 0x81, "1 PM: BCD 1 with bit 7");
  r.wr(0x0b, 0x04); // binary, 12-hour
  assert.is(r.rd(4), 0x81);
});

test("the guest sets the time with SET, and the clock runs on from there", async () => {
  const r = await rtc();
  r.wr(0x0b, 0x82); // SET, 24-hour BCD
  r.wr(0x00, 0x30); r.wr(0x02, 0x15); r.wr(0x04, 0x10);
  r.wr(0x07, 0x04); r.wr(0x08, 0x07); r.wr(0x09, 0x76); r.wr(0x32, 0x19);
  r.seconds(5);
  assert.is(r.rd(0), 0x30, "frozen while SET");
  r.wr(0x0b, 0x02);
  r.seconds(2);
  assert.equal(r.time(), expectedBcd(Date.UTC(1976, 6, 4, 10, 15, 32) / 1000));
});

test("register C: periodic flag at the programmed rate, cleared by reading", async () => {
  const r = await rtc();
  r.wr(0x0a, 0x2f); // rate 15: 2 Hz
  r.rd(0x0c);
  r.m.advanceClock(r.m.clockNs + 400_000_000n);
  assert.is(r.rd(0x0c) & 0x40, 0, "no period in 0.4 s at 2 Hz");
  r.m.advanceClock(r.m.clockNs + 200_000_000n);
  assert.is(r.rd(0x0c), 0x40, "PF, no IRQF without PIE");
  assert.is(r.rd(0x0c), 0x00, "cleared by the read");
});

test("update-ended interrupt: UF and IRQF each second with UIE", async () => {
  const r = await rtc();
  r.wr(0x0b, 0x12); // UIE, 24-hour
  r.rd(0x0c);
  r.seconds(1);
  assert.is(r.rd(0x0c) & 0x90, 0x90);
  r.m.ioWrite(0xa0, 0x0a);
  assert.is(r.m.ioRead(0xa0) & 1, 0, "IRQ 8 request withdrawn once C was read");
});

test("alarm: AF when the time matches (0xC0 in a field matches anything)", async () => {
  const start = Date.UTC(2025, 0, 1, 0, 0, 0) / 1000;
  const r = await rtc(start);
  r.wr(0x01, 0x05); r.wr(0x03, 0xc0); r.wr(0x05, 0xc0); // at second 5 of any minute
  r.wr(0x0b, 0x22); // AIE
  r.rd(0x0c);
  r.seconds(4);
  assert.is(r.rd(0x0c) & 0x20, 0);
  r.seconds(1);
  assert.is(r.rd(0x0c) & 0xa0, 0xa0);
});

test("status registers, NMI mask bit, and the memory sizes a BIOS leaves", async () => {
  const r = await rtc(undefined, 64);
  assert.is(r.rd(0x0a) & 0x7f, 0x26);
  assert.is(r.rd(0x0d), 0x80, "valid RAM and time");
  r.m.ioWrite(0x70, 0x80 | 0x0d); // NMI masked, register D
  assert.is(r.m.ioRead(0x71), 0x80);
  assert.is(r.rd(0x15) | (r.rd(0x16) << 8), 640, "base memory KiB");
  assert.is(r.rd(0x17) | (r.rd(0x18) << 8), 63 * 1024, "KiB above 1 MiB");
  assert.is(r.rd(0x34) | (r.rd(0x35) << 8), (64 - 16) * 16, "64 KiB units above 16 MiB");
  r.wr(0x40, 0x5a);
  assert.is(r.rd(0x40), 0x5a, "general CMOS RAM");
});

test("register A: update in progress in the last 244 us of each second", async () => {
  const r = await rtc();
  r.m.advanceClock(999_800_000n);
  assert.is(r.rd(0x0a) & 0x80, 0x80);
  r.m.advanceClock(1_000_100_000n);
  assert.is(r.rd(0x0a) & 0x80, 0);
});

test.run();
