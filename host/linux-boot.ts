// The Linux/x86 boot protocol, 32-bit entry (the kernel's
// Documentation/arch/x86/boot.rst): what QEMU's -kernel and GRUB's linux
// do for a bzImage. The protected-mode kernel goes to 1 MiB, the zero page
// (struct boot_params: a copy of the setup header, an e820 memory map, the
// command line and initrd pointers) below it, and the CPU starts at the
// 32-bit entry with ESI pointing at the zero page.
import { UserError } from "./errors.js";

/** Where the loader puts things in guest physical memory. */
const ZERO_PAGE = 0x10000;
const CMDLINE = 0x20000;
const KERNEL_AT = 0x100000;
const LOW_MEM_END = 0x9fc00; // conventional memory, below the EBDA

export interface LinuxBoot { entry: number; bootParams: number }

/** A bzImage: the setup header's "HdrS" magic at 0x202 and boot flag 0xAA55. */
export function isBzImage(kernel: Uint8Array): boolean {
  if (kernel.length < 0x260) return false;
  const dv = new DataView(kernel.buffer, kernel.byteOffset, kernel.byteLength);
  return dv.getUint16(0x1fe, true) === 0xaa55 && dv.getUint32(0x202, true) === 0x53726448;
}

/**
 * Loads a bzImage (and an initrd) into ram and writes the zero page.
 * Throws UserError for a kernel this loader cannot start.
 */
export function loadLinux(ram: Uint8Array, kernel: Uint8Array, cmdline: string, initrd?: Uint8Array): LinuxBoot {
  const dv = new DataView(kernel.buffer, kernel.byteOffset, kernel.byteLength);
  const version = dv.getUint16(0x206, true);
  if (version < 0x0206) {
    throw new UserError(`the kernel's boot protocol is ${version >> 8}.${(version & 0xff).toString().padStart(2, "0")}; this loader needs 2.06 or later (Linux 2.6.22 and newer)`);
  }
  const loadflags = kernel[0x211];
  if ((loadflags & 1) === 0) throw new UserError("the kernel is a zImage (loaded low); only bzImages are supported");
  const setupSects = kernel[0x1f1] || 4;
  const pmStart = (setupSects + 1) * 512;
  if (pmStart >= kernel.length) throw new UserError("the bzImage is truncated: its setup code runs past the end of the file");
  const pm = kernel.subarray(pmStart);
  // The kernel decompresses itself in place: it needs init_size bytes from
  // where it is loaded, more than the file holds.
  const initSize = dv.getUint32(0x260, true);
  const needed = KERNEL_AT + Math.max(initSize, pm.length);
  if (needed > ram.length) {
    throw new UserError(`the kernel needs ${Math.ceil(needed / (1 << 20))} MiB of RAM to unpack itself; give it more with --mem`);
  }
  ram.set(pm, KERNEL_AT);

  const cmd = new TextEncoder().encode(cmdline);
  const cmdlineMax = dv.getUint32(0x238, true);
  if (cmd.length > cmdlineMax) throw new UserError(`the command line is ${cmd.length} bytes; this kernel takes at most ${cmdlineMax}`);
  ram.fill(0, CMDLINE, CMDLINE + cmd.length + 1);
  ram.set(cmd, CMDLINE);

  const zp = new DataView(ram.buffer, ram.byteOffset + ZERO_PAGE, 4096);
  ram.fill(0, ZERO_PAGE, ZERO_PAGE + 4096);
  // The setup header, copied as the kernel laid it out (its length is in
  // the byte after the jump at 0x200).
  const headerEnd = 0x202 + kernel[0x201];
  ram.set(kernel.subarray(0x1f1, headerEnd), ZERO_PAGE + 0x1f1);
  zp.setUint8(0x210, 0xff); // type_of_loader: undefined
  zp.setUint8(0x211, loadflags | 0x80); // CAN_USE_HEAP
  zp.setUint16(0x224, 0xfe00, true); // heap_end_ptr (as a real-mode loader would)
  zp.setUint32(0x228, CMDLINE, true);

  if (initrd) {
    const max = Math.min(dv.getUint32(0x22c, true), ram.length - 1);
    const at = Math.floor((max + 1 - initrd.length) / 4096) * 4096;
    if (at < needed) throw new UserError(`the initrd (${initrd.length} bytes) does not fit above the kernel in ${ram.length >> 20} MiB; give it more with --mem`);
    ram.set(initrd, at);
    zp.setUint32(0x218, at, true);
    zp.setUint32(0x21c, initrd.length, true);
  }

  // The memory map (e820): low memory, the ROM area reserved, the rest.
  const map: Array<[number, number, number]> = [
    [0, LOW_MEM_END, 1],
    [LOW_MEM_END, 0xa0000 - LOW_MEM_END, 2],
    [0xf0000, 0x10000, 2],
    [0x100000, ram.length - 0x100000, 1],
  ];
  map.forEach(([addr, size, type], i) => {
    const o = 0x2d0 + i * 20;
    zp.setBigUint64(o, BigInt(addr), true);
    zp.setBigUint64(o + 8, BigInt(size), true);
    zp.setUint32(o + 16, type, true);
  });
  zp.setUint8(0x1e8, map.length);
  zp.setUint32(0x1e0, (ram.length - 0x100000) >> 10, true); // alt_mem_k
  return { entry: dv.getUint32(0x214, true) || KERNEL_AT, bootParams: ZERO_PAGE };
}
