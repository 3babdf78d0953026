// A kernel ELF's symbol table, and whether the kernel running in a machine
// is that ELF: a monitor names addresses and finds the kernel's variables
// with it. The file is untrusted: every offset and size is checked against
// it, and anything unusable gives no symbols rather than an exception.
import type { Machine } from "./machine.js";
import { programHeaders, PT_LOAD, PF_X } from "./elf.js";

const SHT_SYMTAB = 2, EM_386 = 3;

export interface KernelSymbols {
  /** Defined symbols by name (the first of a name wins). */
  byName: Map<string, number>;
  /** The loadable executable segments: what must be in RAM, at paddr, if
   *  this ELF is the kernel that is running. */
  text: { paddr: number; bytes: Uint8Array }[];
}

/** The symbols of an ELF32 i386 file, or undefined when it has none (no
 *  ELF, stripped, or damaged). */
export function readSymbols(elf: Uint8Array): KernelSymbols | undefined {
  if (elf.length < 52 || elf[0] !== 0x7f || elf[1] !== 0x45 || elf[2] !== 0x4c || elf[3] !== 0x46 || elf[4] !== 1 || elf[5] !== 1) return undefined;
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true), u32 = (o: number) => dv.getUint32(o, true);
  if (u16(18) !== EM_386) return undefined;
  const inFile = (off: number, len: number) => off <= elf.length && len <= elf.length - off;

  const text: KernelSymbols["text"] = [];
  const headers = programHeaders(elf);
  if (!headers) return undefined;
  for (const { type, flags, offset, filesz, paddr } of headers)
    if (type === PT_LOAD && (flags & PF_X) && filesz && inFile(offset, filesz)) text.push({ paddr, bytes: elf.subarray(offset, offset + filesz) });

  const shoff = u32(32), shentsize = u16(46), shnum = u16(48);
  if (shentsize < 40 || !inFile(shoff, shnum * shentsize)) return undefined;
  const section = (i: number) => {
    const s = shoff + i * shentsize;
    return { type: u32(s + 4), offset: u32(s + 16), size: u32(s + 20), link: u32(s + 24), entsize: u32(s + 36) };
  };
  const byName = new Map<string, number>();
  for (let i = 0; i < shnum; i++) {
    const sym = section(i);
    if (sym.type !== SHT_SYMTAB || sym.link >= shnum || sym.entsize < 16 || !inFile(sym.offset, sym.size)) continue;
    const str = section(sym.link);
    if (!inFile(str.offset, str.size)) continue;
    for (let e = sym.offset; e + 16 <= sym.offset + sym.size; e += sym.entsize) {
      const nameOff = u32(e), value = u32(e + 4), shndx = u16(e + 14);
      if (shndx === 0 || nameOff === 0 || nameOff >= str.size) continue; // undefined or unnamed
      const start = str.offset + nameOff;
      let end = start;
      while (end < str.offset + str.size && elf[end] !== 0) end++;
      const name = String.fromCharCode(...elf.subarray(start, Math.min(end, start + 256)));
      if (name && !byName.has(name)) byName.set(name, value);
    }
  }
  return byName.size ? { byName, text } : undefined;
}

/** Whether the machine's RAM holds this ELF's code where it loads it: the
 *  kernel running is the one the symbols describe (a state file of another
 *  kernel, a different build, a firmware boot all fail this). */
export function isRunning(m: Machine, syms: KernelSymbols): boolean {
  if (!syms.text.length) return false;
  const ram = m.ram;
  return syms.text.every(({ paddr, bytes }) => {
    if (paddr + bytes.length > ram.length) return false;
    const there = ram.subarray(paddr, paddr + bytes.length);
    for (let i = 0; i < bytes.length; i++) if (there[i] !== bytes[i]) return false;
    return true;
  });
}
