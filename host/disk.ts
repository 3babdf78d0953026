// Disk backends for the ATA disk. A backend holds whole 512-byte sectors;
// the machine calls it once per block the guest transfers.
import { UserError } from "./errors.js";

export const SECTOR = 512;

export interface Disk {
  /** Size in sectors. */
  readonly sectors: number;
  /** Fills into (count * 512 bytes) from sector lba on. */
  read(lba: number, count: number, into: Uint8Array): void;
  /** Stores from (count * 512 bytes) at sector lba on. */
  write(lba: number, count: number, from: Uint8Array): void;
  /** Makes written data durable (FLUSH CACHE). */
  flush(): void;
}

/** Checks that an image is a usable size: whole sectors, not empty. */
export function checkImageSize(bytes: number, what: string): number {
  if (bytes === 0) throw new UserError(`${what} is empty`);
  if (bytes % SECTOR !== 0) {
    throw new UserError(`${what} is ${bytes} bytes, not a whole number of ${SECTOR}-byte sectors`);
  }
  return bytes / SECTOR;
}

/** A disk in memory (the buffer is used in place: writes change it). */
export function memoryDisk(buffer: Uint8Array, what = "disk image"): Disk {
  const sectors = checkImageSize(buffer.length, what);
  return {
    sectors,
    read: (lba, count, into) => into.set(buffer.subarray(lba * SECTOR, (lba + count) * SECTOR)),
    write: (lba, count, from) => buffer.set(from.subarray(0, count * SECTOR), lba * SECTOR),
    flush: () => {},
  };
}

/**
 * A copy-on-write overlay: reads come from base until a sector is written;
 * writes stay in memory and never reach base (--snapshot).
 */
export function overlayDisk(base: Disk): Disk & { readonly dirtySectors: number } {
  const written = new Map<number, Uint8Array>();
  return {
    sectors: base.sectors,
    get dirtySectors() { return written.size; },
    read(lba, count, into) {
      base.read(lba, count, into);
      for (let i = 0; i < count; i++) {
        const s = written.get(lba + i);
        if (s) into.set(s, i * SECTOR);
      }
    },
    write(lba, count, from) {
      for (let i = 0; i < count; i++) written.set(lba + i, from.slice(i * SECTOR, (i + 1) * SECTOR));
    },
    flush: () => {},
  };
}
