// Builds small ELF32 executables carrying a Multiboot header, for loader tests.
export interface ElfSpec {
  cls?: number; // EI_CLASS: 1 = 32-bit
  data?: number; // EI_DATA: 1 = little-endian
  machine?: number; // e_machine: 3 = i386
  type?: number; // e_type: 2 = executable
  entry?: number;
  segments?: Array<{ vaddr: number; paddr: number; bytes: Uint8Array; memsz?: number }>;
  multiboot?: boolean | { flags: number; checksumOk?: boolean };
}

export function multibootHeader(flags = 3, checksumOk = true): Uint8Array {
  const h = new Uint8Array(12);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, 0x1badb002, true);
  dv.setUint32(4, flags, true);
  dv.setUint32(8, (-(0x1badb002 + flags) + (checksumOk ? 0 : 1)) >>> 0, true);
  return h;
}

export function makeElf(spec: ElfSpec = {}): Uint8Array {
  const segs = spec.segments ?? [{ vaddr: 0x100000, paddr: 0x100000, bytes: new Uint8Array([0xf4]) }];
  const phoff = 52;
  const hdrOff = phoff + 32 * segs.length;
  const mb = spec.multiboot === false ? new Uint8Array(0)
    : typeof spec.multiboot === "object"
      ? multibootHeader(spec.multiboot.flags, spec.multiboot.checksumOk ?? true)
      : multibootHeader();
  let off = hdrOff + mb.length;
  const offsets = segs.map((s) => { const o = off; off += s.bytes.length; return o; });
  const out = new Uint8Array(off);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, spec.cls ?? 1, spec.data ?? 1, 1], 0);
  dv.setUint16(16, spec.type ?? 2, true);
  dv.setUint16(18, spec.machine ?? 3, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, spec.entry ?? segs[0].vaddr, true);
  dv.setUint32(28, phoff, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, 32, true);
  dv.setUint16(44, segs.length, true);
  segs.forEach((s, i) => {
    const p = phoff + 32 * i;
    dv.setUint32(p, 1, true); // PT_LOAD
    dv.setUint32(p + 4, offsets[i], true);
    dv.setUint32(p + 8, s.vaddr, true);
    dv.setUint32(p + 12, s.paddr, true);
    dv.setUint32(p + 16, s.bytes.length, true);
    dv.setUint32(p + 20, s.memsz ?? s.bytes.length, true);
    dv.setUint32(p + 24, 7, true);
    out.set(s.bytes, offsets[i]);
  });
  out.set(mb, hdrOff);
  return out;
}
