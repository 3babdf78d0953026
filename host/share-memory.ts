// A shared folder held in memory: for the browser page (files uploaded
// into it, downloaded from it) and for tests. Bounded: past maxBytes of
// file data or maxEntries files and directories the guest gets ENOSPC,
// never the host's memory.
import { Errno, ShareError, checkName, type ShareAttr, type ShareBackend, type ShareEntry, type SharePath } from "./share.js";

interface MemFile { kind: "file"; data: Uint8Array; size: number; ino: number; mtime: number; perm: number }
interface MemDir { kind: "dir"; entries: Map<string, MemNode>; ino: number; mtime: number; perm: number }
type MemNode = MemFile | MemDir;

export interface MemoryShareOptions {
  readOnly?: boolean;
  /** The most file data it holds (default 256 MiB). */
  maxBytes?: number;
  /** The most files and directories (default 100,000). */
  maxEntries?: number;
}

const now = () => Math.floor(Date.now() / 1000);

export class MemoryShare implements ShareBackend {
  readonly readOnly: boolean;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private readonly root: MemDir;
  private bytes = 0;
  private entries = 1;
  private nextIno = 2;

  constructor(opts: MemoryShareOptions = {}) {
    this.readOnly = opts.readOnly ?? false;
    this.maxBytes = opts.maxBytes ?? 256 << 20;
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.root = { kind: "dir", entries: new Map(), ino: 1, mtime: now(), perm: 0o755 };
  }

  /** The file data held now, in bytes. */
  get usedBytes(): number { return this.bytes; }

  private find(path: SharePath): MemNode {
    let node: MemNode = this.root;
    for (const name of path) {
      checkName(name);
      if (node.kind !== "dir") throw new ShareError(Errno.ENOTDIR);
      const next: MemNode | undefined = node.entries.get(name);
      if (!next) throw new ShareError(Errno.ENOENT);
      node = next;
    }
    return node;
  }

  private dirOf(path: SharePath): { dir: MemDir; name: string } {
    if (path.length === 0) throw new ShareError(Errno.EBUSY, "the share's root");
    const dir = this.find(path.slice(0, -1));
    if (dir.kind !== "dir") throw new ShareError(Errno.ENOTDIR);
    return { dir, name: checkName(path[path.length - 1]) };
  }

  private file(path: SharePath): MemFile {
    const f = this.find(path);
    if (f.kind !== "file") throw new ShareError(Errno.EISDIR);
    return f;
  }

  stat(path: SharePath): ShareAttr {
    const n = this.find(path);
    return {
      type: n.kind, perm: n.perm, size: n.kind === "file" ? n.size : 0, mtime: n.mtime, ino: n.ino,
      nlink: n.kind === "dir" ? 2 : 1,
    };
  }

  list(path: SharePath): ShareEntry[] {
    const d = this.find(path);
    if (d.kind !== "dir") throw new ShareError(Errno.ENOTDIR);
    return [...d.entries].map(([name, n]) => ({ name, type: n.kind, ino: n.ino }));
  }

  read(path: SharePath, offset: number, into: Uint8Array): number {
    const f = this.file(path);
    if (offset >= f.size) return 0;
    const n = Math.min(into.length, f.size - offset);
    into.set(f.data.subarray(offset, offset + n));
    return n;
  }

  /** Makes room for size bytes of f, counting them against maxBytes. */
  private resize(f: MemFile, size: number): void {
    if (size > f.size && size - f.size > this.maxBytes - this.bytes) throw new ShareError(Errno.ENOSPC);
    if (size > f.data.length) {
      const grown = new Uint8Array(Math.min(Math.max(size, f.data.length * 2, 4096), Math.max(size, this.maxBytes)));
      grown.set(f.data.subarray(0, f.size));
      f.data = grown;
    } else if (size < f.size) {
      f.data.fill(0, size, f.size); // what grows again reads as zeros
    }
    this.bytes += size - f.size;
    f.size = size;
    f.mtime = now();
  }

  write(path: SharePath, offset: number, data: Uint8Array): number {
    this.writable();
    const f = this.file(path);
    if (offset + data.length > f.size) this.resize(f, offset + data.length);
    f.data.set(data, offset);
    f.mtime = now();
    return data.length;
  }

  private writable(): void { if (this.readOnly) throw new ShareError(Errno.EROFS); }

  private newFile(perm: number): MemFile {
    return { kind: "file", data: new Uint8Array(0), size: 0, ino: this.nextIno++, mtime: now(), perm: perm & 0o7777 };
  }

  private newDir(perm: number): MemDir {
    return { kind: "dir", entries: new Map(), ino: this.nextIno++, mtime: now(), perm: perm & 0o7777 };
  }

  private add(path: SharePath, node: MemNode): void {
    const { dir, name } = this.dirOf(path);
    if (dir.entries.has(name)) throw new ShareError(Errno.EEXIST);
    if (this.entries >= this.maxEntries) throw new ShareError(Errno.ENOSPC);
    dir.entries.set(name, node);
    dir.mtime = now();
    this.entries++;
  }

  create(path: SharePath, perm: number): void {
    this.writable();
    this.add(path, this.newFile(perm));
  }

  mkdir(path: SharePath, perm: number): void {
    this.writable();
    this.add(path, this.newDir(perm));
  }

  truncate(path: SharePath, size: number): void {
    this.writable();
    this.resize(this.file(path), size);
  }

  private drop(dir: MemDir, name: string): void {
    const n = dir.entries.get(name)!;
    if (n.kind === "file") this.bytes -= n.size;
    dir.entries.delete(name);
    dir.mtime = now();
    this.entries--;
  }

  unlink(path: SharePath): void {
    this.writable();
    const { dir, name } = this.dirOf(path);
    const n = dir.entries.get(name);
    if (!n) throw new ShareError(Errno.ENOENT);
    if (n.kind === "dir") throw new ShareError(Errno.EISDIR);
    this.drop(dir, name);
  }

  rmdir(path: SharePath): void {
    this.writable();
    const { dir, name } = this.dirOf(path);
    const n = dir.entries.get(name);
    if (!n) throw new ShareError(Errno.ENOENT);
    if (n.kind !== "dir") throw new ShareError(Errno.ENOTDIR);
    if (n.entries.size) throw new ShareError(Errno.ENOTEMPTY);
    this.drop(dir, name);
  }

  rename(from: SharePath, to: SharePath): void {
    this.writable();
    const a = this.dirOf(from), b = this.dirOf(to);
    const src = a.dir.entries.get(a.name);
    if (!src) throw new ShareError(Errno.ENOENT);
    // a directory into itself or below: every directory on to's way must differ from src
    let d: MemNode = this.root;
    for (const name of to.slice(0, -1)) {
      if (d === src) throw new ShareError(Errno.EINVAL);
      d = (d as MemDir).entries.get(name)!;
    }
    if (d === src) throw new ShareError(Errno.EINVAL);
    const dst = b.dir.entries.get(b.name);
    if (dst === src) return;
    if (dst) {
      if (src.kind === "dir" && dst.kind !== "dir") throw new ShareError(Errno.ENOTDIR);
      if (src.kind !== "dir" && dst.kind === "dir") throw new ShareError(Errno.EISDIR);
      if (dst.kind === "dir" && dst.entries.size) throw new ShareError(Errno.ENOTEMPTY);
      this.drop(b.dir, b.name);
    }
    a.dir.entries.delete(a.name);
    b.dir.entries.set(b.name, src);
    a.dir.mtime = b.dir.mtime = now();
  }

  // For the host's own use (the page's upload and download).

  /** Puts a file at path (made, or replaced), making its directories;
   *  the host may, in a read-only share too. */
  putFile(path: SharePath, data: Uint8Array): void {
    for (let i = 1; i < path.length; i++) {
      const at = path.slice(0, i);
      const n = this.lookup(at);
      if (!n) this.add(at, this.newDir(0o755));
      else if (n.kind !== "dir") throw new ShareError(Errno.ENOTDIR);
    }
    const old = this.lookup(path);
    if (old?.kind === "dir") throw new ShareError(Errno.EISDIR);
    if (!old) this.add(path, this.newFile(0o644));
    const f = this.file(path);
    this.resize(f, 0);
    this.resize(f, data.length);
    f.data.set(data);
  }

  /** A copy of the file at path. */
  getFile(path: SharePath): Uint8Array {
    const f = this.file(path);
    return f.data.slice(0, f.size);
  }

  /** Every file, as [path, size], depth first in name order. */
  files(): { path: string[]; size: number }[] {
    const out: { path: string[]; size: number }[] = [];
    const walk = (d: MemDir, at: string[]) => {
      for (const [name, n] of [...d.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (n.kind === "file") out.push({ path: [...at, name], size: n.size });
        else walk(n, [...at, name]);
      }
    };
    walk(this.root, []);
    return out;
  }

  private lookup(path: SharePath): MemNode | undefined {
    try { return this.find(path); } catch (e) { if (e instanceof ShareError && e.errno === Errno.ENOENT) return undefined; throw e; }
  }
}

export function memoryShare(opts: MemoryShareOptions = {}): MemoryShare { return new MemoryShare(opts); }
