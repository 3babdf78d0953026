// ELF32 program headers, read with every offset checked against the file:
// what the Multiboot loader loads and what the monitor compares with RAM.

export const PT_LOAD = 1;
export const PF_X = 1;

export interface ProgramHeader { type: number; offset: number; vaddr: number; paddr: number; filesz: number; memsz: number; flags: number }

/** The program headers of an ELF32 little-endian file whose identification
 *  and header were checked by the caller, or null when the table is empty
 *  or lies outside the file. */
export function programHeaders(elf: Uint8Array): ProgramHeader[] | null {
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const phoff = dv.getUint32(28, true), phentsize = dv.getUint16(42, true), phnum = dv.getUint16(44, true);
  if (phnum === 0 || phentsize < 32 || phoff > elf.length || phnum * phentsize > elf.length - phoff) return null;
  const out: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    const u32 = (o: number) => dv.getUint32(p + o, true);
    out.push({ type: u32(0), offset: u32(4), vaddr: u32(8), paddr: u32(12), filesz: u32(16), memsz: u32(20), flags: u32(24) });
  }
  return out;
}

/** Whether len bytes at off lie inside a file of size bytes. */
export function inFile(size: number, off: number, len: number): boolean {
  return off <= size && len <= size - off;
}
