// The monitor: QEMU's monitor commands for a Machine, one line in, text
// out. The CLI (Ctrl-A c) and the GDB stub (`monitor CMD`) both run it,
// and it uses nothing of Node's, so a page could too. What needs the
// platform (writing a file, ending the process) the caller supplies.
//
// A line is untrusted: every bad command or argument is one line of error
// text in the output, never an exception to the caller.
import type { Machine } from "./machine.js";
import { UserError } from "./errors.js";
import { memLines, tlbLines } from "./paging.js";
import { isRunning, readSymbols, type KernelSymbols } from "./kernel-symbols.js";
import { moduleLines, readModules } from "./kmodules.js";
import { registerLines } from "./monitor-registers.js";

export interface MonitorOptions {
  /** The kernel ELF the machine was started with: its symbols name
   *  addresses and find the teaching kernel's module list. */
  kernel?: Uint8Array;
  /** savevm FILE: stores the state (saveState's bytes) in FILE; returns
   *  nothing, or throws UserError with the reason it could not. */
  save?: (file: string, state: Uint8Array) => void;
  /** quit: ends the emulator. */
  quit?: () => void;
}

const HELP = [
  "help|?                   this list",
  "info registers           the CPU: general, segment (base, limit, flags), EFLAGS, control and table registers",
  "info tlb                 the page tables' mappings: linear -> physical, with flags (runs merged)",
  "info mem                 the mapped linear ranges and their protection",
  "info modules             the teaching kernel's loaded modules",
  "x /fmt ADDR              memory at a linear address, through the page tables (fmt: count, x d u o c, b h w g)",
  "xp /fmt ADDR             memory at a physical address",
  "savevm FILE              save the machine's state to FILE (wasm386 --load-state FILE goes on from it)",
  "quit|q                   end the emulator",
  "ADDR: a number (0x for hex), $reg (as $esp, $eip, $cr3) or a kernel symbol, with + and - offsets",
];
const INFO = ["registers", "tlb", "mem", "modules"];

/** The most bytes one x or xp shows. */
const MAX_DUMP = 0x10000;

export class Monitor {
  private symbols: KernelSymbols | undefined;
  private lastFormat = { format: "x", size: 4 };

  constructor(private readonly m: Machine, private readonly opts: MonitorOptions = {}) {
    this.symbols = opts.kernel ? readSymbols(opts.kernel) : undefined;
  }

  /** Runs one command line; returns its output, each line ending in "\n"
   *  (empty for a blank line or a command that prints nothing). */
  run(line: string): string {
    let out: string[];
    try {
      out = this.command(line.trim());
    } catch (e) {
      // Our own bug, or a save callback's error: still one line, not a crash.
      out = [e instanceof UserError ? e.message : `error: ${(e as Error)?.message ?? String(e)}`];
    }
    return out.map((l) => `${l}\n`).join("");
  }

  private command(line: string): string[] {
    if (!line) return [];
    const dump = /^(xp|x)(?=[\s/]|$)\s*(?:\/(\S*))?\s*(.*)$/.exec(line);
    if (dump) return this.dump(dump[1] === "xp", dump[2] ?? "", dump[3]);
    const [cmd, ...args] = line.split(/\s+/);
    switch (cmd) {
      case "help": case "?": case "h": return HELP;
      case "info": return this.info(args);
      case "savevm": return this.savevm(args);
      case "quit": case "q":
        if (args.length) return [`quit takes no arguments`];
        if (!this.opts.quit) return ["quit: not available here"];
        this.opts.quit();
        return [];
      default: return [`unknown command: '${printable(cmd)}' (help lists the commands)`];
    }
  }

  private info(args: string[]): string[] {
    if (!args.length) return [`info what? ${INFO.join(", ")}`];
    if (args.length > 1) return [`info ${printable(args[0])}: takes no arguments`];
    const r = this.m.registers();
    switch (args[0]) {
      case "registers": return registerLines(r, this.m.systemRegisters());
      case "tlb": case "mem":
        if (!(r.cr0 & 0x80000000)) return ["paging is off (CR0.PG clear): linear addresses are physical"];
        {
          const lines = (args[0] === "tlb" ? tlbLines : memLines)(this.m.ram, r.cr3, r.cr4);
          return lines.length ? lines : [`nothing is mapped under CR3=${hex8(r.cr3)}`];
        }
      case "modules": return this.modules();
      default: return [`info: unknown item '${printable(args[0])}' (one of ${INFO.join(", ")})`];
    }
  }

  /** The kernel's symbols if it is the kernel running, else why not. */
  private runningSymbols(): KernelSymbols | string {
    if (!this.opts.kernel) return "no kernel ELF was given to read symbols from";
    if (!this.symbols) return "the kernel ELF has no symbol table";
    if (!isRunning(this.m, this.symbols)) return "the running kernel is not the ELF this machine was given (its code in RAM differs): no symbols";
    return this.symbols;
  }

  private modules(): string[] {
    const syms = this.runningSymbols();
    if (typeof syms === "string") return [`info modules: ${syms}`];
    const list = readModules(this.m, syms);
    if (typeof list === "string") return [`info modules: ${list}`];
    const lines = moduleLines(list.modules);
    return list.note ? [...lines, `(the list ends early: ${list.note})`] : lines;
  }

  private savevm(args: string[]): string[] {
    if (args.length !== 1) return ["savevm takes one FILE"];
    if (!this.opts.save) return ["savevm: not available here"];
    this.opts.save(args[0], this.m.saveState());
    return [`saved the machine to ${args[0]}`];
  }

  /** x and xp: QEMU's /fmt is a count, a format letter and a size letter,
   *  each optional; format and size carry over to the next dump. */
  private dump(physical: boolean, fmt: string, expr: string): string[] {
    const name = physical ? "xp" : "x";
    const f = /^(\d*)([xduoc]?)([bhwg]?)([xduoc]?)$/.exec(fmt);
    if (!f || (f[2] && f[4])) return [`${name}: bad format '/${printable(fmt)}' (count, then x d u o c and b h w g; i is not supported)`];
    const count = f[1] ? Number(f[1]) : 1;
    const format = f[2] || f[4] || this.lastFormat.format;
    const size = f[3] ? { b: 1, h: 2, w: 4, g: 8 }[f[3]]! : format === "c" ? 1 : this.lastFormat.size;
    if (!expr) return [`${name}: give an address`];
    const addr = this.address(expr);
    if (typeof addr === "string") return [`${name}: ${addr}`];
    if (count < 1 || count * size > MAX_DUMP) return [`${name}: count must be 1 to ${MAX_DUMP / size} for that size`];
    this.lastFormat = { format, size };
    const bytes = physical ? physicalBytes(this.m.ram, addr, count * size) : this.m.readLinear(addr, count * size);
    const lines: string[] = [];
    const perLine = size === 1 ? 8 : 16;
    const have = bytes ? bytes.length - (bytes.length % size) : 0;
    for (let off = 0; off < have; off += perLine) {
      let line = `${hex8(addr + off)}:`;
      for (let i = off; i < Math.min(off + perLine, have); i += size) line += ` ${value(bytes!, i, size, format)}`;
      lines.push(line);
    }
    if (have < count * size) lines.push(`Cannot access memory at ${physical ? "physical" : "linear"} address 0x${hex8(addr + have)}`);
    return lines;
  }

  /** ADDR: terms joined by + and -: numbers, $registers, kernel symbols. */
  private address(expr: string): number | string {
    const terms = expr.replace(/\s+/g, "").split(/(?=[+-])/);
    let sum = 0;
    for (const t of terms) {
      const sign = t[0] === "-" ? -1 : 1;
      const term = t.replace(/^[+-]/, "");
      const v = this.term(term);
      if (typeof v === "string") return v;
      sum += sign * v;
    }
    return sum >>> 0;
  }

  private term(t: string): number | string {
    if (!t) return "an address term is missing";
    if (/^0x[0-9a-f]{1,8}$/i.test(t)) return parseInt(t, 16);
    if (/^\d{1,10}$/.test(t) && Number(t) <= 0xffffffff) return Number(t);
    if (/^(0x|\d)/i.test(t)) return `'${printable(t)}' is not a 32-bit number`;
    if (t[0] === "$") {
      const r = this.m.registers() as unknown as Record<string, number>;
      const name = t.slice(1).toLowerCase();
      return Object.hasOwn(r, name) ? r[name] >>> 0 : `no register '${printable(t)}'`;
    }
    if (!/^[A-Za-z_.][\w.]*$/.test(t)) return `cannot read '${printable(t)}' as an address`;
    const syms = this.runningSymbols();
    if (typeof syms === "string") return `'${printable(t)}' is not a number, and ${syms}`;
    const v = syms.byName.get(t);
    return v === undefined ? `no symbol '${printable(t)}' in the kernel` : v;
  }
}

function physicalBytes(ram: Uint8Array, addr: number, len: number): Uint8Array | null {
  if (addr >= ram.length) return null;
  return ram.slice(addr, Math.min(ram.length, addr + len));
}

/** One unit, as QEMU's memory_dump prints it: hex and octal zero-padded to
 *  the size, decimal right-aligned, characters quoted. */
function value(b: Uint8Array, at: number, size: number, format: string): string {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i]);
  const bits = size * 8;
  switch (format) {
    case "x": return `0x${v.toString(16).padStart(bits / 4, "0")}`;
    case "o": return `0${v.toString(8).padStart(Math.floor((bits + 2) / 3), "0")}`;
    case "u": return v.toString().padStart(Math.floor((bits * 10 + 32) / 33));
    case "d": return BigInt.asIntN(bits, v).toString().padStart(Math.floor((bits * 10 + 32) / 33));
    default: return charOf(Number(v & 0xffn));
  }
}

function charOf(c: number): string {
  const named: Record<number, string> = { 0: "\\0", 9: "\\t", 10: "\\n", 13: "\\r", 39: "\\'", 92: "\\\\" };
  if (named[c]) return `'${named[c]}'`;
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `'\\x${c.toString(16).padStart(2, "0")}'`;
}

/** A user's word, shortened and with control characters shown, for an error line. */
function printable(s: string): string {
  const t = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return t.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, "0");
