// How virtual time meets the host's. In realtime mode virtual time that
// fell behind the host's clock catches up. While the CPU retires nothing
// (halted, waiting for an interrupt), the run sleeps until the next timer,
// skips to it, or ends as "idle" when only input could wake the CPU.
import { Stop } from "./core.js";
import { type CoreMemory, clockNs } from "./core-memory.js";
import { IDLE_POLL_MS, STALL_CALLS, sleep } from "./runloop.js";

/** The next event's time when no device has anything scheduled (u64 all ones). */
const NEVER = 0xffffffffffffffffn;

export class Pacing {
  /** Core calls in a row that retired nothing (see halted()). */
  stalls = 0;
  /** Realtime mode: the host time (ms) that virtual time 0 corresponds to. */
  private wallStart: number | undefined;

  /** memory gives the machine's core as it is now (a reset replaces it,
   *  even while a run sleeps here); stopRequested, whether stop() was called. */
  constructor(
    private readonly realtime: boolean,
    private readonly memory: () => CoreMemory,
    private readonly stopRequested: () => boolean,
  ) {}

  /** Virtual time starts again (a reset, a restored state): realtime
   *  pacing takes the host's time of its next call as the origin. */
  restart(): void { this.wallStart = undefined; }

  /** Realtime mode: virtual time that fell behind the host's clock (the
   *  emulator ran slower than the virtual CPU's rate) catches up. */
  catchUp(): void {
    if (!this.realtime) return;
    const mem = this.memory();
    const now = performance.now(), clock = clockNs(mem);
    this.wallStart ??= now - Number(clock) / 1e6;
    const wallNs = BigInt(Math.floor((now - this.wallStart) * 1e6));
    if (wallNs > clock) mem.core.idleUntil(wallNs);
  }

  /** Realtime mode, the CPU halted until its next timer: virtual time that
   *  is ahead of the host's clock (the emulator ran faster than the virtual
   *  CPU's 100 MIPS: a kernel unpacking itself) keeps its lead, and the wait
   *  is the timer's distance in host time. Waiting for the host's clock to
   *  catch up first froze the guest for as long as the lead (12 s after
   *  Linux's decompressor), and a run whose CPU retires nothing for
   *  STALL_CALLS waits ends as idle. */
  private keepLead(clock: bigint): void {
    const now = performance.now();
    if (this.wallStart === undefined || now - this.wallStart < Number(clock) / 1e6) this.wallStart = now - Number(clock) / 1e6;
  }

  /**
   * A core call retired nothing: the CPU is halted with interrupts on.
   * Waits as the clock mode says, or lets the run go on at once; returns
   * false when the run should end as "idle" (nothing but input can wake
   * the CPU, and no input is awaited).
   *
   * Stop.Idle in deterministic mode means no device has a timer set (the
   * core skips to a set one itself, in the same call): only input can
   * come. In realtime mode it means a wait until the next timer is due by
   * the host's clock, which the run sleeps through. Any other stop with
   * nothing retired is a deterministic core that skipped events which woke
   * nothing. Either way time moves but the guest does not: after
   * STALL_CALLS such calls in a row (each a wait for, or a skip past,
   * events that all went unanswered) the CPU is taken to be waiting for
   * input only.
   */
  async halted(stop: Stop, waitForInput: boolean): Promise<boolean> {
    const stalled = ++this.stalls >= STALL_CALLS;
    if (stop !== Stop.Idle) return stalled ? this.awaitInput(waitForInput) : true;
    const mem = this.memory();
    // The core's u64 comes out of WebAssembly as a signed i64 (NEVER as -1n).
    const next = BigInt.asUintN(64, mem.core.nextEventNs()), clock = clockNs(mem);
    if (next === NEVER || stalled) return this.awaitInput(waitForInput);
    if (this.realtime && next > clock) {
      this.keepLead(clock);
      await sleep(Math.min(IDLE_POLL_MS, Number(next - clock) / 1e6));
      this.catchUp();
      return true;
    }
    // A deterministic machine whose core idles in realtime fashion (its
    // clock mode came from a state file: see Machine.restoreState), or a
    // timer already due that the devices did not move past: bring the
    // clock to the event as the core's own skip does.
    mem.core.idleUntil(next > clock ? next : clock);
    return true;
  }

  /** Nothing but input (a serial interrupt) can wake the CPU: sleeps a
   *  while when input is awaited, else says the run is over. */
  private async awaitInput(waitForInput: boolean): Promise<boolean> {
    if (!waitForInput || this.stopRequested()) return false;
    await sleep(IDLE_POLL_MS);
    this.catchUp();
    return true;
  }
}
