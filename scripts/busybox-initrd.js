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

import { readCpio, writeCpio, busyboxSystem, DIR, FILE, EXEC } from "./cpio.js";

export { readCpio, writeCpio, busyboxSystem, DIR, FILE, EXEC, LINK } from "./cpio.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BUSYBOX = join(root, "build", "debian", "bin", "busybox");

/** kernel/busybox/'s files (inittab, rcS, profile, motd) as members,
 *  their directories before them; the page gets them as
 *  images/busybox-etc.cpio (scripts/web.js). */
export function busyboxEtc() {
  const base = join(root, "kernel", "busybox"), out = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir).sort()) {
      const p = join(dir, e), name = relative(base, p).split("\\").join("/");
      if (statSync(p).isDirectory()) { out.push({ name, mode: DIR, data: new Uint8Array(0) }); walk(p); }
      else out.push({ name, mode: name.startsWith("etc/init.d/") ? EXEC : FILE, data: readFileSync(p) });
    }
  };
  walk(base);
  return out;
}

/** The busybox system's initrd: the teaching initrd made a busybox system
 *  (scripts/cpio.js) with busyboxEtc()'s files. */
export function busyboxInitrd() {
  const { members, add } = busyboxSystem(readCpio(readFileSync(join(root, "images", "initrd.cpio"))), readFileSync(BUSYBOX));
  for (const m of busyboxEtc()) add(m.name, m.mode, m.data);
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
