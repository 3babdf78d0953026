// A disk image file as the ATA disk (Node), optionally behind a
// copy-on-write overlay so that the file is never written (--snapshot).
import { openSync, fstatSync, readSync, writeSync, fsyncSync, closeSync } from "node:fs";
import { Disk, SECTOR, checkImageSize, overlayDisk } from "../disk.js";
import { UserError } from "../errors.js";

export interface FileDisk extends Disk { close(): void }

export function fileDisk(path: string, opts: { snapshot?: boolean } = {}): FileDisk {
  let fd: number;
  const snapshot = opts.snapshot ?? false;
  try {
    fd = openSync(path, snapshot ? "r" : "r+");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "no such file"
      : err.code === "EACCES" || err.code === "EROFS" ? `permission denied${snapshot ? "" : " (use --snapshot to run from a read-only image)"}`
      : err.code === "EISDIR" ? "is a directory"
      : err.message;
    throw new UserError(`cannot open disk image ${path}: ${why}`);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) { closeSync(fd); throw new UserError(`disk image ${path} is not a regular file`); }
  let sectors: number;
  try {
    sectors = checkImageSize(st.size, `disk image ${path}`);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  const file: Disk = {
    sectors,
    read(lba, count, into) {
      const want = count * SECTOR;
      let got = 0;
      while (got < want) {
        const n = readSync(fd, into, got, want - got, lba * SECTOR + got);
        if (n === 0) break;
        got += n;
      }
      into.fill(0, got, want);
    },
    write(lba, count, from) {
      const want = count * SECTOR;
      let put = 0;
      while (put < want) put += writeSync(fd, from, put, want - put, lba * SECTOR + put);
    },
    flush: () => fsyncSync(fd),
  };
  const disk = snapshot ? overlayDisk(file) : file;
  return {
    sectors: disk.sectors,
    read: disk.read.bind(disk),
    write: disk.write.bind(disk),
    flush: disk.flush.bind(disk),
    close: () => closeSync(fd),
  };
}
