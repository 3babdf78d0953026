// A GDB remote serial protocol stub for a Machine. The transport is given
// by the host (a TCP socket in Node); this is the protocol: registers in
// i386 order, memory through the guest's current page tables, software
// breakpoints (INT3 written into guest memory, which the core then stops on
// instead of delivering), hardware-style breakpoints and write watchpoints
// (the machine single-steps while any is set), step, continue and Ctrl-C.
import { Stop, type Machine } from "./machine.js";
import { yieldToHost } from "./runloop.js";

export interface GdbConnection {
  send(data: string): void;
  onData(fn: (data: string) => void): void;
  onClose(fn: () => void): void;
}

// g/G order: eax ecx edx ebx esp ebp esi edi eip eflags cs ss ds es fs gs.
const REG_NAMES = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"] as const;

const hex8 = (v: number) => (v & 0xff).toString(16).padStart(2, "0");
const le32 = (v: number) => [0, 8, 16, 24].map((s) => hex8(v >>> s)).join("");
const fromLe32 = (h: string) => parseInt(h.match(/../g)!.reverse().join(""), 16) >>> 0;
const checksum = (s: string) => { let c = 0; for (let i = 0; i < s.length; i++) c = (c + s.charCodeAt(i)) & 0xff; return hex8(c); };

const TARGET_XML = '<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target><architecture>i386</architecture></target>';

export class GdbStub {
  private buf = "";
  private running = false;
  private interrupted = false;
  private soft = new Map<number, number>(); // linear address -> the byte INT3 replaced
  private hard = new Set<number>();
  private watches = new Map<number, { len: number; value: Uint8Array }>();
  private closed = false;

  constructor(private readonly m: Machine, private readonly conn: GdbConnection,
    private readonly onExit: (code: number | undefined) => void = () => {}) {
    m.setDebugTrap(true);
    conn.onData((d) => this.receive(d));
    conn.onClose(() => { this.closed = true; this.interrupted = true; m.stop(); this.removeSoft(); m.setDebugTrap(false); });
  }

  private reply(p: string): void {
    if (!this.closed) this.conn.send(`$${p}#${checksum(p)}`);
  }

  private receive(data: string): void {
    for (const ch of data) {
      if (ch === "\x03") { this.interrupted = true; this.m.stop(); continue; } // Ctrl-C: ends the running slice
      this.buf += ch;
    }
    for (;;) {
      this.buf = this.buf.replace(/^[+-]+/, "");
      const start = this.buf.indexOf("$");
      if (start < 0) { this.buf = ""; return; }
      const end = this.buf.indexOf("#", start);
      if (end < 0 || this.buf.length < end + 3) return;
      const body = this.buf.slice(start + 1, end);
      this.buf = this.buf.slice(end + 3);
      this.conn.send("+");
      void this.packet(body);
    }
  }

  private registers(): number[] {
    const r = this.m.registers();
    return REG_NAMES.map((n) => r[n] >>> 0);
  }

  private async packet(p: string): Promise<void> {
    const c = p[0];
    if (c === "?") return this.reply("S05");
    if (c === "g") return this.reply(this.registers().map(le32).join(""));
    if (c === "G") {
      const values = p.slice(1).match(/.{8}/g) ?? [];
      values.forEach((h, i) => { if (i < REG_NAMES.length) this.m.setRegister(REG_NAMES[i], fromLe32(h)); });
      return this.reply("OK");
    }
    if (c === "p") {
      const n = parseInt(p.slice(1), 16);
      return this.reply(n < REG_NAMES.length ? le32(this.registers()[n]) : "xxxxxxxx");
    }
    if (c === "P") {
      const [n, v] = p.slice(1).split("=");
      const i = parseInt(n, 16);
      if (i < REG_NAMES.length) this.m.setRegister(REG_NAMES[i], fromLe32(v));
      return this.reply("OK");
    }
    if (c === "m") {
      const [a, l] = p.slice(1).split(",").map((x) => parseInt(x, 16));
      const bytes = this.m.readLinear(a, Math.min(l, 4096));
      if (!bytes || !bytes.length) return this.reply("E01");
      // breakpoints are invisible to the debugger's reads
      const out = [...bytes].map((b, i) => this.soft.get(a + i) ?? b);
      return this.reply(out.map(hex8).join(""));
    }
    if (c === "M") {
      const [where, data] = p.slice(1).split(":");
      const [a] = where.split(",").map((x) => parseInt(x, 16));
      const bytes = Uint8Array.from((data.match(/../g) ?? []).map((h) => parseInt(h, 16)));
      return this.reply(this.m.writeLinear(a, bytes) ? "OK" : "E01");
    }
    if (c === "Z" || c === "z") return this.reply(this.breakpoint(c === "Z", p.slice(1)));
    if (c === "s") { await this.resume(true); return; }
    if (c === "c") { await this.resume(false); return; }
    if (c === "k") { this.onExit(undefined); return; }
    if (c === "D") { this.removeSoft(); this.hard.clear(); this.watches.clear(); this.reply("OK"); this.m.setDebugTrap(false); this.onExit(undefined); return; }
    if (c === "H" || p === "T1") return this.reply("OK");
    if (p.startsWith("qSupported")) return this.reply("PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+");
    if (p.startsWith("qXfer:features:read:target.xml:")) {
      const [off, len] = p.split(":")[4].split(",").map((x) => parseInt(x, 16));
      const part = TARGET_XML.slice(off, off + len);
      return this.reply((off + len >= TARGET_XML.length ? "l" : "m") + part);
    }
    if (p === "qAttached") return this.reply("1");
    if (p === "qC") return this.reply("QC1");
    if (p === "qfThreadInfo") return this.reply("m1");
    if (p === "qsThreadInfo") return this.reply("l");
    if (p === "qOffsets") return this.reply("Text=0;Data=0;Bss=0");
    return this.reply(""); // not supported
  }

  /** Z/z type,addr,kind: 0 software, 1 hardware, 2 write watchpoint. */
  private breakpoint(insert: boolean, args: string): string {
    const [t, a, k] = args.split(",").map((x) => parseInt(x, 16));
    const addr = a >>> 0;
    if (t === 0) {
      if (insert) {
        if (this.soft.has(addr)) return "OK";
        const old = this.m.readLinear(addr, 1);
        if (!old || !this.m.writeLinear(addr, Uint8Array.of(0xcc))) return "E01";
        this.soft.set(addr, old[0]);
      } else {
        const old = this.soft.get(addr);
        if (old !== undefined) this.m.writeLinear(addr, Uint8Array.of(old));
        this.soft.delete(addr);
      }
      return "OK";
    }
    if (t === 1) { if (insert) this.hard.add(addr); else this.hard.delete(addr); return "OK"; }
    if (t === 2) {
      if (insert) {
        const value = this.m.readLinear(addr, k);
        if (!value) return "E01";
        this.watches.set(addr, { len: k, value });
      } else this.watches.delete(addr);
      return "OK";
    }
    return ""; // read and access watchpoints: gdb falls back to its own
  }

  private removeSoft(): void {
    for (const [addr, old] of this.soft) this.m.writeLinear(addr, Uint8Array.of(old));
    this.soft.clear();
  }

  /** Runs until a breakpoint, a watchpoint, Ctrl-C or the guest's end;
   *  single-steps while hardware breakpoints or watchpoints are set. */
  private async resume(step: boolean): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.interrupted = false;
    const stepping = step || this.hard.size > 0 || this.watches.size > 0;
    let why = "S05";
    for (let first = true; ; first = false) {
      if (this.interrupted) { why = "S02"; break; }
      if (stepping) {
        let stop = Stop.Budget;
        for (let i = 0; i < 10000; i++) {
          stop = this.m.runSlice(1);
          if (stop === Stop.Break || stop === Stop.Exit || stop === Stop.Shutdown || stop === Stop.Halted) break;
          if (step || this.hard.has(this.m.registers().eip) || this.watchHit()) break;
          if (stop === Stop.Idle) await this.m.idleOnce();
        }
        if (stop === Stop.Exit) { this.finish(); return; }
        // The stop reply says why, so gdb reports the right event.
        if (this.lastWatchHit) { why = `T05watch:${this.lastWatchAddr.toString(16)};`; break; }
        if (stop === Stop.Break) { why = "T05swbreak:;"; break; }
        if (!step && this.hard.has(this.m.registers().eip)) { why = "T05hwbreak:;"; break; }
        if (step) break;
      } else {
        const o = await this.m.runUntilDone({ waitForInput: true });
        if (o.reason === "break") { why = "T05swbreak:;"; break; }
        if (o.reason === "exit") { this.finish(); return; }
        if (o.reason === "shutdown" || o.reason === "halted") break;
      }
      void first;
      await yieldToHost(); // let Ctrl-C and the console in
    }
    this.running = false;
    this.lastWatchHit = false;
    this.reply(why);
  }

  private lastWatchHit = false;
  private lastWatchAddr = 0;

  private watchHit(): boolean {
    for (const [addr, w] of this.watches) {
      const now = this.m.readLinear(addr, w.len);
      if (now && now.some((b, i) => b !== w.value[i])) {
        w.value = now;
        this.lastWatchHit = true;
        this.lastWatchAddr = addr;
        return true;
      }
    }
    return false;
  }

  private finish(): void {
    this.running = false;
    this.reply(`W${hex8(this.m.exitCode ?? 0)}`);
    this.onExit(this.m.exitCode);
  }
}
