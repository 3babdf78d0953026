// The shared folder: a paravirtual device through which the guest reads
// and changes a folder of the host's (docs/hostfs.md has the protocol).
// The guest writes the physical address of a request block to a port; the
// host does the operation at once and writes the reply into the block.
//
// Everything the guest sends is hostile: the block, its buffers and names
// are checked against guest RAM, names are single path components, and
// files are named by handles the host gave out, never by a path the guest
// spells. The folder itself is a ShareBackend (a host directory in Node,
// host/node/share-dir.ts; memory in the page and tests,
// host/share-memory.ts), which must confine itself too.

/** The device's port window: 0x540-0x547, clear of the PC's devices and
 *  of QEMU's (fw_cfg is 0x510-0x51B), where QEMU answers all ones. */
export const SHARE_PORT = 0x540;
export const SHARE_PORTS = 8;
/** A dword read of SHARE_PORT: "HFS1", the presence probe. */
export const SHARE_MAGIC = 0x31534648;
/** A dword read of SHARE_PORT + 4: bit 0 set when the share is read-only. */
export const SHARE_FLAG_RO = 1;
export const REQUEST_BYTES = 80;
/** The longest name the device takes or gives (Linux's NAME_MAX). */
export const NAME_MAX = 255;
/** The most one read or write moves: the guest's buffer is clamped to it. */
export const IO_MAX = 1 << 20;
/** File offsets and sizes stop here (the guest kernel's sizes are 32-bit). */
export const FILE_MAX = 0xffffffff;
/** Handles in use at once; a guest that never forgets its lookups runs
 *  out (ENFILE) instead of growing the host's memory. */
export const HANDLES_MAX = 65536;

export enum Op {
  Lookup = 1, Getattr = 2, Readdir = 3, Read = 4, Write = 5, Create = 6, Mkdir = 7, Truncate = 8,
  Unlink = 9, Rmdir = 10, Rename = 11, Forget = 12,
}

/** Offsets in the request block (all little-endian u32 but offset, a u64). */
export const Req = {
  op: 0, status: 4, node: 8, mode: 12, name: 16, nameLen: 20, node2: 24, name2: 28, name2Len: 32,
  buf: 36, len: 40, offset: 44,
  // the reply's attributes
  handle: 52, ino: 56, attrMode: 60, size: 64, mtime: 72, nlink: 76,
} as const;

/** Linux's error numbers: what the guest sees, whatever the host's are. */
export const Errno = {
  EPERM: 1, ENOENT: 2, EIO: 5, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16,
  EEXIST: 17, EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ETXTBSY: 26,
  EFBIG: 27, ENOSPC: 28, EROFS: 30, EMLINK: 31, ENAMETOOLONG: 36, ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40,
  EDQUOT: 122, ESTALE: 116,
} as const;

/** A refusal with the errno the guest gets. Backends throw it. */
export class ShareError extends Error {
  constructor(readonly errno: number, message = `errno ${errno}`) {
    super(message);
    this.name = "ShareError";
  }
}

export type EntryType = "file" | "dir";

export interface ShareAttr {
  type: EntryType;
  /** Permission bits (0o7777). */
  perm: number;
  size: number;
  /** Seconds since 1970. */
  mtime: number;
  /** A stable number for the file, not 0 (32 bits). */
  ino: number;
  nlink: number;
}

export interface ShareEntry { name: string; type: EntryType; ino: number }

/** A path inside the share: names checked by checkName, [] is its root. */
export type SharePath = readonly string[];

/**
 * A folder the guest may use. Only regular files and directories exist
 * for the guest: anything else (and, in a host directory, a symbolic link
 * that leads out of it) is refused with a ShareError. Every method may
 * throw ShareError; anything else it throws reaches the guest as EIO.
 */
export interface ShareBackend {
  readonly readOnly: boolean;
  stat(path: SharePath): ShareAttr;
  /** The directory's entries, without "." and "..". */
  list(path: SharePath): ShareEntry[];
  /** Reads into `into` from offset; returns the bytes read (0 at the end). */
  read(path: SharePath, offset: number, into: Uint8Array): number;
  write(path: SharePath, offset: number, data: Uint8Array): number;
  /** A new empty file; EEXIST when the name is taken. */
  create(path: SharePath, perm: number): void;
  mkdir(path: SharePath, perm: number): void;
  truncate(path: SharePath, size: number): void;
  /** Removes a file (EISDIR for a directory). */
  unlink(path: SharePath): void;
  /** Removes an empty directory (ENOTDIR for a file). */
  rmdir(path: SharePath): void;
  /** As POSIX rename(2): an existing target is replaced. */
  rename(from: SharePath, to: SharePath): void;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** Whether name may be one component of a path in the share: not empty,
 *  not "." or "..", no '/' or NUL, at most NAME_MAX bytes of UTF-8. */
export function validName(name: string): boolean {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) return false;
  return encoder.encode(name).length <= NAME_MAX;
}

/** Throws EINVAL (or ENAMETOOLONG) unless validName(name). */
export function checkName(name: string): string {
  if (!validName(name)) {
    throw new ShareError(typeof name === "string" && encoder.encode(name).length > NAME_MAX ? Errno.ENAMETOOLONG : Errno.EINVAL,
      `not a name in the share: ${JSON.stringify(name)}`);
  }
  return name;
}

/** Guest RAM as the device sees it during one request. */
export interface GuestRam {
  bytes: Uint8Array;
  /** Tells the core the host wrote [phys, phys + len). */
  written(phys: number, len: number): void;
}

interface Handle { path: string[]; key: string; dead: boolean }

/** The directory listings readdir walks, kept between its calls. */
const LISTINGS_KEPT = 4;

/**
 * The device's side: the port window, the handle table, and the decoding
 * and checking of requests. Never throws: any failure is the request's
 * status.
 */
export class ShareDevice {
  private handles = new Map<number, Handle>();
  private byKey = new Map<string, number>();
  private nextHandle = 2;
  private listings = new Map<number, ShareEntry[]>();
  /** The last error a backend threw that was not a ShareError (the guest saw EIO). */
  lastError: unknown;

  constructor(readonly backend: ShareBackend) { this.reset(); }

  /** Forgets every handle but the root's (1): a machine reset. */
  reset(): void {
    this.handles.clear();
    this.byKey.clear();
    this.listings.clear();
    this.handles.set(1, { path: [], key: "", dead: false });
    this.byKey.set("", 1);
    this.nextHandle = 2;
  }

  /** A read of the window (port relative to SHARE_PORT): the magic, then the flags. */
  portIn(port: number, size: number): number {
    const regs = new Uint8Array(8);
    new DataView(regs.buffer).setUint32(0, SHARE_MAGIC, true);
    new DataView(regs.buffer).setUint32(4, this.backend.readOnly ? SHARE_FLAG_RO : 0, true);
    let v = 0;
    for (let i = 0; i < size; i++) v |= (port + i < 8 ? regs[port + i] : 0xff) << (8 * i);
    return v >>> 0;
  }

  /** A write of the window: a dword to SHARE_PORT runs the request at
   *  that physical address. Anything else is ignored. */
  portOut(port: number, size: number, value: number, ram: GuestRam): void {
    if (port !== 0 || size !== 4) return;
    const at = value >>> 0;
    if (at > ram.bytes.length - REQUEST_BYTES) return; // nowhere to put a reply
    const view = new DataView(ram.bytes.buffer, ram.bytes.byteOffset + at, REQUEST_BYTES);
    let status: number;
    try {
      status = this.request(view, ram);
    } catch (e) {
      status = e instanceof ShareError ? e.errno : Errno.EIO;
      if (!(e instanceof ShareError)) this.lastError = e;
    }
    view.setUint32(Req.status, status, true);
    ram.written(at, REQUEST_BYTES);
  }

  private request(req: DataView, ram: GuestRam): number {
    const u32 = (off: number) => req.getUint32(off, true);
    const op = u32(Req.op);
    const name = (ptr: number, len: number) => checkName(this.guestString(ram, u32(ptr), u32(len)));
    const writes = op === Op.Write || op === Op.Create || op === Op.Mkdir || op === Op.Truncate || op === Op.Unlink
      || op === Op.Rmdir || op === Op.Rename;
    if (writes && this.backend.readOnly) return Errno.EROFS;
    switch (op) {
      case Op.Lookup: {
        const path = [...this.node(u32(Req.node)).path, name(Req.name, Req.nameLen)];
        this.reply(req, path, this.backend.stat(path));
        return 0;
      }
      case Op.Getattr: {
        const h = this.node(u32(Req.node));
        this.reply(req, h.path, this.backend.stat(h.path));
        return 0;
      }
      case Op.Readdir: return this.readdir(req, ram);
      case Op.Read: case Op.Write: {
        const h = this.node(u32(Req.node));
        const { buf, len } = this.buffer(req, ram);
        const offset = this.offset(req);
        let n = 0;
        if (op === Op.Read) {
          if (offset < FILE_MAX) n = this.backend.read(h.path, offset, ram.bytes.subarray(buf, buf + Math.min(len, FILE_MAX - offset)));
          ram.written(buf, n);
        } else {
          if (len && offset + len > FILE_MAX) throw new ShareError(Errno.EFBIG);
          n = this.backend.write(h.path, offset, ram.bytes.slice(buf, buf + len));
          this.reply(req, h.path, this.backend.stat(h.path));
        }
        if (!Number.isInteger(n) || n < 0 || n > len) throw new Error(`the share's backend moved ${n} bytes of ${len}`);
        req.setUint32(Req.len, n, true);
        return 0;
      }
      case Op.Create: case Op.Mkdir: {
        const path = [...this.node(u32(Req.node)).path, name(Req.name, Req.nameLen)];
        const perm = u32(Req.mode) & 0o7777;
        if (op === Op.Create) this.backend.create(path, perm); else this.backend.mkdir(path, perm);
        this.forgetListings();
        this.reply(req, path, this.backend.stat(path));
        return 0;
      }
      case Op.Truncate: {
        const h = this.node(u32(Req.node));
        const size = this.offset(req);
        if (size > FILE_MAX) throw new ShareError(Errno.EFBIG);
        this.backend.truncate(h.path, size);
        this.reply(req, h.path, this.backend.stat(h.path));
        return 0;
      }
      case Op.Unlink: case Op.Rmdir: {
        const path = [...this.node(u32(Req.node)).path, name(Req.name, Req.nameLen)];
        if (op === Op.Unlink) this.backend.unlink(path); else this.backend.rmdir(path);
        this.gone(path);
        return 0;
      }
      case Op.Rename: {
        const from = [...this.node(u32(Req.node)).path, name(Req.name, Req.nameLen)];
        const to = [...this.node(u32(Req.node2)).path, name(Req.name2, Req.name2Len)];
        const fromKey = from.join("/"), toKey = to.join("/");
        // a directory into itself: refused before the host sees it
        if (toKey.startsWith(fromKey + "/")) return Errno.EINVAL;
        this.backend.rename(from, to);
        if (fromKey !== toKey) {
          this.gone(to);
          this.moved(from, to);
        }
        return 0;
      }
      case Op.Forget: {
        const handle = u32(Req.node);
        const h = this.handles.get(handle);
        if (handle !== 1 && h) {
          this.handles.delete(handle);
          if (!h.dead) this.byKey.delete(h.key);
          this.listings.delete(handle);
        }
        return 0;
      }
      default: return Errno.ENOSYS;
    }
  }

  /** READDIR: entry `offset` (counted from 0) of the directory's listing,
   *  taken afresh at 0. Names longer than the guest's buffer are left out;
   *  len 0 means the end. */
  private readdir(req: DataView, ram: GuestRam): number {
    const handle = req.getUint32(Req.node, true);
    const h = this.node(handle);
    const index = this.offset(req);
    const { buf, len } = this.buffer(req, ram);
    let list = this.listings.get(handle);
    if (index === 0 || !list) {
      list = this.backend.list(h.path)
        .filter((e) => validName(e.name) && encoder.encode(e.name).length <= len)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.listings.delete(handle);
      this.listings.set(handle, list);
      if (this.listings.size > LISTINGS_KEPT) this.listings.delete(this.listings.keys().next().value!);
    }
    const e = list[index];
    if (!e) {
      req.setUint32(Req.len, 0, true);
      return 0;
    }
    const bytes = encoder.encode(e.name);
    ram.bytes.set(bytes, buf);
    ram.written(buf, bytes.length);
    req.setUint32(Req.len, bytes.length, true);
    req.setUint32(Req.handle, 0, true);
    req.setUint32(Req.ino, e.ino >>> 0 || 1, true);
    req.setUint32(Req.attrMode, e.type === "dir" ? 0o040000 : 0o100000, true);
    return 0;
  }

  /** The live handle the guest named. */
  private node(handle: number): Handle {
    const h = this.handles.get(handle);
    if (!h) throw new ShareError(Errno.EBADF);
    if (h.dead) throw new ShareError(Errno.ESTALE);
    return h;
  }

  /** The request's data buffer: inside RAM, at most IO_MAX bytes. */
  private buffer(req: DataView, ram: GuestRam): { buf: number; len: number } {
    const buf = req.getUint32(Req.buf, true), len = Math.min(req.getUint32(Req.len, true), IO_MAX);
    if (buf > ram.bytes.length || len > ram.bytes.length - buf) throw new ShareError(Errno.EFAULT);
    return { buf, len };
  }

  private offset(req: DataView): number {
    const lo = req.getUint32(Req.offset, true), hi = req.getUint32(Req.offset + 4, true);
    if (hi !== 0) throw new ShareError(Errno.EFBIG);
    return lo;
  }

  /** A name from guest RAM: in RAM, at most NAME_MAX bytes, UTF-8. */
  private guestString(ram: GuestRam, ptr: number, len: number): string {
    if (len > NAME_MAX) throw new ShareError(Errno.ENAMETOOLONG);
    if (ptr > ram.bytes.length || len > ram.bytes.length - ptr) throw new ShareError(Errno.EFAULT);
    try {
      return utf8.decode(ram.bytes.subarray(ptr, ptr + len));
    } catch {
      throw new ShareError(Errno.EINVAL, "a name that is not UTF-8");
    }
  }

  /** The reply's attributes, with the handle for path (made if new). */
  private reply(req: DataView, path: string[], a: ShareAttr): void {
    const key = path.join("/");
    let handle = this.byKey.get(key);
    if (handle === undefined) {
      if (this.handles.size >= HANDLES_MAX) throw new ShareError(Errno.ENFILE);
      while (this.handles.has(this.nextHandle) || this.nextHandle < 2) this.nextHandle = (this.nextHandle + 1) >>> 0;
      handle = this.nextHandle;
      this.nextHandle = (this.nextHandle + 1) >>> 0;
      this.handles.set(handle, { path, key, dead: false });
      this.byKey.set(key, handle);
    }
    const size = Math.min(Math.max(0, Math.floor(a.size)), FILE_MAX);
    req.setUint32(Req.handle, handle, true);
    req.setUint32(Req.ino, a.ino >>> 0 || 1, true);
    req.setUint32(Req.attrMode, (a.type === "dir" ? 0o040000 : 0o100000) | (a.perm & 0o7777), true);
    req.setUint32(Req.size, size >>> 0, true);
    req.setUint32(Req.size + 4, 0, true);
    req.setUint32(Req.mtime, Math.min(Math.max(0, Math.floor(a.mtime)), 0xffffffff), true);
    req.setUint32(Req.nlink, Math.min(Math.max(1, Math.floor(a.nlink)), 0xffff), true);
  }

  private forgetListings(): void { this.listings.clear(); }

  /** path and everything under it no longer exist: their handles go stale. */
  private gone(path: string[]): void {
    const key = path.join("/");
    for (const [k, handle] of this.byKey) {
      if (k !== key && !k.startsWith(key + "/")) continue;
      this.handles.get(handle)!.dead = true;
      this.byKey.delete(k);
    }
    this.forgetListings();
  }

  /** from (and what is under it) is now at to: its handles follow it. */
  private moved(from: string[], to: string[]): void {
    const key = from.join("/"), toKey = to.join("/");
    const moving = [...this.byKey].filter(([k]) => k === key || k.startsWith(key + "/"));
    for (const [k] of moving) this.byKey.delete(k);
    for (const [k, handle] of moving) {
      const h = this.handles.get(handle)!;
      h.key = toKey + k.slice(key.length);
      h.path = h.key.split("/");
      this.byKey.set(h.key, handle);
    }
    this.forgetListings();
  }
}
