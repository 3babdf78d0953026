// The GDB remote serial protocol's packets, as the stub receives them: the
// one place that looks at a packet body's fields. parsePacket() returns a
// Command whose numbers are all in range, or the reply the protocol gives to
// a bad packet (E01 when malformed, empty when not supported). What the
// client sends is untrusted: nothing here throws, and every size is bounded.

// g/G order: eax ecx edx ebx esp ebp esi edi eip eflags cs ss ds es fs gs.
export const REG_NAMES = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "cs", "ss", "ds", "es", "fs", "gs"] as const;
/** The control registers, after gdb's own i386 numbers (0-40: ours, then
 *  x87, then SSE, which reads as unavailable), so that a client that goes by
 *  those numbers without the target description still finds them all. */
export const CONTROL_REGS = [[41, 0], [42, 2], [43, 3], [44, 4]] as const; // p/P number, CRn
/** Register numbers past the last are errors. */
const GDB_REGS = 45;

/** The longest packet body taken (advertised as PacketSize): a longer one
 *  is dropped as it arrives, so a client cannot grow the buffer. */
export const MAX_PACKET = 0x4000;
/** The most memory one m packet reads. */
const MAX_READ = 0x10000;
/** The most bytes all watchpoints together compare after every step. */
export const MAX_WATCH = 0x1000;

const MALFORMED = "E01"; // the packet does not parse

/** The registers as gdb is to see them: its i386 core feature (with the
 *  x87 registers, read through p), then the
 *  control registers, with their bits named for `info registers cr0`. */
const flags = (id: string, fields: [string, number][]) =>
  `<flags id="${id}" size="4">${fields.map(([n, b]) => `<field name="${n}" start="${b}" end="${b}"/>`).join("")}</flags>`;
const reg = (name: string, type: string, extra = "") => `<reg name="${name}" bitsize="32" type="${type}"${extra}/>`;
export const TARGET_XML = '<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target><architecture>i386</architecture>'
  + '<feature name="org.gnu.gdb.i386.core">'
  + flags("i386_eflags", [["CF", 0], ["", 1], ["PF", 2], ["AF", 4], ["ZF", 6], ["SF", 7], ["TF", 8], ["IF", 9], ["DF", 10], ["OF", 11],
    ["NT", 14], ["RF", 16], ["VM", 17], ["AC", 18], ["VIF", 19], ["VIP", 20], ["ID", 21]])
  + ["eax", "ecx", "edx", "ebx"].map((n) => reg(n, "int32")).join("") + reg("esp", "data_ptr") + reg("ebp", "data_ptr")
  + reg("esi", "int32") + reg("edi", "int32") + reg("eip", "code_ptr") + reg("eflags", "i386_eflags")
  + ["cs", "ss", "ds", "es", "fs", "gs"].map((n) => reg(n, "int32")).join("")
  + Array.from({ length: 8 }, (_, i) => `<reg name="st${i}" bitsize="80" type="i387_ext"/>`).join("")
  + ["fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"].map((n) => reg(n, "int", ' group="float"')).join("")
  + '</feature><feature name="org.wasm386.i386.control">'
  + flags("i386_cr0", [["PE", 0], ["MP", 1], ["EM", 2], ["TS", 3], ["ET", 4], ["NE", 5], ["WP", 16], ["AM", 18], ["NW", 29], ["CD", 30], ["PG", 31]])
  + flags("i386_cr4", [["VME", 0], ["PVI", 1], ["TSD", 2], ["DE", 3], ["PSE", 4], ["PAE", 5], ["MCE", 6], ["PGE", 7]])
  + reg("cr0", "i386_cr0", ' regnum="41" group="system"') + reg("cr2", "data_ptr", ' group="system"')
  + reg("cr3", "data_ptr", ' group="system"') + reg("cr4", "i386_cr4", ' group="system"')
  + "</feature></target>";
const SUPPORTED = `PacketSize=${MAX_PACKET.toString(16)};qXfer:features:read+;swbreak+;hwbreak+`;
const QUERIES = new Map([["qAttached", "1"], ["qC", "QC1"], ["qfThreadInfo", "m1"], ["qsThreadInfo", "l"], ["qOffsets", "Text=0;Data=0;Bss=0"]]);

/** A packet, parsed and checked. */
export type Command =
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
  | { op: "detach" }
  | { op: "monitor"; line: string }; // qRcmd: gdb's `monitor LINE`

const HEX = /^[0-9a-fA-F]+$/;
const reply = (text: string): Command => ({ op: "reply", text });
export const malformed = reply(MALFORMED);

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
export function parsePacket(p: string): Command {
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
  if (p.startsWith("qRcmd,")) {
    const b = hexBytes(p.slice(6));
    return b ? { op: "monitor", line: String.fromCharCode(...b) } : malformed;
  }
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
