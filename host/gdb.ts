// A GDB remote serial protocol stub for a Machine. The transport is given
// by the host (a TCP socket in Node); this is the protocol: registers in
// i386 order and the control registers (described to gdb in target.xml),
// memory through the guest's current page tables, software breakpoints
// (INT3 written into guest memory, which the core then stops on instead of
// delivering), hardware-style breakpoints and write watchpoints on linear
// addresses (the machine single-steps while any is set), step, continue,
// Ctrl-C, `monitor CMD` (the monitor's commands, host/monitor.ts), detach
// and kill.
//
// What the client sends is untrusted. Packets are framed and checksummed in
// receive(), and every body is read by parsePacket() (gdb-packet.ts), the
// one place that looks at fields: it returns a Command whose numbers are
// all in range, or the reply the protocol gives to a bad packet (E01 when
// malformed, empty when not supported). Handlers never see raw text.
import { Stop, type Machine } from "./machine.js";
import { SLICE_MS, now, yieldToHost } from "./runloop.js";
import { type Command, CONTROL_REGS, MAX_PACKET, MAX_WATCH, REG_NAMES, malformed, parsePacket } from "./gdb-packet.js";
import { Monitor } from "./monitor.js";

export interface GdbConnection {
  send(data: string): void;
  onData(fn: (data: string) => void): void;
  onClose(fn: () => void): void;
}

export interface GdbStubOptions {
  /** What `monitor CMD` runs (default: a monitor with no kernel symbols,
   *  savevm or quit). */
  monitor?: Monitor;
  /** The client detached (D) or went away: the stub has removed its
   *  breakpoints and is done, and the guest may run on without it. Without
   *  this, a detach ends as a kill does (onExit with no code). */
  onDetach?: () => void;
}

/** A watched range: its bytes as last seen, and the physical addresses of
 *  its first and last byte then (null: not mapped), so that a change of
 *  mapping (paging turned on, another address space) is not taken for a
 *  write. */
interface Watch { len: number; first: number | null; last: number | null; value: Uint8Array | null }

/** eax..edi and eip: the registers Machine.setRegister can change. */
const WRITABLE = 9;

/** Per kind of breakpoint: bounds host memory and the cost of each step. */
const MAX_POINTS = 256;

const CANNOT = "E02"; // it parses, but the machine cannot do it (unmapped, not writable, running)

const hex8 = (v: number) => (v & 0xff).toString(16).padStart(2, "0");
const le32 = (v: number) => [0, 8, 16, 24].map((s) => hex8(v >>> s)).join("");
const checksum = (s: string) => { let c = 0; for (let i = 0; i < s.length; i++) c = (c + s.charCodeAt(i)) & 0xff; return c; };

export class GdbStub {
  // The packet being received: "$" seen, then the body up to "#", then two checksum digits.
  private framing: "idle" | "body" | "sum" = "idle";
  private body = "";
  private sum = 0;
  private sumText = "";
  private overlong = false;

  private running = false;
  private interrupted = false;
  private soft = new Map<number, number>(); // linear address -> the byte INT3 replaced
  private hard = new Set<number>();
  private watches = new Map<number, Watch>();
  private lastWatchAddr: number | undefined;
  private closed = false;
  private done = false; // detached or killed: the host has been told
  private released = false; // the host runs the machine again: packets still in flight are ignored
  private idle: (() => void)[] = []; // close() callers waiting for a run to end
  private readonly monitor: Monitor;
  private readonly onDetach: (() => void) | undefined;

  /** onFault hears of an exception a handler threw (a bug: the packet was
   *  valid); the client gets E02 and the session goes on. */
  constructor(private readonly m: Machine, private readonly conn: GdbConnection,
    private readonly onExit: (code: number | undefined) => void = () => {},
    private readonly onFault: (e: unknown) => void = () => {}, opts: GdbStubOptions = {}) {
    this.monitor = opts.monitor ?? new Monitor(m);
    this.onDetach = opts.onDetach;
    m.setDebugTrap(true);
    conn.onData((d) => this.receive(d));
    conn.onClose(() => { void this.close(); });
  }

  /** The connection is gone (or the host ends the session): a running
   *  guest is stopped, and once its run has returned the session ends as a
   *  detach does. Resolves then. */
  close(): Promise<void> {
    this.closed = true;
    this.interrupted = true;
    if (!this.running) { this.detach(); return Promise.resolve(); }
    this.m.stop();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Leaves the guest as it would be without a debugger; tells the host
   *  once. Once the host has the machine back, the stub does nothing more. */
  private detach(): void {
    if (this.released) return; // the machine is the host's (or the next stub's)
    this.removeSoft();
    this.hard.clear();
    this.watches.clear();
    this.m.setDebugTrap(false);
    if (this.done) return;
    this.done = true;
    if (this.onDetach) { this.released = true; this.onDetach(); } else this.onExit(undefined);
  }

  private send(s: string): void {
    if (!this.closed) this.conn.send(s);
  }

  private reply(p: string): void {
    this.send(`$${p}#${hex8(checksum(p))}`);
  }

  /** Frames $body#xx packets. Between packets Ctrl-C (0x03) interrupts, and
   *  acks and noise are ignored; a "$" starts over; a bad checksum is NAKed
   *  so the client resends; a body past MAX_PACKET is not kept but still
   *  acked and answered, with E01. */
  private receive(data: string): void {
    if (this.released) return;
    for (let i = 0; i < data.length; i++) {
      const ch = data[i];
      if (ch === "$") { this.framing = "body"; this.body = ""; this.sum = 0; this.overlong = false; continue; }
      if (this.framing === "idle") {
        if (ch === "\x03") { this.interrupted = true; this.m.stop(); } // ends the running slice
      } else if (this.framing === "body") {
        if (ch === "#") { this.framing = "sum"; this.sumText = ""; continue; }
        this.sum = (this.sum + ch.charCodeAt(0)) & 0xff;
        if (this.body.length < MAX_PACKET) this.body += ch; else this.overlong = true;
      } else {
        this.sumText += ch;
        if (this.sumText.length === 2) { this.framing = "idle"; this.dispatch(); }
      }
    }
  }

  private dispatch(): void {
    if (!/^[0-9a-fA-F]{2}$/.test(this.sumText) || parseInt(this.sumText, 16) !== this.sum) { this.send("-"); return; }
    this.send("+");
    const c = this.overlong ? malformed : parsePacket(this.body);
    this.execute(c).catch((e) => { this.reply(CANNOT); this.onFault(e); });
  }

  private registers(): number[] {
    const r = this.m.registers();
    return REG_NAMES.map((n) => r[n] >>> 0);
  }

  private async execute(c: Command): Promise<void> {
    if (this.released) return;
    // All-stop mode: while the guest runs, gdb sends only Ctrl-C.
    if (this.running) return this.reply(CANNOT);
    switch (c.op) {
      case "reply": return this.reply(c.text);
      case "readRegs": return this.reply(this.registers().map(le32).join(""));
      case "writeRegs":
        // eflags and the segment registers stay: the machine cannot set them.
        for (let i = 0; i < WRITABLE; i++) this.m.setRegister(REG_NAMES[i], c.values[i]);
        return this.reply("OK");
      case "readReg": return this.reply(this.readReg(c.n));
      case "writeReg": {
        const cr = CONTROL_REGS.find(([n]) => n === c.n)?.[1];
        if (cr !== undefined) return this.reply(this.m.setControlRegister(cr, c.value) ? "OK" : CANNOT);
        if (c.n >= WRITABLE) return this.reply(CANNOT);
        this.m.setRegister(REG_NAMES[c.n], c.value);
        return this.reply("OK");
      }
      case "read": return this.reply(this.read(c.addr, c.len));
      case "write": return this.reply(this.write(c.addr, c.data) ? "OK" : CANNOT);
      case "point": return this.reply(this.point(c.insert, c.type, c.addr, c.len));
      case "resume": return this.resume(c.step, c.addr);
      case "kill":
        this.done = true;
        return this.onExit(undefined);
      case "detach":
        this.reply("OK");
        return this.detach();
      case "monitor": return this.runMonitor(c.line);
    }
  }

  /** p: ours, the x87's (gdb's 16-31: st0-st7, fctrl fstat ftag fiseg
   *  fioff foseg fooff fop), the control registers, or unavailable (SSE). */
  private readReg(n: number): string {
    if (n < REG_NAMES.length) return le32(this.registers()[n]);
    if (n >= 16 && n < 32) {
      const f = this.m.fpu();
      if (n < 24) return [...f.st[n - 16]].map(hex8).join("");
      return le32([f.control, f.status, f.tag, f.cs, f.ip, f.ds, f.dp, f.opcode][n - 24] >>> 0);
    }
    const cr = CONTROL_REGS.find(([k]) => k === n)?.[1];
    if (cr === undefined) return "xxxxxxxx";
    const r = this.m.registers();
    return le32([r.cr0, 0, r.cr2, r.cr3, r.cr4][cr] >>> 0);
  }

  /** qRcmd: the monitor's output as O packets (console output for gdb),
   *  each well inside the packet size, then OK. */
  private runMonitor(line: string): void {
    const out = this.monitor.run(line);
    const CHUNK = 0x800;
    for (let i = 0; i < out.length; i += CHUNK) {
      let hex = "";
      for (const ch of new TextEncoder().encode(out.slice(i, i + CHUNK))) hex += hex8(ch);
      this.reply(`O${hex}`);
    }
    this.reply("OK");
  }

  /** m: what is mapped from addr on (a short read is allowed), with the
   *  bytes under software breakpoints as they were: those are invisible. */
  private read(addr: number, len: number): string {
    const bytes = this.m.readLinear(addr, len);
    if (!bytes || !bytes.length) return CANNOT;
    let out = "";
    for (let i = 0; i < bytes.length; i++) out += hex8(this.soft.get((addr + i) >>> 0) ?? bytes[i]);
    return out;
  }

  /** M and X: a byte under a software breakpoint goes to its saved copy,
   *  so the INT3 stays until gdb removes it. */
  private write(addr: number, data: Uint8Array): boolean {
    const bytes = data.slice();
    for (let i = 0; i < bytes.length; i++) {
      const a = (addr + i) >>> 0;
      if (this.soft.has(a)) { this.soft.set(a, bytes[i]); bytes[i] = 0xcc; }
    }
    return this.m.writeLinear(addr, bytes);
  }

  /** Z/z: 0 software breakpoint, 1 hardware breakpoint, 2 write watchpoint. */
  private point(insert: boolean, type: 0 | 1 | 2, addr: number, len: number): string {
    const set = type === 0 ? this.soft : type === 1 ? this.hard : this.watches;
    if (!insert) {
      const old = this.soft.get(addr);
      if (type === 0 && old !== undefined) this.m.writeLinear(addr, Uint8Array.of(old));
      set.delete(addr);
      return "OK";
    }
    if (set.has(addr) && type !== 2) return "OK";
    if (!set.has(addr) && set.size >= MAX_POINTS) return CANNOT;
    if (type === 1) { this.hard.add(addr); return "OK"; }
    if (type === 2) {
      // Any linear address: one not mapped yet is watched from when it is.
      if (this.watched(addr) + len > MAX_WATCH) return CANNOT;
      this.watches.set(addr, this.look(addr, len, this.m.registers().cr3));
      return "OK";
    }
    const value = this.m.readLinear(addr, 1);
    if (!value || value.length !== 1) return CANNOT;
    if (!this.m.writeLinear(addr, Uint8Array.of(0xcc))) return CANNOT;
    this.soft.set(addr, value[0]);
    return "OK";
  }

  /** Bytes watched, but for a watchpoint at except (which is being replaced). */
  private watched(except: number): number {
    let n = 0;
    for (const [addr, w] of this.watches) if (addr !== except) n += w.len;
    return n;
  }

  private removeSoft(): void {
    for (const [addr, old] of this.soft) this.m.writeLinear(addr, Uint8Array.of(old));
    this.soft.clear();
  }

  private async resume(step: boolean, addr: number | undefined): Promise<void> {
    if (addr !== undefined) this.m.setRegister("eip", addr);
    this.running = true;
    this.interrupted = false;
    this.lastWatchAddr = undefined;
    let why: string | undefined;
    try {
      why = await this.run(step);
    } finally {
      this.running = false;
      if (this.closed) { this.detach(); for (const fn of this.idle.splice(0)) fn(); }
    }
    if (this.closed) return;
    if (why !== undefined) return this.reply(why);
    this.reply(`W${hex8(this.m.exitCode ?? 0)}`);
    this.onExit(this.m.exitCode);
  }

  /** Runs until a breakpoint, a watchpoint, Ctrl-C or the guest's end;
   *  single-steps while hardware breakpoints or watchpoints are set.
   *  Returns the stop reply, or undefined when the guest has exited. */
  private async run(step: boolean): Promise<string | undefined> {
    const stepping = step || this.hard.size > 0 || this.watches.size > 0;
    for (;;) {
      if (this.interrupted) return "S02";
      if (stepping) {
        // A slice of single steps, then the host's turn (Ctrl-C, the console).
        let stop = Stop.Budget;
        for (const end = now() + SLICE_MS; now() < end;) {
          stop = this.m.runSlice(1);
          if (stop === Stop.Break || stop === Stop.Exit || stop === Stop.Shutdown || stop === Stop.Halted) break;
          if (step) break;
          const r = this.m.registers();
          if (this.hard.has(r.eip) || this.watchHit(r.cr3)) break;
          const idle = this.m.idleOnce(stop); // a halted CPU: wait for its next event rather than spin
          if (idle) await idle;
        }
        if (stop === Stop.Exit) return undefined;
        if (stop === Stop.Shutdown || stop === Stop.Halted) return "S05";
        // The stop reply says why, so gdb reports the right event.
        if (this.lastWatchAddr !== undefined) return `T05watch:${this.lastWatchAddr.toString(16)};`;
        if (stop === Stop.Break) return "T05swbreak:;";
        if (!step && this.hard.has(this.m.registers().eip)) return "T05hwbreak:;";
        if (step) return "S05";
      } else {
        const o = await this.m.runUntilDone({ waitForInput: true });
        if (o.reason === "break") return "T05swbreak:;";
        if (o.reason === "exit") return undefined;
        // stop(): Ctrl-C (seen above) or the host's; the run goes on. Any
        // other end (halted, shutdown, a reset with onReset "exit") is a
        // stop for gdb: a loop that ran again would make no progress.
        if (o.reason !== "stopped") return "S05";
      }
      await yieldToHost(); // let Ctrl-C and the console in
    }
  }

  /** A watched range as it is now under cr3. */
  private look(addr: number, len: number, cr3: number): Watch {
    const first = this.m.translate(addr, cr3), last = this.m.translate((addr + len - 1) >>> 0, cr3);
    const value = first === null || last === null ? null : this.m.readLinear(addr, len, cr3);
    return { len, first, last, value: value && value.length === len ? value : null };
  }

  /** A watched range whose bytes changed while it stayed mapped where it
   *  was. A new mapping (paging turned on, another address space, a page
   *  mapped at last) is where it is watched from, not a hit: so a
   *  watchpoint on a higher-half address set before paging is on waits
   *  for the kernel's first write there. Runs after every step: the
   *  common case (one page, mapped as before) compares RAM in place. */
  private watchHit(cr3: number): boolean {
    const ram = this.m.ram;
    for (const [addr, w] of this.watches) {
      const first = this.m.translate(addr, cr3), last = this.m.translate((addr + w.len - 1) >>> 0, cr3);
      if (first !== w.first || last !== w.last || !w.value) { this.watches.set(addr, this.look(addr, w.len, cr3)); continue; }
      if (first === null || last === null) continue;
      let changed = false;
      if (last - first === w.len - 1 && last < ram.length) {
        for (let i = 0; i < w.len && !changed; i++) changed = ram[first + i] !== w.value[i];
        if (!changed) continue;
      }
      const now = this.look(addr, w.len, cr3);
      this.watches.set(addr, now);
      if (now.value && now.value.some((b, i) => b !== w.value![i])) {
        this.lastWatchAddr = addr;
        return true;
      }
    }
    return false;
  }
}
