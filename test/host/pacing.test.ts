// Realtime pacing when virtual time is ahead of the host's: the emulator
// ran faster than the virtual CPU's 100 MIPS (Linux's decompressor does),
// then the CPU halts until its next timer. The wait must be the timer's
// distance, not the lead: waiting for the host's clock to catch up first
// froze the guest for seconds, and a run that saw no time pass ended as
// "idle" though a timer was set.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Pacing } from "../../host/pacing.js";
import { Stop } from "../../host/core.js";
import type { CoreMemory } from "../../host/core-memory.js";

/** A core with only a clock and one periodic timer: CLOCK_NS at 0 of its memory. */
function fakeCore(periodNs: bigint) {
  const u32 = new Uint32Array(4), u8 = new Uint8Array(u32.buffer);
  const get = () => BigInt(u32[0]) + (BigInt(u32[1]) << 32n);
  const set = (ns: bigint) => { u32[0] = Number(ns & 0xffffffffn); u32[1] = Number(ns >> 32n); };
  const core = {
    CLOCK_NS: { value: 0 },
    nextEventNs: () => (get() / periodNs + 1n) * periodNs,
    idleUntil: (ns: bigint) => { if (ns > get()) set(ns); },
  };
  return { mem: { core, u8, u32 } as unknown as CoreMemory, get, set };
}

test("realtime, virtual time 5 s ahead of the host's: ten 10 ms timers take about 100 ms, not 5 s", async () => {
  const period = 10_000_000n;
  const { mem, get, set } = fakeCore(period);
  const pacing = new Pacing(true, () => mem, () => false);
  pacing.catchUp(); // virtual 0 is now
  set(5_000_000_000n + 1n); // the guest raced 5 s of virtual time ahead in no time
  const t0 = performance.now();
  for (let tick = 1; tick <= 10; tick++) {
    const due = (get() / period + 1n) * period;
    // Calls until the clock reaches the timer (the core would then take its interrupt).
    for (let calls = 0; get() < due; calls++) {
      assert.ok(await pacing.halted(Stop.Idle, false), `tick ${tick}: the run ended as idle with a timer set`);
      assert.ok(calls < 50, `tick ${tick}: ${calls} waits and the clock is still ${get()} ns, the timer at ${due}`);
    }
    pacing.stalls = 0; // the guest ran its handler
  }
  const ms = performance.now() - t0;
  assert.ok(ms < 1_500, `ten 10 ms timers took ${ms.toFixed(0)} ms of host time`);
  assert.ok(ms >= 80, `ten 10 ms timers took ${ms.toFixed(0)} ms: realtime pacing must still wait for them`);
});

test("realtime, virtual time behind the host's: it catches up without waiting", async () => {
  const { mem, get } = fakeCore(10_000_000n);
  const pacing = new Pacing(true, () => mem, () => false);
  pacing.catchUp();
  await new Promise((r) => setTimeout(r, 50));
  pacing.catchUp();
  assert.ok(get() >= 40_000_000n, `virtual time ${get()} ns after 50 ms of host time`);
});

test.run();
