#!/usr/bin/env node
// build/linux-initramfs.gz: an initramfs for Debian's own 686 kernel
// (npm run fetch-debian puts it and busybox-static in build/debian/):
// Debian's busybox as the only program, an /init that mounts /proc, /sys,
// /dev (devtmpfs) and /tmp (tmpfs), makes busybox's links, and runs a
// shell on the console's tty (ttyS0, with job control); when the shell
// exits the machine powers off (poweroff -f: the kernel halts, and
// wasm386 ends its run). With --modules it also holds the kernel's
// modules for the legacy ATA disk and ext2 (pata_legacy, sd_mod, ext4
// and what they need), which /init loads. The kernel unpacks the gzip
// itself. Used by the tests (test/host/linux-*.test.ts) and by
// `node scripts/linux-initramfs.js [--modules] [--run [wasm386 options]]`
// (--run boots it in the CLI at once).
import { readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { writeCpio, BUSYBOX, DIR, EXEC, FILE } from "./busybox-initrd.js";
import { linuxSystem, SHELL_INIT, LINUX_APPEND as APPEND } from "./cpio.js";

export { SHELL_INIT, APPEND };

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DEBIAN = join(root, "build", "debian");

/** Debian's kernel image (build/debian/boot/vmlinuz-*), or undefined. */
export function debianKernel() {
  const boot = join(DEBIAN, "boot");
  if (!existsSync(boot)) return undefined;
  const f = readdirSync(boot).find((n) => n.startsWith("vmlinuz-"));
  return f && join(boot, f);
}

/** The modules a disk needs, in load order: the legacy ATA driver, the
 *  SCSI disk on top of it, and ext4 (which mounts ext2), with the crc32c
 *  it asks the crypto API for at mount time. */
export const DISK_MODULES = ["pata_legacy", "sd_mod", "crc32c_generic", "ext4"];

/**
 * The modules' files and a script that loads them (with their
 * dependencies, from the kernel's modules.dep, in order).
 * @param {string[]} wanted module names
 */
function modules(wanted) {
  const lib = join(DEBIAN, "lib", "modules");
  const version = readdirSync(lib)[0];
  const base = join(lib, version);
  // The package has no modules.dep (depmod makes it at install): each
  // module's own .modinfo says what it needs ("depends=a,b").
  const norm = (n) => n.replace(/-/g, "_");
  const byName = new Map();
  const walk = (dir) => {
    for (const e of readdirSync(join(base, dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ko")) byName.set(norm(e.name.slice(0, -3)), p);
    }
  };
  walk("kernel");
  const depends = (path) => {
    const text = readFileSync(join(base, path)).toString("latin1");
    const m = /\0depends=([^\0]*)\0/.exec(text);
    return m && m[1] ? m[1].split(",").map(norm) : [];
  };
  const order = [];
  const visit = (name) => {
    const path = byName.get(name);
    if (!path) throw new Error(`linux-initramfs: no module ${name} in ${relative(root, base)}`);
    if (order.includes(path)) return;
    for (const d of depends(path)) visit(d);
    order.push(path);
  };
  for (const w of wanted) visit(norm(w));
  const members = [];
  const dirs = new Set();
  const dir = (d) => {
    if (dirs.has(d) || d === "") return;
    dir(dirname(d) === "." ? "" : dirname(d));
    dirs.add(d);
    members.push({ name: d, mode: DIR, data: new Uint8Array(0) });
  };
  for (const p of order) {
    const name = `lib/modules/${version}/${p}`;
    dir(dirname(name));
    members.push({ name, mode: FILE, data: readFileSync(join(base, p)) });
  }
  const script = `#!/bin/sh\n${order.map((p) => `insmod /lib/modules/${version}/${p}`).join("\n")}\n`;
  members.push({ name: "etc/modules.sh", mode: EXEC, data: Buffer.from(script) });
  return members;
}

/**
 * The initramfs, gzip-compressed.
 * @param {{ init?: string, modules?: string[], files?: { [path: string]: string } }} [opts]
 */
export function linuxInitramfs(opts = {}) {
  const members = linuxSystem(readFileSync(BUSYBOX), opts.init);
  if (opts.modules?.length) members.push(...modules(opts.modules));
  for (const [path, text] of Object.entries(opts.files ?? {})) members.push({ name: path, mode: FILE, data: Buffer.from(text) });
  return gzipSync(writeCpio(members), { level: 9 });
}

function main() {
  if (!existsSync(BUSYBOX) || !debianKernel()) {
    console.error("linux-initramfs: Debian's kernel and busybox are missing; run npm run fetch-debian first");
    process.exit(1);
  }
  const args = process.argv.slice(2);
  const run = args.indexOf("--run");
  const own = run < 0 ? args : args.slice(0, run);
  const withModules = own.includes("--modules");
  const out = join(root, "build", "linux-initramfs.gz");
  writeFileSync(out, linuxInitramfs({ modules: withModules ? DISK_MODULES : [] }));
  const boot = ["dist/wasm386.js", relative(root, debianKernel()), "--initrd", relative(root, out)];
  if (run < 0) {
    console.log(`linux-initramfs: wrote ${relative(root, out)}${withModules ? ` (with ${DISK_MODULES.join(", ")})` : ""}; boot it with`);
    console.log(`  node ${boot.join(" ")} --append "${APPEND}"`);
    return;
  }
  // --run [wasm386 options]: boot it now, with APPEND unless --append is given.
  const rest = args.slice(run + 1);
  if (!rest.includes("--append") && !rest.includes("-append")) rest.push("--append", APPEND);
  const r = spawnSync(process.execPath, [...boot, ...rest], { cwd: root, stdio: "inherit" });
  process.exit(r.status ?? 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
