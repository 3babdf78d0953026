import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadMultiboot } from "../../host/multiboot.js";
import { UserError } from "../../host/errors.js";
import { makeElf, multibootHeader } from "../helpers/elf.js";

const MiB = 1048576;
const u32 = (ram: Uint8Array, at: number) => new DataView(ram.buffer).getUint32(at, true);
const cstr = (ram: Uint8Array, at: number) => {
  let end = at;
  while (ram[end]) end++;
  return new TextDecoder().decode(ram.subarray(at, end));
};

function rejects(kernel: Uint8Array, pattern: RegExp, ramMiB = 16) {
  const ram = new Uint8Array(ramMiB * MiB);
  try {
    loadMultiboot(ram, kernel, "k");
  } catch (e) {
    assert.instance(e, UserError);
    assert.match((e as Error).message, pattern);
    assert.not.match((e as Error).message, /\n/, "one line");
    return;
  }
  assert.unreachable("loader accepted a bad image");
}

test("loads PT_LOAD segments at their physical addresses and zeroes bss", () => {
  const code = new Uint8Array([0x90, 0x90, 0xf4]);
  const data = new Uint8Array([1, 2, 3, 4]);
  const k = makeElf({
    segments: [
      { vaddr: 0x100000, paddr: 0x100000, bytes: code },
      { vaddr: 0x200000, paddr: 0x200000, bytes: data, memsz: 0x20 },
    ],
  });
  const ram = new Uint8Array(8 * MiB).fill(0xaa);
  const info = loadMultiboot(ram, k, "k");
  assert.equal([...ram.subarray(0x100000, 0x100003)], [...code]);
  assert.equal([...ram.subarray(0x200000, 0x200004)], [...data]);
  assert.ok(ram.subarray(0x200004, 0x200020).every((b) => b === 0), "bss zeroed");
  assert.is(ram[0x200020], 0xaa, "nothing past memsz touched");
  assert.is(info.entry, 0x100000);
  assert.ok(info.infoAddr >= 0x200020 && info.infoAddr % 4096 === 0, "info after the kernel, page-aligned");
});

test("a higher-half entry point is translated to its physical address", () => {
  const k = makeElf({
    entry: 0xc0100010,
    segments: [{ vaddr: 0xc0100000, paddr: 0x100000, bytes: new Uint8Array(32) }],
  });
  const info = loadMultiboot(new Uint8Array(4 * MiB), k, "k");
  assert.is(info.entry, 0x100010);
});

test("the information structure: memory, command line, loader name, memory map, modules", () => {
  const ram = new Uint8Array(32 * MiB);
  const mod0 = new Uint8Array(5000).fill(7);
  const mod1 = new Uint8Array([9, 9, 9]);
  const info = loadMultiboot(ram, makeElf(), "images/kernel.elf console=ttyS0",
    [{ data: mod0, string: "initrd" }, { data: mod1, string: "second arg" }]);
  const i = info.infoAddr;
  const flags = u32(ram, i);
  for (const bit of [0, 2, 3, 6, 9]) assert.ok(flags & (1 << bit), `flag bit ${bit}`);
  assert.is(u32(ram, i + 4), 639, "mem_lower in KiB");
  assert.is(u32(ram, i + 8), 32 * 1024 - 1024, "mem_upper in KiB");
  assert.is(cstr(ram, u32(ram, i + 16)), "images/kernel.elf console=ttyS0");
  assert.is(cstr(ram, u32(ram, i + 64)), "wasm386");
  // Memory map: available RAM is exactly [0, 639K) and [1M, 32M).
  const mmapLen = u32(ram, i + 44), mmapAddr = u32(ram, i + 48);
  const avail: Array<[number, number]> = [];
  for (let e = mmapAddr; e < mmapAddr + mmapLen; e += u32(ram, e) + 4) {
    if (u32(ram, e + 20) === 1) avail.push([u32(ram, e + 4), u32(ram, e + 12)]);
  }
  assert.equal(avail, [[0, 639 * 1024], [MiB, 31 * MiB]]);
  // Modules: count, page-aligned, contents, strings, and inside RAM.
  assert.is(u32(ram, i + 20), 2);
  const m = u32(ram, i + 24);
  const start0 = u32(ram, m), end0 = u32(ram, m + 4);
  const start1 = u32(ram, m + 16), end1 = u32(ram, m + 20);
  assert.is(start0 % 4096, 0);
  assert.is(start1 % 4096, 0);
  assert.is(end0 - start0, 5000);
  assert.is(end1 - start1, 3);
  assert.ok(start1 >= end0, "modules do not overlap");
  assert.equal([...ram.subarray(start0, end0)], [...mod0]);
  assert.equal([...ram.subarray(start1, end1)], [...mod1]);
  assert.is(cstr(ram, u32(ram, m + 8)), "initrd");
  assert.is(cstr(ram, u32(ram, m + 24)), "second arg");
  assert.ok(info.end >= end1 && info.end <= ram.length);
});

test("the a.out kludge (header flag 16) loads from the header's addresses", () => {
  // A flat binary: the header at file offset 0, loaded at 0x100000, entry 0x100020.
  const flags = 0x10003;
  const bin = new Uint8Array(64);
  bin.set(multibootHeader(flags), 0);
  const dv = new DataView(bin.buffer);
  dv.setUint32(12, 0x100000, true); // header_addr
  dv.setUint32(16, 0x100000, true); // load_addr
  dv.setUint32(20, 0x100040, true); // load_end_addr
  dv.setUint32(24, 0x100100, true); // bss_end_addr
  dv.setUint32(28, 0x100020, true); // entry_addr
  bin[0x20] = 0xf4;
  const ram = new Uint8Array(4 * MiB).fill(0xcc);
  const info = loadMultiboot(ram, bin, "k");
  assert.is(info.entry, 0x100020);
  assert.is(ram[0x100020], 0xf4);
  assert.ok(ram.subarray(0x100040, 0x100100).every((b) => b === 0), "bss zeroed");
});

test("rejects a file with no Multiboot header", () => {
  rejects(makeElf({ multiboot: false }), /no valid Multiboot header/);
  rejects(new TextEncoder().encode("just some text, not a kernel"), /no valid Multiboot header/);
  rejects(new Uint8Array(0), /no valid Multiboot header/);
});

test("rejects a header whose checksum is wrong", () => {
  rejects(makeElf({ multiboot: { flags: 3, checksumOk: false } }), /no valid Multiboot header/);
});

test("rejects ELF files that are not i386 executables", () => {
  rejects(makeElf({ cls: 2 }), /not a 32-bit ELF/);
  rejects(makeElf({ data: 2 }), /little-endian/);
  rejects(makeElf({ machine: 62 }), /machine is 62, not i386/);
  rejects(makeElf({ type: 1 }), /not an executable/);
});

test("rejects a header-only file that is not ELF", () => {
  const bin = new Uint8Array(64);
  bin.set(multibootHeader(3), 0);
  rejects(bin, /not an ELF file/);
});

test("rejects a kernel that does not fit in RAM", () => {
  const big = makeElf({ segments: [{ vaddr: 0x100000, paddr: 0x100000, bytes: new Uint8Array(16), memsz: 8 * MiB }] });
  rejects(big, /does not fit in 4 MiB/, 4);
  const high = makeElf({ segments: [{ vaddr: 0x40000000, paddr: 0x40000000, bytes: new Uint8Array(16) }] });
  rejects(high, /does not fit/);
});

test("rejects modules that do not fit in RAM", () => {
  const ram = new Uint8Array(4 * MiB);
  assert.throws(() => loadMultiboot(ram, makeElf(), "k", [{ data: new Uint8Array(4 * MiB), string: "m" }]),
    (e: Error) => e instanceof UserError && /modules .* do not fit/.test(e.message));
});

test("rejects truncated and inconsistent ELF files", () => {
  const k = makeElf();
  const dv = new DataView(k.buffer);
  const badPh = k.slice();
  new DataView(badPh.buffer).setUint32(28, 1 << 20, true); // e_phoff far outside
  rejects(badPh, /program headers/);
  const badSeg = k.slice();
  new DataView(badSeg.buffer).setUint32(52 + 4, 1 << 20, true); // p_offset outside
  rejects(badSeg, /outside the file/);
  const noLoad = k.slice();
  new DataView(noLoad.buffer).setUint32(52, 4, true); // PT_NOTE only
  rejects(noLoad, /no loadable segments/);
  assert.ok(dv.getUint32(0, true) === 0x464c457f);
});

test("rejects kernels that require a video mode or unknown features", () => {
  rejects(makeElf({ multiboot: { flags: 0x7 } }), /video mode/);
  rejects(makeElf({ multiboot: { flags: 0x3 | 0x100 } }), /requires Multiboot features 0x100/);
});

test.run();
