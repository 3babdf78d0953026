// The package's Node helpers (import ... from "wasm386/node"): the core
// and the bundled guest images from the installed package, disk image
// files, and host directories as shared folders.
import { readFileSync } from "node:fs";
import { packageFile } from "./paths.js";
export { fileDisk, type FileDisk } from "./disk.js";
export { dirShare, DirShare, type DirShareOptions } from "./share-dir.js";
export { packageRoot, packageFile } from "./paths.js";

/** The guest images the package ships (the teaching kernel, its initrd,
 *  its ext2 disk), by name. */
export const BUNDLED_IMAGES = ["kernel.elf", "initrd.cpio", "disk.img"] as const;
export type BundledImage = (typeof BUNDLED_IMAGES)[number];

/** The compiled core, build/wasm386.wasm, for MachineOptions.wasm. */
export function coreWasm(): Uint8Array {
  return readFileSync(packageFile("build/wasm386.wasm"));
}

/** A bundled guest image's bytes (memoryDisk() makes disk.img a disk). */
export function bundledImage(name: BundledImage): Uint8Array {
  if (!(BUNDLED_IMAGES as readonly string[]).includes(name))
    throw new Error(`wasm386: no bundled image ${JSON.stringify(name)} (there are ${BUNDLED_IMAGES.join(", ")})`);
  return readFileSync(packageFile(`images/${name}`));
}
