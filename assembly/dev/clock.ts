// Virtual time. Every retired instruction advances the clock by
// NS_PER_INSN (a 100 MIPS machine), so in deterministic mode the same
// program sees the same times. Devices with timers report when they next
// need attention; the run loop calls devicesAdvance() once the clock has
// reached that moment, and HLT skips straight to it.
import { CLOCK_NS, NEXT_EVENT_NS, INSNS, EVENTS } from "../layout";
import { EV_TIMER } from "../cpu/state";

export const NS_PER_INSN: u64 = 10;
export const NEVER: u64 = 0xffffffffffffffff;
const NS_PER_S: u64 = 1000000000;

// Instructions retired since the clock in memory was last brought up to
// date: the run loop counts here and folds them in at every device event
// and at the end of a run, so the hot loop touches no memory for time.
let pending: u32 = 0;

// @ts-ignore: decorator
@inline export function retireN(n: u32): void { pending += n; }
// @ts-ignore: decorator
@inline export function retiredPending(): u32 { return pending; }

// Folds the pending instructions into INSNS and the clock.
export function syncClock(): void {
  store<u64>(INSNS, load<u64>(INSNS) + pending);
  store<u64>(CLOCK_NS, load<u64>(CLOCK_NS) + <u64>pending * NS_PER_INSN);
  pending = 0;
}

// The virtual time now, in nanoseconds since reset.
// @ts-ignore: decorator
@inline export function clockNs(): u64 { return load<u64>(CLOCK_NS) + <u64>pending * NS_PER_INSN; }

// Instructions retired since reset.
// @ts-ignore: decorator
@inline export function instructions(): u64 { return load<u64>(INSNS) + pending; }

// Moves the clock forward to ns (an idle CPU waiting for an event).
export function advanceTo(ns: u64): void {
  syncClock();
  if (ns > load<u64>(CLOCK_NS)) store<u64>(CLOCK_NS, ns);
}

// Converts virtual nanoseconds to ticks of a clock of hz, rounding down,
// without overflowing for centuries of virtual time.
export function ticksAt(ns: u64, hz: u64): u64 {
  return (ns / NS_PER_S) * hz + ((ns % NS_PER_S) * hz) / NS_PER_S;
}

// The first nanosecond at which a clock of hz has counted t ticks.
export function nsOfTick(t: u64, hz: u64): u64 {
  return (t / hz) * NS_PER_S + ((t % hz) * NS_PER_S + hz - 1) / hz;
}

// Devices lower the next event time with this when they arm a timer.
// The run loop bounds its instruction count by the event it knew of when it
// started; an earlier one makes it stop and recount, so that the moment an
// interrupt arrives never depends on how the host sliced the run.
export function scheduleAt(ns: u64): void {
  if (ns < load<u64>(NEXT_EVENT_NS)) {
    store<u64>(NEXT_EVENT_NS, ns);
    store<u32>(EVENTS, load<u32>(EVENTS) | EV_TIMER);
  }
}

export function clockReset(): void {
  pending = 0;
  store<u64>(CLOCK_NS, 0);
  store<u64>(INSNS, 0);
  store<u64>(NEXT_EVENT_NS, NEVER);
}
