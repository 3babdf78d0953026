// A GDB remote serial protocol stub for a Machine. The transport is given
// by the host (a TCP socket in Node); this is the protocol: registers in
// i386 order, memory through the guest's current page tables, software
// breakpoints (INT3 written into guest memory, which the core then stops on
// instead of delivering), hardware-style breakpoints and write watchpoints
// (the machine single-steps while any is set), step, continue and Ctrl-C.
//
// What the client sends is untrusted. Packets are framed and checksummed in
// receive(), and every body is read by parsePacket(), the one place that
// looks at fields: it returns a Command whose numbers are all in range, or
// the reply the protocol gives to a bad packet (E01 when malformed, empty
// when not supported). Handlers never see raw text.
import { Stop, type Machine } from "./machine.js";
import { SLICE_MS, now, yieldToHost } from "./runloop.js";

export interface GdbConnection {
  send(data: string): void;
  onData(fn: (data: string) => void): void;
  onClose(fn: () => void): void;
}

// g/G order: eax ecx edx ebx esp ebp esi edi eip eflags cs ss ds es fs gs.
const REG_NAMES = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"] as const;
/** gdb's i386 register set goes on past ours (x87, SSE): it asks for those
 *  with p, and they read as unavailable. Numbers past it are errors. */
const GDB_REGS = 41;
/** eax..edi and eip: the registers Machine.setRegister can change. */
const WRITABLE = 9;

/** The longest packet body taken (advertised as PacketSize): a longer one
 *  is dropped as it arrives, so a client cannot grow the buffer. */
const MAX_PACKET = 0x4000;
/** The most memory one m packet reads. */
const MAX_READ = 0x10000;
/** The most bytes all watchpoints together compare after every step. */
const MAX_WATCH = 0x1000;
/** Per kind of breakpoint: bounds host memory and the cost of each step. */
const MAX_POINTS = 256;

const MALFORMED = "E01"; // the packet does not parse
const CANNOT = "E02"; // it parses, but the machine cannot do it (unmapped, not writable, running)

const hex8 = (v: number) => (v & 0xff).toString(16).padStart(2, "0");
const le32 = (v: number) => [0, 8, 16, 24].map((s) => hex8(v >>> s)).join("");
const checksum = (s: string) => { let c = 0; for (let i = 0; i < s.length; i++) c = (c + s.charCodeAt(i)) & 0xff; return c; };

const TARGET_XML = '<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target><architecture>i386</architecture></target>';
const SUPPORTED = `PacketSize=${MAX_PACKET.toString(16)};qXfer:features:read+;swbreak+;hwbreak+`;
const QUERIES = new Map([["qAttached", "1"], ["qC", "QC1"], ["qfThreadInfo", "m1"], ["qsThreadInfo", "l"], ["qOffsets", "Text=0;Data=0;Bss=0"]]);

/** A packet, parsed and checked. */
type Command =
  | { op: "reply"; text: string } // answered from the packet alone
  | { op: "readRegs" }
  | { op: "writeRegs"; values: number[] }
  | { op: "readReg"; n: number }
  | { op: "writeReg"; n: number; value: number }
  | { op: "read"; addr: number; len: number }
  | { op: "write"; addr: number; data: Uint8Array }
  | { op: "point"; insert: boolean; type: 0 | 1 | 2; addr: number; len: number }
  | { op: "resume"; step: boolean; addr?: number }
  | { op: "kill" }
  | { op: "detach" };

const HEX = /^[0-9a-fA-F]+$/;
const reply = (text: string): Command => ({ op: "reply", text });
const malformed = reply(MALFORMED);

/** A hex field as a u32: 1 to 16 digits (a zero-padded 64-bit address is
 *  fine), at most 8 of them significant. */
function u32(s: string): number | undefined {
  if (!s || s.length > 16 || !HEX.test(s)) return undefined;
  const digits = s.replace(/^0+(?=.)/, "");
  return digits.length <= 8 ? parseInt(digits, 16) : undefined;
}

/** "addr,length" with min <= length <= max. */
function range(s: string, min: number, max: number): { addr: number; len: number } | undefined {
  const f = s.split(",");
  if (f.length !== 2) return undefined;
  const addr = u32(f[0]), len = u32(f[1]);
  return addr !== undefined && len !== undefined && len >= min && len <= max ? { addr, len } : undefined;
}

/** Hex digit pairs as bytes. */
function hexBytes(s: string): Uint8Array | undefined {
  if (s.length % 2 || (s && !HEX.test(s))) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** X's binary data: "}" escapes the byte after it (xor 0x20). */
function binaryBytes(s: string): Uint8Array | undefined {
  const out = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 0x7d) {
      if (++i === s.length) return undefined; // an escape with nothing to escape
      c = s.charCodeAt(i) ^ 0x20;
    }
    if (c > 0xff) return undefined;
    out[n++] = c;
  }
  return out.subarray(0, n);
}

/** Reads one packet body. Never throws; see Command. */
function parsePacket(p: string): Command {
  const arg = p.slice(1);
  switch (p[0]) {
    case "?": return p === "?" ? reply("S05") : malformed;
    case "g": return p === "g" ? { op: "readRegs" } : malformed;
    case "G": {
      // gdb sends its whole register file, longer than ours (x87, SSE):
      // ours come first and the rest is ignored.
      const b = hexBytes(arg);
      if (!b || b.length < 4 * REG_NAMES.length) return malformed;
      const v = new DataView(b.buffer);
      return { op: "writeRegs", values: REG_NAMES.map((_, i) => v.getUint32(4 * i, true)) };
    }
    case "p": {
      const n = u32(arg);
      return n !== undefined && n < GDB_REGS ? { op: "readReg", n } : malformed;
    }
    case "P": {
      const f = arg.split("=");
      const n = f.length === 2 ? u32(f[0]) : undefined;
      const b = n !== undefined && f[1].length === 8 ? hexBytes(f[1]) : undefined;
      if (n === undefined || n >= GDB_REGS || !b) return malformed;
      return { op: "writeReg", n, value: new DataView(b.buffer).getUint32(0, true) };
    }
    case "m": {
      const r = range(arg, 1, MAX_READ);
      return r ? { op: "read", ...r } : malformed;
    }
    case "M":
    case "X": {
      // Length 0 is gdb's probe for X support.
      const colon = arg.indexOf(":");
      const r = colon < 0 ? undefined : range(arg.slice(0, colon), 0, MAX_PACKET);
      const data = r && (p[0] === "M" ? hexBytes : binaryBytes)(arg.slice(colon + 1));
      return r && data && data.length === r.len ? { op: "write", addr: r.addr, data } : malformed;
    }
    case "Z":
    case "z": {
      const f = arg.split(",");
      if (f.length !== 3 || !/^[0-4]$/.test(f[0])) return malformed;
      const type = Number(f[0]), addr = u32(f[1]), len = u32(f[2]);
      if (addr === undefined || len === undefined) return malformed;
      // An x86 breakpoint is one byte (INT3); a watched range is 1 to MAX_WATCH bytes.
      if (type < 2 ? len !== 1 : len < 1 || len > MAX_WATCH) return malformed;
      if (type > 2) return reply(""); // read and access watchpoints: only writes show as a change
      return { op: "point", insert: p[0] === "Z", type: type as 0 | 1 | 2, addr, len };
    }
    case "c":
    case "s": {
      const addr = arg ? u32(arg) : undefined; // resume there
      return arg && addr === undefined ? malformed : { op: "resume", step: p[0] === "s", addr };
    }
    case "k": return p === "k" ? { op: "kill" } : malformed;
    case "D": return p === "D" || /^D;[0-9a-fA-F]{1,8}$/.test(p) ? { op: "detach" } : malformed;
    case "H": return /^H[cg](-1|[0-9a-fA-F]{1,8})$/.test(p) ? reply("OK") : malformed;
    case "T": return u32(arg) === 1 ? reply("OK") : malformed; // the one thread is alive
    case "q": return query(p);
    default: return reply(""); // not supported
  }
}

function query(p: string): Command {
  if (p === "qSupported" || p.startsWith("qSupported:")) return reply(SUPPORTED);
  if (p.startsWith("qXfer:")) return xfer(p.split(":"));
  return reply(QUERIES.get(p) ?? "");
}

/** qXfer:features:read:target.xml:offset,length. The protocol's reply to
 *  a bad annex or range is E00; to another object, empty. */
function xfer(f: string[]): Command {
  if (f[1] !== "features" || f[2] !== "read") return reply("");
  const r = f.length === 5 && f[3] === "target.xml" ? range(f[4], 1, MAX_PACKET) : undefined;
  if (!r) return reply("E00");
  const part = TARGET_XML.slice(r.addr, r.addr + r.len);
  return reply((r.addr + r.len >= TARGET_XML.length ? "l" : "m") + part);
}

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
  private watches = new Map<number, { len: number; value: Uint8Array }>();
  private lastWatchAddr: number | undefined;
  private closed = false;

  /** onFault hears of an exception a handler threw (a bug: the packet was
   *  valid); the client gets E02 and the session goes on. */
  constructor(private readonly m: Machine, private readonly conn: GdbConnection,
    private readonly onExit: (code: number | undefined) => void = () => {},
    private readonly onFault: (e: unknown) => void = () => {}) {
    m.setDebugTrap(true);
    conn.onData((d) => this.receive(d));
    conn.onClose(() => { this.closed = true; this.interrupted = true; m.stop(); this.removeSoft(); m.setDebugTrap(false); });
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
    // All-stop mode: while the guest runs, gdb sends only Ctrl-C.
    if (this.running) return this.reply(CANNOT);
    switch (c.op) {
      case "reply": return this.reply(c.text);
      case "readRegs": return this.reply(this.registers().map(le32).join(""));
      case "writeRegs":
        // eflags and the segment registers stay: the machine cannot set them.
        for (let i = 0; i < WRITABLE; i++) this.m.setRegister(REG_NAMES[i], c.values[i]);
        return this.reply("OK");
      case "readReg": return this.reply(c.n < REG_NAMES.length ? le32(this.registers()[c.n]) : "xxxxxxxx");
      case "writeReg":
        if (c.n >= WRITABLE) return this.reply(CANNOT);
        this.m.setRegister(REG_NAMES[c.n], c.value);
        return this.reply("OK");
      case "read": return this.reply(this.read(c.addr, c.len));
      case "write": return this.reply(this.write(c.addr, c.data) ? "OK" : CANNOT);
      case "point": return this.reply(this.point(c.insert, c.type, c.addr, c.len));
      case "resume": return this.resume(c.step, c.addr);
      case "kill": return this.onExit(undefined);
      case "detach":
        this.removeSoft();
        this.hard.clear();
        this.watches.clear();
        this.reply("OK");
        this.m.setDebugTrap(false);
        return this.onExit(undefined);
    }
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
    if (type === 2 && this.watched(addr) + len > MAX_WATCH) return CANNOT;
    const value = this.m.readLinear(addr, len);
    if (!value || value.length !== len) return CANNOT;
    if (type === 2) { this.watches.set(addr, { len, value }); return "OK"; }
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
    }
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
          if (step || this.hard.has(this.m.registers().eip) || this.watchHit()) break;
          if (stop === Stop.Idle) await this.m.idleOnce();
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
        if (o.reason === "shutdown" || o.reason === "halted") return "S05";
      }
      await yieldToHost(); // let Ctrl-C and the console in
    }
  }

  private watchHit(): boolean {
    for (const [addr, w] of this.watches) {
      const value = this.m.readLinear(addr, w.len);
      if (value && value.some((b, i) => b !== w.value[i])) {
        w.value = value;
        this.lastWatchAddr = addr;
        return true;
      }
    }
    return false;
  }
}
