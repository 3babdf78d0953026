// One terminal for the serial console and the monitor, as QEMU's -nographic
// multiplexes them: Ctrl-A c switches. Unlike QEMU, the guest is paused
// while the monitor has the terminal (when the CLI drives it; under GDB,
// GDB decides), so that what the monitor shows holds still from one
// command to the next and the guest's output does not run through the
// monitor's: output that arrives meanwhile is held and shown on return.
import type { Machine, RunOutcome } from "../machine.js";
import type { Monitor } from "../monitor.js";
import type { Terminal } from "./terminal.js";
import { MonitorConsole } from "./monitor-console.js";

/** Console output held while in the monitor, at most (the rest is counted, not kept). */
const MAX_HELD = 1 << 20;

export class ConsoleMux {
  private monitorOn = false;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private dropped = 0;
  private quitting = false;
  private wake: (() => void) | undefined; // resumes a paused run
  private readonly console: MonitorConsole;

  /** pause: whether entering the monitor stops the guest (false under GDB). */
  constructor(private readonly term: Terminal, private readonly machine: Machine, monitor: Monitor, private readonly pause: boolean) {
    this.console = new MonitorConsole((t) => term.write(new TextEncoder().encode(t)), (line) => monitor.run(line));
  }

  get inMonitor(): boolean { return this.monitorOn; }

  /** The guest's serial output. */
  serial(bytes: Uint8Array): void {
    if (!this.monitorOn) return this.term.write(bytes);
    if (this.heldBytes + bytes.length > MAX_HELD) { this.dropped += bytes.length; return; }
    this.held.push(bytes.slice());
    this.heldBytes += bytes.length;
  }

  /** Typed input while the monitor has the terminal. */
  monitorInput(bytes: Uint8Array): void { this.console.input(bytes); }

  /** Ctrl-A c. */
  toggle(): void {
    if (this.quitting) return;
    this.monitorOn = !this.monitorOn;
    if (this.monitorOn) {
      if (this.pause) this.machine.stop(); // the run loop waits in run() until the console is back
      this.console.open(this.pause ? " (the guest is paused)" : " (the guest runs as GDB lets it)");
      return;
    }
    this.term.write(new TextEncoder().encode("\r\n"));
    for (const b of this.held.splice(0)) this.term.write(b);
    if (this.dropped) this.term.write(new TextEncoder().encode(`\r\n[wasm386: ${this.dropped} bytes of console output dropped while in the monitor]\r\n`));
    this.heldBytes = this.dropped = 0;
    this.wake?.();
  }

  /** Ctrl-A x or the monitor's quit: the run ends. */
  quit(): void {
    this.quitting = true;
    this.console.close();
    this.machine.stop();
    this.wake?.();
  }

  /**
   * Runs the machine as runUntilDone does, but a stop for the monitor is a
   * pause: the run goes on when the console is back. maxInstructions
   * counts across pauses.
   */
  async run(opts: { maxInstructions?: number; waitForInput: boolean }): Promise<RunOutcome> {
    let left = opts.maxInstructions;
    for (;;) {
      const before = this.machine.instructions;
      const o = await this.machine.runUntilDone({ maxInstructions: left, waitForInput: opts.waitForInput });
      if (o.reason !== "stopped" || this.quitting) return o;
      // A reset inside the run restarts the count: then what ran is at least the count now.
      if (left !== undefined) left = Math.max(0, left - Math.max(0, this.machine.instructions - before));
      if (this.monitorOn) await new Promise<void>((resolve) => { this.wake = resolve; });
      this.wake = undefined;
      if (this.quitting) return o;
    }
  }
}
