// The 8254 PIT through its ports, with virtual time moved by the test.
// Expected counts come from the 8254 data sheet's mode definitions and the
// 1.193182 MHz input clock, computed here from the virtual time.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { machineWithLog } from "../helpers/machine.js";

const HZ = 1193182n;
const ticksAt = (ns: bigint) => (ns * HZ) / 1_000_000_000n;
const nsAtTick = (t: bigint) => (t * 1_000_000_000n + HZ - 1n) / HZ;

async function pit() {
  const { m } = await machineWithLog({ memoryMiB: 2 });
  return {
    m,
    out: (p: number, v: number) => m.ioWrite(p, v),
    in: (p: number) => m.ioRead(p),
    to: (tick: bigint) => m.advanceClock(nsAtTick(tick)),
    tick: () => ticksAt(m.clockNs),
  };
}

function readLatched(p: Awaited<ReturnType<typeof pit>>, ch: number): number {
  p.out(0x43, ch << 6); // counter latch
  return p.in(0x40 + ch) | (p.in(0x40 + ch) << 8);
}

test("mode 2: the count runs N..1 and reloads; IRQ 0 on every period", async () => {
  const p = await pit();
  p.out(0x21, 0xff); // masked: requests still latch in IRR
  p.out(0x43, 0x34); // ch0, lo/hi, mode 2
  p.out(0x40, 1000 & 0xff);
  p.out(0x40, 1000 >> 8);
  const t0 = p.tick();
  for (const dt of [0n, 1n, 250n, 999n, 1000n, 1999n, 2500n, 123456n]) {
    p.to(t0 + dt);
    const e = p.tick() - t0;
    assert.is(readLatched(p, 0), 1000 - Number(e % 1000n), `after ${e} ticks`);
  }
  p.out(0x20, 0x0a); // OCW3: read IRR
  assert.is(p.in(0x20) & 1, 1, "IRQ 0 requested");
});

test("a latched count is held until read, however long that takes", async () => {
  const p = await pit();
  p.out(0x43, 0x34);
  p.out(0x40, 0); p.out(0x40, 0); // 0 means 65536
  const t0 = p.tick();
  p.to(t0 + 100n);
  p.out(0x43, 0x00);
  p.to(t0 + 5000n);
  const v = p.in(0x40) | (p.in(0x40) << 8);
  assert.is(v, 65536 - 100);
  // The next read is live again.
  const live = p.in(0x40) | (p.in(0x40) << 8);
  assert.is(live, 65536 - 5000);
});

test("mode 0: OUT goes high at terminal count, once; status by read-back", async () => {
  const p = await pit();
  p.out(0x21, 0xff);
  p.out(0x43, 0x30); // ch0, lo/hi, mode 0
  const status = () => { p.out(0x43, 0xe2); return p.in(0x40); }; // read-back status of ch0
  assert.is(status() & 0x40, 0x40, "null count before loading");
  p.out(0x40, 100); p.out(0x40, 0);
  const t0 = p.tick();
  assert.is(status(), 0x30, "OUT low, count loaded, lo/hi, mode 0");
  p.to(t0 + 99n);
  p.out(0x20, 0x0a);
  assert.is(p.in(0x20) & 1, 0, "no IRQ before terminal count");
  p.to(t0 + 100n);
  assert.is(status() & 0x80, 0x80, "OUT high");
  p.out(0x20, 0x0a);
  assert.is(p.in(0x20) & 1, 1, "IRQ 0 at terminal count");
  p.to(t0 + 300n);
  assert.is(readLatched(p, 0), (100 - 300) & 0xffff, "the count wraps and keeps going");
});

test("mode 3: square wave, high for the first half of each period", async () => {
  const p = await pit();
  p.out(0x43, 0x36); // ch0, lo/hi, mode 3
  p.out(0x40, 200 & 0xff); p.out(0x40, 0);
  const t0 = p.tick();
  const out = () => { p.out(0x43, 0xe2); return (p.in(0x40) >> 7) & 1; };
  for (const [dt, want] of [[10n, 1], [99n, 1], [100n, 0], [199n, 0], [200n, 1], [350n, 0]] as const) {
    p.to(t0 + dt);
    assert.is(out(), want, `OUT at ${dt}`);
  }
});

test("channel 2: gated by port 0x61 bit 0, output on bit 5", async () => {
  const p = await pit();
  p.out(0x61, 0x00); // gate low
  p.out(0x43, 0xb0); // ch2, lo/hi, mode 0
  p.out(0x42, 50); p.out(0x42, 0);
  const t0 = p.tick();
  p.to(t0 + 1000n);
  assert.is(readLatched(p, 2), 50, "no counting while the gate is low");
  assert.is(p.in(0x61) & 0x20, 0, "OUT2 low");
  p.out(0x61, 0x01);
  const t1 = p.tick();
  p.to(t1 + 20n);
  assert.is(readLatched(p, 2), 30);
  p.to(t1 + 60n);
  assert.is(p.in(0x61) & 0x20, 0x20, "OUT2 high after terminal count");
  assert.is(p.in(0x61) & 0x03, 0x01, "the written bits read back");
});

test("port 0x61 bit 4 toggles with time (the refresh clock)", async () => {
  const p = await pit();
  const seen = new Set<number>();
  for (let i = 0; i < 8; i++) {
    p.m.advanceClock(p.m.clockNs + 7_000n);
    seen.add(p.in(0x61) & 0x10);
  }
  assert.equal([...seen].sort(), [0, 0x10]);
});

test("lo-only and hi-only access modes", async () => {
  const p = await pit();
  p.out(0x43, 0x14); // ch0, lo only, mode 2
  p.out(0x40, 0x80);
  const t0 = p.tick();
  p.to(t0 + 0x10n);
  p.out(0x43, 0x00);
  assert.is(p.in(0x40), 0x70, "lo byte only");
  p.out(0x43, 0x24); // ch0, hi only, mode 2
  p.out(0x40, 0x02); // count 0x200
  const t1 = p.tick();
  p.to(t1 + 0x100n);
  assert.is(p.in(0x40), 0x01, "hi byte of 0x100");
});

test.run();
