// The Linux boot protocol loader (host/linux-boot.ts) on made-up bzImages
// built here from the protocol's field offsets (the kernel's
// Documentation/arch/x86/boot.rst), and, where `npm run fetch-debian` has
// put it, Debian's own 686 kernel up to its console.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isBzImage, loadLinux } from "../../host/linux-boot.js";
import { UserError } from "../../host/errors.js";
import { machineWithLog, root } from "../helpers/machine.js";

const MiB = 1 << 20;

/** A bzImage: setup_sects 4, the header at 0x1f1, a protected-mode part. */
function bzImage(opts: { version?: number; loadflags?: number; pm?: Uint8Array; initSize?: number } = {}): Uint8Array {
  const pm = opts.pm ?? new Uint8Array([0xf4, 1, 2, 3]);
  const k = new Uint8Array(5 * 512 + pm.length);
  const dv = new DataView(k.buffer);
  k[0x1f1] = 4; // setup_sects
  dv.setUint16(0x1fe, 0xaa55, true);
  k[0x200] = 0xeb; k[0x201] = 0x66; // jmp over a header that ends at 0x268
  dv.setUint32(0x202, 0x53726448, true); // "HdrS"
  dv.setUint16(0x206, opts.version ?? 0x020f, true);
  k[0x211] = opts.loadflags ?? 1;
  dv.setUint32(0x214, 0x100000, true); // code32_start
  dv.setUint32(0x22c, 0x7fffffff, true); // initrd_addr_max
  dv.setUint32(0x238, 2047, true); // cmdline_size
  dv.setUint32(0x260, opts.initSize ?? 0x1000, true);
  k.set(pm, 5 * 512);
  return k;
}

function rejects(kernel: Uint8Array, pattern: RegExp, ramMiB = 16, initrd?: Uint8Array) {
  try {
    loadLinux(new Uint8Array(ramMiB * MiB), kernel, "console=ttyS0", initrd);
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, pattern);
    assert.not.match((e as Error).message, /\n/, "one line");
    return;
  }
  assert.unreachable("the loader accepted a kernel it cannot start");
}

test("a bzImage is told from an ELF and from a truncated file", () => {
  assert.ok(isBzImage(bzImage()));
  assert.not.ok(isBzImage(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, ...new Array(0x300).fill(0)])));
  assert.not.ok(isBzImage(bzImage().subarray(0, 0x200)));
});

test("the zero page: the header copied, the command line, the initrd at the top of RAM, an e820 map", () => {
  const ram = new Uint8Array(32 * MiB);
  const initrd = new Uint8Array(5000).fill(7);
  const boot = loadLinux(ram, bzImage(), "console=ttyS0 quiet", initrd);
  assert.is(boot.entry, 0x100000);
  assert.equal([...ram.subarray(0x100000, 0x100004)], [0xf4, 1, 2, 3], "the protected-mode part at 1 MiB");
  const zp = new DataView(ram.buffer, boot.bootParams, 4096);
  assert.is(zp.getUint32(0x202, true), 0x53726448, "HdrS copied");
  assert.is(zp.getUint8(0x210), 0xff, "type_of_loader");
  const cmd = zp.getUint32(0x228, true);
  assert.is(new TextDecoder().decode(ram.subarray(cmd, cmd + 19)), "console=ttyS0 quiet");
  assert.is(ram[cmd + 19], 0, "NUL-terminated");
  const at = zp.getUint32(0x218, true), size = zp.getUint32(0x21c, true);
  assert.is(size, 5000);
  assert.is(at % 4096, 0);
  assert.ok(at + size <= ram.length && at + size > ram.length - 4096, "as high as it goes");
  assert.is(ram[at + 4999], 7);
  const entries = zp.getUint8(0x1e8);
  const map = Array.from({ length: entries }, (_, i) => [
    Number(zp.getBigUint64(0x2d0 + i * 20, true)), Number(zp.getBigUint64(0x2d0 + i * 20 + 8, true)), zp.getUint32(0x2d0 + i * 20 + 16, true),
  ]);
  const usable = map.filter(([, , t]) => t === 1).reduce((n, [, s]) => n + s, 0);
  assert.ok(usable > 31 * MiB && usable < 32 * MiB, `usable ${usable}`);
  assert.ok(map.some(([a, s, t]) => t === 1 && a === 0x100000 && a + s === 32 * MiB), "RAM above 1 MiB to the end");
  assert.not.ok(map.some(([a, s, t]) => t === 1 && a < 0x100000 && a + s > 0xa0000), "no usable RAM in the hole");
});

test("kernels it cannot start: one-line errors", () => {
  rejects(bzImage({ version: 0x0204 }), /boot protocol is 2\.04; this loader needs 2\.06/);
  rejects(bzImage({ loadflags: 0 }), /zImage/);
  rejects(bzImage({ initSize: 40 * MiB }), /needs 41 MiB of RAM.*--mem/);
  rejects(bzImage(), /initrd .* does not fit/, 2, new Uint8Array(1.5 * MiB));
  const long = "x".repeat(3000);
  try { loadLinux(new Uint8Array(16 * MiB), bzImage(), long); assert.unreachable(); } catch (e) {
    assert.match((e as Error).message, /command line is 3000 bytes; this kernel takes at most 2047/);
  }
});

const debianKernel = existsSync(`${root}build/debian/boot`)
  ? readdirSync(`${root}build/debian/boot`).find((f) => f.startsWith("vmlinuz-")) : undefined;
if (!debianKernel) console.log("skipping Debian's kernel: run npm run fetch-debian to get it");
(debianKernel ? test : test.skip)("Debian's 686 kernel starts through the protocol and reaches its serial console", async () => {
  const { m, serial } = await machineWithLog({
    kernel: readFileSync(`${root}build/debian/boot/${debianKernel}`), kernelName: debianKernel!, cmdline: "console=ttyS0",
    memoryMiB: 128,
  });
  while (m.instructions < 3e9 && !/printk: console \[ttyS0\] enabled/.test(serial())) m.runSlice(2_000_000);
  const out = serial();
  assert.match(out, /Linux version 6\.\d+/);
  assert.match(out, /Kernel command line: console=ttyS0\r?\n/);
  assert.match(out, /BIOS-e820: \[mem 0x0000000000100000-0x0000000007ffffff\] usable/);
  assert.match(out, /printk: console \[ttyS0\] enabled/);
  assert.not.match(out, /unchecked MSR access error/);
});

test.run();
