// A busybox the user gives the page, booted as build/busybox.cpio boots in
// the CLI (npm run busybox): the teaching initrd made a busybox system
// (scripts/cpio.js, shared with scripts/busybox-initrd.js) with the page's
// images/busybox-etc.cpio (kernel/busybox/'s inittab, rcS, profile, motd).
// Busybox is Debian's (GPL), so the page never ships it: the user picks
// the file (busybox-static for i386, npm run fetch-debian fetches it).
import type { BootFiles } from "./protocol.js";
import { busyboxSystem, notStaticI386, readCpio, writeCpio } from "../scripts/cpio.js";

async function fetchBytes(path: string): Promise<Uint8Array> {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: ${r.status} ${r.statusText}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** The teaching kernel with a busybox system for an initrd, or why busybox
 *  (the file's bytes) cannot be one. */
export async function busyboxBoot(busybox: Uint8Array, name: string): Promise<BootFiles | string> {
  const why = notStaticI386(busybox);
  if (why) return `${name} cannot be busybox: ${why}`;
  const [kernel, initrd, etc, disk] = await Promise.all(
    ["images/kernel.elf", "images/initrd.cpio", "images/busybox-etc.cpio", "images/disk.img"].map(fetchBytes));
  const { members, add } = busyboxSystem(readCpio(initrd), busybox);
  for (const m of readCpio(etc)) add(m.name, m.mode, m.data);
  return { kernel, kernelName: "images/kernel.elf", initrd: writeCpio(members), initrdName: "busybox.cpio", disk };
}
