// How the host shares its thread with the core: long slices measured in
// wall time, cut into short chunks so that serial output leaves within a
// millisecond or two, and a yield between slices that no engine clamps.
// Node and the browser's worker run the same loop (Machine.runUntilDone).

/** Wall time a slice may hold the thread before input, timers and
 *  messages get a turn. */
export const SLICE_MS = 15;
/** Wall time of one core call: output is drained after each. */
export const CHUNK_MS = 1;
/** The longest an idle CPU sleeps before the run looks again: how soon
 *  input and stop() are noticed while nothing else is due. */
export const IDLE_POLL_MS = 10;
/**
 * Core calls in a row that may retire nothing before the run takes the CPU
 * to be waiting for input only. Such a call comes from a halted CPU whose
 * clock moved on to device events none of which woke it (an interrupt
 * masked, or a device that does not move on): the deterministic core skips
 * up to 1000 of them per call, a realtime run sleeps until each. This many
 * is a million skipped events (1000 s of a masked 1 kHz timer) in about a
 * tenth of a second of host time, or a second of such a timer in realtime.
 */
export const STALL_CALLS = 1000;

const MIN_CHUNK = 10_000;
const MAX_CHUNK = 50_000_000;

/**
 * Sizes core calls from the measured rate, so a chunk is about CHUNK_MS
 * whether the core runs the interpreter at 100 MIPS or translated loops
 * at several GIPS.
 */
export class ChunkSizer {
  /** Instructions per millisecond; starts low so the first chunk is short. */
  private perMs = 50_000;

  /** Instructions for the next core call. */
  get size(): number {
    return Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.round(this.perMs * CHUNK_MS)));
  }

  /** A chunk that ran its whole budget: ran instructions in ms. Chunks cut
   *  short (a halt, an exit, output) say nothing about the rate. */
  record(ran: number, ms: number): void {
    if (ms < 0.05 || ran < MIN_CHUNK) {
      // Too short to time: the rate is at least this high.
      if (ran >= this.size) this.perMs = Math.min(this.perMs * 2, MAX_CHUNK);
      return;
    }
    const rate = ran / ms;
    // Quick to follow a rise (the JIT warming up), slower to drop on one
    // chunk that the host's scheduler interrupted.
    this.perMs = rate > this.perMs ? rate : this.perMs * 0.75 + rate * 0.25;
  }
}

type Scheduler = (fn: () => void) => void;

/** A macrotask that is not clamped: setImmediate in Node, a MessageChannel
 *  message in browsers (setTimeout(0) waits 1 ms in Node, 4 ms in browsers). */
function scheduler(): Scheduler {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === "function") return (fn) => { g.setImmediate!(fn); };
  if (typeof MessageChannel === "function") {
    const channel = new MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return (fn) => { waiting.push(fn); channel.port2.postMessage(0); };
  }
  return (fn) => { setTimeout(fn, 0); };
}

let schedule: Scheduler | undefined;

/** Lets the event loop run (input, timers, messages), then resumes. */
export function yieldToHost(): Promise<void> {
  schedule ??= scheduler();
  return new Promise<void>((resolve) => schedule!(resolve));
}

export const now: () => number = () => performance.now();

/** Waits ms of wall time (at least a millisecond: no engine waits less). */
export function sleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, ms)));
}
