// The ATA disk: the guest in test/guest/disk/ata.c against a generated
// image (its transcript compared with QEMU's, its writes checked in the
// image), and the controller's registers driven directly.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { machineWithLog, root } from "../helpers/machine.js";
import { haveQemu, QEMU } from "../helpers/qemu.js";
import { memoryDisk, overlayDisk } from "../../host/disk.js";
import { qemuArgs } from "../../scripts/guests.js";

const SECTORS = 8192; // 4 MiB
const guestFile = "images/test/disk/ata.elf";

function makeImage(): Uint8Array {
  const img = new Uint8Array(SECTORS * 512);
  let x = 0x12345678;
  for (let i = 0; i < img.length; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    img[i] = x; img[i + 1] = x >>> 8; img[i + 2] = x >>> 16; img[i + 3] = x >>> 24;
  }
  return img;
}

// The guest's write pattern, as test/guest/disk/ata.c computes it.
function patternSector(lba: number): Uint8Array {
  const s = new Uint8Array(512);
  const dv = new DataView(s.buffer);
  for (let i = 0; i < 128; i++) {
    const v = (Math.imul(lba, 0x9e3779b9) ^ Math.imul(i, 0x85ebca6b) ^ 0x5a5a0000) >>> 0;
    dv.setUint32(i * 4, v, true);
  }
  return s;
}

async function runGuest(disk: ReturnType<typeof memoryDisk>) {
  const { m, serial } = await machineWithLog({
    kernel: readFileSync(`${root}${guestFile}`), kernelName: guestFile, cmdline: "ata", memoryMiB: 64, disk,
  });
  const outcome = await m.runUntilDone({ maxInstructions: 200_000_000 });
  assert.equal(outcome, { reason: "exit", exitCode: 1 }, serial());
  return serial().replace(/\r\n/g, "\n");
}

test("the guest's reads and writes land in the image exactly where they should", async () => {
  const original = makeImage();
  const img = original.slice();
  const transcript = await runGuest(memoryDisk(img));
  assert.match(transcript, /read back matches: 1/);
  assert.match(transcript, /irq read x3: irqs 3/);
  assert.match(transcript, /irq write x2: irqs 2 status 50/);
  const expect = original.slice();
  for (const lba of [300, 301, ...Array.from({ length: 10 }, (_, i) => 400 + i), 6000]) {
    expect.set(patternSector(lba), lba * 512);
  }
  for (const [lba, word] of [[500, 0x1234], [501, 0x1235]]) {
    for (let i = 0; i < 256; i++) { expect[lba * 512 + 2 * i] = word & 0xff; expect[lba * 512 + 2 * i + 1] = word >> 8; }
  }
  for (let s = 0; s < SECTORS; s++) {
    const a = img.subarray(s * 512, (s + 1) * 512), b = expect.subarray(s * 512, (s + 1) * 512);
    if (!a.every((v, i) => v === b[i])) assert.unreachable(`sector ${s} differs from what the guest wrote`);
  }
});

const qemuTest = haveQemu ? test : test.skip;
if (!haveQemu) console.log("skipping: the ATA comparison with QEMU needs qemu-system-i386");
qemuTest("same transcript and same resulting image as QEMU's IDE disk", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wasm386-ata-"));
  const file = join(dir, "disk.img");
  writeFileSync(file, makeImage());
  const r = spawnSync(QEMU, [...qemuArgs({ name: "ata", kind: "elf", file: guestFile }),
    "-drive", `file=${file},format=raw,if=ide,index=0`], { cwd: root, encoding: "latin1", timeout: 120_000 });
  assert.is(r.status, 1, r.stderr);
  const img = makeImage();
  const ours = await runGuest(memoryDisk(img));
  assert.is(ours, r.stdout.replace(/\r\n/g, "\n"));
  assert.ok(Buffer.from(img).equals(readFileSync(file)), "the images differ");
});

// ---- The registers directly --------------------------------------------------

async function ata(disk = memoryDisk(makeImage())) {
  const { m } = await machineWithLog({ memoryMiB: 2, disk });
  return {
    m,
    out: (p: number, v: number) => m.ioWrite(p, v),
    in: (p: number) => m.ioRead(p),
    word: () => m.ioRead(0x1f0, 2),
  };
}

test("IDENTIFY DEVICE: geometry, capacity, model, checksum", async () => {
  const a = await ata();
  a.out(0x1f6, 0xa0);
  a.out(0x1f7, 0xec);
  assert.is(a.in(0x1f7), 0x58, "DRDY DSC DRQ");
  const w: number[] = [];
  for (let i = 0; i < 256; i++) w.push(a.word());
  assert.is(w[0], 0x0040);
  assert.is(w[60] | (w[61] << 16), SECTORS);
  assert.is(w[100] | (w[101] << 16), SECTORS);
  assert.is(w[3], 16);
  assert.is(w[6], 63);
  assert.is(w[1], Math.floor(SECTORS / (16 * 63)));
  const model = w.slice(27, 47).map((v) => String.fromCharCode(v >> 8, v & 0xff)).join("").trim();
  assert.is(model, "WASM386 HARDDISK");
  const bytes = w.flatMap((v) => [v & 0xff, v >> 8]);
  assert.is(bytes.reduce((s, b) => s + b, 0) & 0xff, 0, "integrity checksum");
  assert.is(a.in(0x1f7), 0x50, "DRQ off after the last word");
});

test("no slave: status reads 0 and commands are ignored", async () => {
  const a = await ata();
  a.out(0x1f6, 0xb0);
  assert.is(a.in(0x1f7), 0);
  a.out(0x1f7, 0xec);
  assert.is(a.in(0x1f7), 0);
  a.out(0x1f6, 0xa0);
  assert.is(a.in(0x1f7), 0x50);
});

test("no disk attached: the bus floats", async () => {
  const { m } = await machineWithLog({ memoryMiB: 2 });
  assert.is(m.ioRead(0x1f7), 0);
  assert.is(m.ioRead(0x1f2), 0xff);
});

test("LBA48 registers keep the previous byte, readable with HOB", async () => {
  const a = await ata();
  a.out(0x1f2, 0x12); a.out(0x1f2, 0x34);
  a.out(0x1f3, 0x56); a.out(0x1f3, 0x78);
  assert.is(a.in(0x1f2), 0x34);
  a.out(0x3f6, 0x80);
  assert.is(a.in(0x1f2), 0x12);
  assert.is(a.in(0x1f3), 0x56);
});

test("SET MULTIPLE MODE accepts powers of two up to 16; READ MULTIPLE needs it", async () => {
  const a = await ata();
  a.out(0x1f6, 0xe0);
  a.out(0x1f2, 1); a.out(0x1f7, 0xc4);
  assert.is(a.in(0x1f7) & 1, 1, "READ MULTIPLE without a mode aborts");
  assert.is(a.in(0x1f1), 0x04);
  a.out(0x1f2, 3); a.out(0x1f7, 0xc6);
  assert.is(a.in(0x1f1), 0x04, "3 is refused");
  a.out(0x1f2, 16); a.out(0x1f7, 0xc6);
  assert.is(a.in(0x1f7), 0x50);
});

test("nIEN masks INTRQ; reading the status acknowledges it, the alternate status does not", async () => {
  const a = await ata();
  a.out(0x21, 0xfb); a.out(0xa1, 0xbf); // open IRQ 2 and 14 (BIOS vectors)
  const irr14 = () => { a.out(0xa0, 0x0a); return (a.in(0xa0) >> 6) & 1; };
  a.out(0x1f6, 0xe0); a.out(0x1f2, 1); a.out(0x1f3, 0); a.out(0x1f4, 0); a.out(0x1f5, 0);
  a.out(0x1f7, 0x20);
  assert.is(irr14(), 1, "IRQ 14 raised with data ready");
  a.in(0x3f6);
  assert.is(irr14(), 1, "alternate status leaves it");
  a.in(0x1f7);
  assert.is(irr14(), 0, "status read acknowledges");
  a.out(0x3f6, 0x02);
  a.out(0x1f7, 0xe7);
  assert.is(irr14(), 0, "masked by nIEN");
});

test("software reset restores the signature and keeps the disk", async () => {
  const a = await ata();
  a.out(0x1f2, 9); a.out(0x1f3, 9);
  a.out(0x3f6, 0x04);
  assert.is(a.in(0x3f6) & 0x80, 0x80, "BSY while SRST is held");
  a.out(0x3f6, 0x00);
  assert.equal([a.in(0x1f2), a.in(0x1f3), a.in(0x1f4), a.in(0x1f5), a.in(0x1f7)], [1, 1, 0, 0, 0x50]);
});

test("a backend that throws gives the guest an I/O error, not a host crash", async () => {
  const broken = { sectors: 100, read() { throw new Error("EIO"); }, write() { throw new Error("EIO"); }, flush() {} };
  const a = await ata(broken);
  a.out(0x1f6, 0xe0); a.out(0x1f2, 1); a.out(0x1f3, 5); a.out(0x1f4, 0); a.out(0x1f5, 0);
  a.out(0x1f7, 0x20);
  assert.is(a.in(0x1f7) & 0x01, 1);
  assert.is(a.in(0x1f1), 0x40, "UNC");
  assert.is(a.m.diskError?.message, "EIO");
});

test("an overlay keeps writes from its base", async () => {
  const base = makeImage();
  const copy = base.slice();
  const over = overlayDisk(memoryDisk(copy));
  const a = await ata(over);
  a.out(0x1f6, 0xe0); a.out(0x1f2, 1); a.out(0x1f3, 7); a.out(0x1f4, 0); a.out(0x1f5, 0);
  a.out(0x1f7, 0x30);
  for (let i = 0; i < 256; i++) a.m.ioWrite(0x1f0, 0xbeef, 2);
  assert.is(a.in(0x1f7), 0x50);
  assert.ok(Buffer.from(copy).equals(Buffer.from(base)), "base unchanged");
  assert.is(over.dirtySectors, 1);
  a.out(0x1f2, 1); a.out(0x1f3, 7); a.out(0x1f7, 0x20);
  assert.is(a.word(), 0xbeef, "reads see the overlay");
});

test.run();
