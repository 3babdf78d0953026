// Multiboot 1 loader (the protocol of GRUB legacy and QEMU -kernel): finds
// the header, places the kernel's segments at their physical addresses, and
// builds the information structure with memory sizes, memory map, command
// line and modules.
import { UserError } from "./errors.js";
import { programHeaders, inFile, PT_LOAD } from "./elf.js";

export const HEADER_MAGIC = 0x1badb002;
export const BOOT_MAGIC = 0x2badb002;
const SEARCH_BYTES = 8192;
const ET_EXEC = 2;
const EM_386 = 3;

const LOW_MEM_KIB = 639; // below the EBDA at 0x9FC00, as a PC BIOS reports

export interface BootModule {
  data: Uint8Array;
  string: string;
}

export interface BootInfo {
  entry: number;
  infoAddr: number;
  /** First byte after everything the loader placed (kernel, info, modules). */
  end: number;
}

interface Segment { paddr: number; data: Uint8Array; memsz: number; }

interface Header { offset: number; flags: number; }

function findHeader(k: Uint8Array, dv: DataView): Header {
  const limit = Math.min(k.length, SEARCH_BYTES) - 12;
  for (let off = 0; off <= limit; off += 4) {
    if (dv.getUint32(off, true) !== HEADER_MAGIC) continue;
    const flags = dv.getUint32(off + 4, true);
    const sum = (HEADER_MAGIC + flags + dv.getUint32(off + 8, true)) >>> 0;
    if (sum === 0) return { offset: off, flags };
  }
  throw new UserError("no valid Multiboot header in the first 8 KiB (magic 0x1BADB002 with a matching checksum)");
}

function elfSegments(k: Uint8Array, dv: DataView): { segments: Segment[]; entry: number } {
  if (k.length < 52 || k[0] !== 0x7f || k[1] !== 0x45 || k[2] !== 0x4c || k[3] !== 0x46) {
    throw new UserError("not an ELF file, and its Multiboot header does not give load addresses (flag 16)");
  }
  if (k[4] !== 1) throw new UserError("not a 32-bit ELF file (ELFCLASS64?); wasm386 runs i386 kernels");
  if (k[5] !== 1) throw new UserError("not a little-endian ELF file");
  const type = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_386) throw new UserError(`ELF machine is ${machine}, not i386 (3)`);
  if (type !== ET_EXEC) throw new UserError(`ELF type is ${type}, not an executable (2)`);
  const entry = dv.getUint32(24, true);
  const headers = programHeaders(k);
  if (!headers) throw new UserError("ELF program headers are missing or lie outside the file");
  const segments: Segment[] = [];
  let physEntry = entry;
  headers.forEach(({ type, offset, vaddr, paddr, filesz, memsz }, i) => {
    if (type !== PT_LOAD) return;
    if (!inFile(k.length, offset, filesz)) throw new UserError(`ELF segment ${i} lies outside the file`);
    if (filesz > memsz) throw new UserError(`ELF segment ${i} has a file size larger than its memory size`);
    segments.push({ paddr, data: k.subarray(offset, offset + filesz), memsz });
    // A higher-half kernel may give a virtual entry point: map it as GRUB does.
    if (entry >= vaddr && entry < vaddr + memsz) physEntry = entry - vaddr + paddr;
  });
  if (segments.length === 0) throw new UserError("ELF file has no loadable segments");
  return { segments, entry: physEntry >>> 0 };
}

// The "a.out kludge": load addresses given in the header itself (flag 16).
function headerSegments(k: Uint8Array, dv: DataView, h: Header): { segments: Segment[]; entry: number } {
  const o = h.offset;
  if (o + 32 > k.length) throw new UserError("Multiboot header with flag 16 is truncated");
  const headerAddr = dv.getUint32(o + 12, true);
  const loadAddr = dv.getUint32(o + 16, true);
  let loadEnd = dv.getUint32(o + 20, true);
  const bssEnd = dv.getUint32(o + 24, true);
  const entry = dv.getUint32(o + 28, true);
  const fileStart = o - (headerAddr - loadAddr);
  if (headerAddr < loadAddr || fileStart < 0) throw new UserError("Multiboot header addresses are inconsistent");
  if (loadEnd === 0) loadEnd = loadAddr + (k.length - fileStart);
  if (loadEnd < loadAddr || fileStart + (loadEnd - loadAddr) > k.length) {
    throw new UserError("Multiboot header load range lies outside the file");
  }
  const filesz = loadEnd - loadAddr;
  const memsz = bssEnd > loadEnd ? bssEnd - loadAddr : filesz;
  return { segments: [{ paddr: loadAddr, data: k.subarray(fileStart, fileStart + filesz), memsz }], entry };
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/**
 * Loads kernel into ram (guest physical memory) and writes the information
 * structure after it. Throws UserError for anything wrong with the inputs.
 */
export function loadMultiboot(
  ram: Uint8Array, kernel: Uint8Array, cmdline: string, modules: BootModule[] = [],
): BootInfo {
  const dv = new DataView(kernel.buffer, kernel.byteOffset, kernel.byteLength);
  const header = findHeader(kernel, dv);
  if (header.flags & 0x4) throw new UserError("the kernel asks for a video mode (Multiboot flag 2); wasm386 has no display");
  const unknownRequired = header.flags & 0xfff8;
  if (unknownRequired) throw new UserError(`the kernel requires Multiboot features 0x${unknownRequired.toString(16)} this loader lacks`);
  const { segments, entry } = header.flags & 0x10000
    ? headerSegments(kernel, dv, header)
    : elfSegments(kernel, dv);

  let end = 0;
  for (const s of segments) {
    if (s.paddr + s.memsz > ram.length) {
      throw new UserError(`the kernel does not fit in ${ram.length >> 20} MiB of RAM (a segment ends at 0x${(s.paddr + s.memsz).toString(16)})`);
    }
    if (s.paddr < 0x1000) throw new UserError(`a kernel segment loads at 0x${s.paddr.toString(16)}, inside the real-mode interrupt table`);
    ram.set(s.data, s.paddr);
    ram.fill(0, s.paddr + s.data.length, s.paddr + s.memsz);
    end = Math.max(end, s.paddr + s.memsz);
  }

  // After the kernel: info structure, memory map, strings, then modules,
  // each module page-aligned.
  const enc = new TextEncoder();
  let p = align(end, 4096);
  const infoAddr = p;
  p += 88;
  const mmapAddr = p;
  const ramKiB = Math.floor(ram.length / 1024);
  const mmap: Array<[number, number, number]> = [
    [0, LOW_MEM_KIB * 1024, 1],
    [LOW_MEM_KIB * 1024, 0xa0000 - LOW_MEM_KIB * 1024, 2],
    [0xf0000, 0x10000, 2],
    [0x100000, ram.length - 0x100000, 1],
  ];
  p += mmap.length * 24;
  const modsAddr = p;
  p += modules.length * 16;
  const strings: Array<[number, Uint8Array]> = [];
  const addString = (s: string) => {
    const bytes = enc.encode(s + "\0");
    const at = p;
    strings.push([at, bytes]);
    p += bytes.length;
    return at;
  };
  const cmdAddr = addString(cmdline);
  const nameAddr = addString("wasm386");
  const modStrings = modules.map((m) => addString(m.string));
  const placed: Array<[number, Uint8Array]> = [];
  for (const m of modules) {
    p = align(p, 4096);
    placed.push([p, m.data]);
    p += m.data.length;
  }
  if (p > ram.length) {
    throw new UserError(`the kernel and its modules (${(p / 1048576).toFixed(1)} MiB) do not fit in ${ram.length >> 20} MiB of RAM`);
  }

  const rv = new DataView(ram.buffer, ram.byteOffset, ram.byteLength);
  ram.fill(0, infoAddr, align(modsAddr + modules.length * 16, 4));
  const flags = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9);
  rv.setUint32(infoAddr + 0, flags, true);
  rv.setUint32(infoAddr + 4, LOW_MEM_KIB, true);
  rv.setUint32(infoAddr + 8, ramKiB - 1024, true);
  rv.setUint32(infoAddr + 12, 0xffffffff, true); // no BIOS boot device
  rv.setUint32(infoAddr + 16, cmdAddr, true);
  rv.setUint32(infoAddr + 20, modules.length, true);
  rv.setUint32(infoAddr + 24, modsAddr, true);
  rv.setUint32(infoAddr + 44, mmap.length * 24, true);
  rv.setUint32(infoAddr + 48, mmapAddr, true);
  rv.setUint32(infoAddr + 64, nameAddr, true);
  mmap.forEach(([base, len, type], i) => {
    const e = mmapAddr + i * 24;
    rv.setUint32(e, 20, true); // size of the entry after this field
    rv.setUint32(e + 4, base, true);
    rv.setUint32(e + 8, 0, true);
    rv.setUint32(e + 12, len, true);
    rv.setUint32(e + 16, 0, true);
    rv.setUint32(e + 20, type, true);
  });
  for (const [at, bytes] of strings) ram.set(bytes, at);
  placed.forEach(([at, data], i) => {
    ram.set(data, at);
    const e = modsAddr + i * 16;
    rv.setUint32(e, at, true);
    rv.setUint32(e + 4, at + data.length, true);
    rv.setUint32(e + 8, modStrings[i], true);
  });
  return { entry, infoAddr, end: p };
}
