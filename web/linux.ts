// Linux as the page's second machine: the user gives a bzImage (Debian's
// linux-image-686, vmlinuz) and busybox-static for i386 (both GPL and
// Debian's, so the page never ships them; npm run fetch-debian fetches
// them into build/debian/), and the page builds the same initramfs as
// scripts/linux-initramfs.js (scripts/cpio.js), uncompressed: the kernel
// takes a plain cpio as well as a gzipped one.
import type { BootFiles } from "./protocol.js";
import { LINUX_APPEND, linuxSystem, notStaticI386, writeCpio } from "../scripts/cpio.js";

/** Why bytes are not a bzImage (the boot protocol's "HdrS" at 0x202), or undefined. */
function notBzImage(bytes: Uint8Array): string | undefined {
  const magic = String.fromCharCode(...bytes.subarray(0x202, 0x206));
  return magic === "HdrS" ? undefined : "it is not a Linux kernel image (bzImage: no \"HdrS\" boot header at 0x202)";
}

/** The kernel with a busybox initramfs, or why the files cannot be those. */
export function linuxBoot(kernel: Uint8Array, kernelName: string, busybox: Uint8Array, busyboxName: string): BootFiles | string {
  const badKernel = notBzImage(kernel);
  if (badKernel) return `${kernelName} cannot be the kernel: ${badKernel}`;
  const badBusybox = notStaticI386(busybox);
  if (badBusybox) return `${busyboxName} cannot be busybox: ${badBusybox}`;
  return { kernel, kernelName, initrd: writeCpio(linuxSystem(busybox)), initrdName: "initramfs.cpio", cmdline: LINUX_APPEND };
}
