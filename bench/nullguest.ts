// The null guest, for measuring start-up: a Multiboot image (no ELF: the
// header gives its load addresses, flag 16, which wasm386, QEMU and GRUB
// all accept) whose only code writes 0 to the debug-exit port 0xF4, so
// the run ends at its first instructions with exit status (0 << 1) | 1.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MAGIC = 0x1badb002, FLAGS = 0x10000, LOAD = 0x100000, CODE = 32;

export function nullGuest(): Uint8Array {
  const image = new Uint8Array(CODE + 8);
  const dv = new DataView(image.buffer);
  const header = [MAGIC, FLAGS, (-(MAGIC + FLAGS)) >>> 0, LOAD /* header */, LOAD /* load */, 0 /* to the end */, 0 /* no bss */, LOAD + CODE /* entry */];
  header.forEach((v, i) => dv.setUint32(i * 4, v, true));
  // xor eax, eax; out 0xf4, eax; cli; hlt; jmp $-4
  image.set([0x31, 0xc0, 0xe7, 0xf4, 0xfa, 0xf4, 0xeb, 0xfc], CODE);
  return image;
}

/** The null guest as a file in a new temporary folder; returns its path. */
export function writeNullGuest(dir = mkdtempSync(join(tmpdir(), "wasm386-bench-"))): string {
  const path = join(dir, "null.bin");
  writeFileSync(path, nullGuest());
  return path;
}
