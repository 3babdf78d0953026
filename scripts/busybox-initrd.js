#!/usr/bin/env node
// build/busybox.cpio: the teaching kernel's initrd made a busybox system
// with Debian's busybox-static (npm run fetch-debian puts it in
// build/debian/): /bin/busybox as /init (busybox init), the files of
// kernel/busybox/ (its inittab, rcS, profile, motd), and the teaching
// kernel's modules; its own programs in /bin give way to busybox's, whose
// links rcS makes at boot (busybox --install -s). `npm run busybox` builds
// it and boots it. Also used by the tests (test/linux/).
import { readFileSync, writeFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BUSYBOX = join(root, "build", "debian", "bin", "busybox");

/** The members of a newc cpio archive: { name, mode, data }.
 *  @param {Uint8Array} bytes @returns {{ name: string, mode: number, data: Uint8Array }[]} */
export function readCpio(bytes) {
  const out = [];
  const text = (at, n) => Buffer.from(bytes.subarray(at, at + n)).toString("latin1");
  const hex = (at) => parseInt(text(at, 8), 16);
  for (let at = 0; at + 110 <= bytes.length;) {
    if (text(at, 6) !== "070701") throw new Error(`cpio: bad magic at ${at}`);
    const mode = hex(at + 14), size = hex(at + 54), namesize = hex(at + 94);
    const name = text(at + 110, namesize - 1);
    const dataAt = (at + 110 + namesize + 3) & ~3;
    if (name === "TRAILER!!!") break;
    out.push({ name, mode, data: bytes.subarray(dataAt, dataAt + size) });
    at = (dataAt + size + 3) & ~3;
  }
  return out;
}

/** A newc archive of members, numbered in order, with fixed owners and
 *  times (as scripts/images.js writes images/initrd.cpio). */
/** @param {{ name: string, mode: number, data: Uint8Array }[]} members */
export function writeCpio(members) {
  const parts = [];
  const pad4 = (n) => Buffer.alloc((4 - (n % 4)) % 4);
  const member = (name, mode, data, ino) => {
    const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length + 1, 0];
    const header = "070701" + fields.map((v) => v.toString(16).padStart(8, "0")).join("");
    const head = Buffer.concat([Buffer.from(header, "latin1"), Buffer.from(name + "\0", "latin1")]);
    parts.push(head, pad4(head.length), Buffer.from(data), pad4(data.length));
  };
  members.forEach((m, i) => member(m.name, m.mode, m.data, i + 1));
  member("TRAILER!!!", 0, new Uint8Array(0), 0);
  return Buffer.concat(parts);
}

export const DIR = 0o40755, FILE = 0o100644, EXEC = 0o100755, LINK = 0o120777;

/** The teaching initrd's members as a busybox system's: its /bin and /init
 *  go, busybox and the links init needs come, the directories the applets'
 *  links go in are made. */
/** @param {{ name: string, mode: number, data: Uint8Array }[]} members @param {Uint8Array} busybox */
export function busyboxSystem(members, busybox) {
  const kept = members.filter((m) => m.name !== "init" && m.name !== "bin" && !m.name.startsWith("bin/"));
  const names = new Set(kept.map((m) => m.name));
  /** @param {string} name @param {number} mode @param {Uint8Array | string} [data] */
  const add = (name, mode, data = new Uint8Array(0)) => {
    const m = { name, mode, data: typeof data === "string" ? Buffer.from(data) : data };
    if (names.has(name)) kept[kept.findIndex((k) => k.name === name)] = m; /* in its place: before what it holds */
    else kept.push(m);
    names.add(name);
  };
  for (const d of ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "root"]) add(d, DIR);
  add("bin/busybox", EXEC, busybox);
  for (const l of ["bin/sh", "sbin/init", "init"]) add(l, LINK, "/bin/busybox");
  add("etc/mtab", LINK, "/proc/mounts");
  return { members: kept, add };
}

/** The busybox system's initrd: the system above with kernel/busybox/'s
 *  files (inittab, rcS, profile, motd). */
export function busyboxInitrd() {
  const { members, add } = busyboxSystem(readCpio(readFileSync(join(root, "images", "initrd.cpio"))), readFileSync(BUSYBOX));
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir).sort()) {
      const p = join(dir, e), name = relative(join(root, "kernel", "busybox"), p).split("\\").join("/");
      if (statSync(p).isDirectory()) { add(name, DIR); walk(p); }
      else add(name, name.startsWith("etc/init.d/") ? EXEC : FILE, readFileSync(p));
    }
  };
  walk(join(root, "kernel", "busybox"));
  return writeCpio(members);
}

function main() {
  if (!existsSync(BUSYBOX)) {
    console.error("busybox-initrd: no build/debian/bin/busybox; run npm run fetch-debian first");
    process.exit(1);
  }
  const out = join(root, "build", "busybox.cpio");
  writeFileSync(out, busyboxInitrd());
  console.log(`busybox-initrd: wrote ${relative(root, out)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
