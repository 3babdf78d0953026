// A host directory as the guest's shared folder (--share DIR), confined to
// DIR: every path is built from checked names under DIR's real path, then
// resolved with realpath and refused (EACCES) unless it is still inside
// DIR, so no '..', absolute path or symbolic link leads out. Only regular
// files and directories are used: files are opened with O_NOFOLLOW and
// O_NONBLOCK (a FIFO or device would block or act) and checked with fstat
// before a byte moves. Symbolic links that stay inside DIR are followed;
// the guest cannot make new ones.
import {
  openSync, closeSync, readSync, writeSync, fstatSync, lstatSync, statSync, realpathSync, readdirSync, mkdirSync,
  rmdirSync, unlinkSync, renameSync, ftruncateSync, constants, type Stats,
} from "node:fs";
import { join, sep } from "node:path";
import { UserError } from "../errors.js";
import { Errno, ShareError, checkName, type ShareAttr, type ShareBackend, type ShareEntry, type SharePath } from "../share.js";

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;
const NOFOLLOW = O_NOFOLLOW ?? 0, NONBLOCK = O_NONBLOCK ?? 0; // Windows has neither: realpath stands alone there

/** Node's error codes as Linux's numbers (the host's own numbers differ
 *  between systems). Unlisted codes are EIO. */
const CODES: Record<string, number> = {
  EPERM: Errno.EPERM, ENOENT: Errno.ENOENT, EACCES: Errno.EACCES, EEXIST: Errno.EEXIST, EXDEV: Errno.EXDEV,
  ENOTDIR: Errno.ENOTDIR, EISDIR: Errno.EISDIR, EINVAL: Errno.EINVAL, ENFILE: Errno.ENFILE, EMFILE: Errno.EMFILE,
  ETXTBSY: Errno.ETXTBSY, EFBIG: Errno.EFBIG, ENOSPC: Errno.ENOSPC, EROFS: Errno.EROFS, EMLINK: Errno.EMLINK,
  ENAMETOOLONG: Errno.ENAMETOOLONG, ENOTEMPTY: Errno.ENOTEMPTY, ELOOP: Errno.ELOOP, EBUSY: Errno.EBUSY,
  EAGAIN: Errno.EAGAIN, ENOMEM: Errno.ENOMEM, EDQUOT: Errno.EDQUOT, ENXIO: Errno.EACCES, ENODEV: Errno.EACCES,
  EIO: Errno.EIO,
};

function fsError(e: unknown): ShareError {
  if (e instanceof ShareError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  return new ShareError(code && code in CODES ? CODES[code] : Errno.EIO, (e as Error).message);
}

/** Runs an fs call, with its failure as the guest's errno. */
function fs<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw fsError(e);
  }
}

/** st_ino in 32 bits, not 0 (filesystems with 64-bit numbers fold). */
function ino32(ino: number): number {
  return ((ino % 2 ** 32) ^ Math.floor(ino / 2 ** 32)) >>> 0 || 1;
}

function attrOf(st: Stats): ShareAttr {
  return {
    type: st.isDirectory() ? "dir" : "file", perm: st.mode & 0o7777, size: st.size, mtime: Math.floor(st.mtimeMs / 1000),
    ino: ino32(st.ino), nlink: st.nlink,
  };
}

const refused = (why: string) => new ShareError(Errno.EACCES, why);

export interface DirShareOptions { readOnly?: boolean }

export class DirShare implements ShareBackend {
  readonly readOnly: boolean;
  /** DIR's real path: everything the guest reaches is this or under it. */
  readonly root: string;

  constructor(dir: string, opts: DirShareOptions = {}) {
    this.readOnly = opts.readOnly ?? false;
    let st: Stats;
    try {
      this.root = realpathSync(dir);
      st = statSync(this.root);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`${dir}: ${code === "ENOENT" ? "no such directory" : code === "EACCES" ? "permission denied" : code ?? (e as Error).message}`);
    }
    if (!st.isDirectory()) throw new UserError(`${dir}: not a directory`);
  }

  private inside(p: string): boolean {
    return p === this.root || p.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep);
  }

  /** The host path of path with every link resolved, refused unless it is
   *  inside DIR. */
  private real(path: SharePath): string {
    for (const name of path) {
      checkName(name);
      if (sep === "\\" && /[\\:]/.test(name)) throw new ShareError(Errno.EINVAL); // a separator or stream on Windows
    }
    const p = fs(() => realpathSync(join(this.root, ...path)));
    if (!this.inside(p)) throw refused(`${path.join("/")} leads out of the shared folder`);
    return p;
  }

  /** The real path of path's directory, and path's last name in it (not
   *  followed: for the calls that act on the name itself). */
  private entry(path: SharePath): string {
    if (path.length === 0) throw new ShareError(Errno.EBUSY, "the share's root");
    const dir = this.real(path.slice(0, -1));
    return join(dir, checkName(path[path.length - 1]));
  }

  /** What real (a resolved path inside DIR) is, if the guest may use it. */
  private usable(real: string): Stats {
    const st = fs(() => lstatSync(real));
    if (!st.isFile() && !st.isDirectory()) throw refused("not a regular file or directory");
    return st;
  }

  private writable(): void { if (this.readOnly) throw new ShareError(Errno.EROFS); }

  stat(path: SharePath): ShareAttr { return attrOf(this.usable(this.real(path))); }

  list(path: SharePath): ShareEntry[] {
    const dir = this.real(path);
    const out: ShareEntry[] = [];
    for (const name of fs(() => readdirSync(dir))) {
      // what the guest could not name or use is not shown
      try {
        const st = this.usable(this.real([...path, name]));
        out.push({ name, type: st.isDirectory() ? "dir" : "file", ino: ino32(st.ino) });
      } catch (e) {
        if (!(e instanceof ShareError)) throw e;
      }
    }
    return out;
  }

  /** Opens a regular file for f, checked to be the file that was resolved. */
  private withFile<T>(path: SharePath, flags: number, f: (fd: number) => T): T {
    const real = this.real(path);
    const before = this.usable(real);
    if (before.isDirectory()) throw new ShareError(Errno.EISDIR);
    const fd = fs(() => openSync(real, flags | NOFOLLOW | NONBLOCK));
    try {
      const st = fs(() => fstatSync(fd));
      if (!st.isFile() || st.ino !== before.ino || st.dev !== before.dev) throw refused("the file changed while it was opened");
      return fs(() => f(fd));
    } finally {
      closeSync(fd);
    }
  }

  read(path: SharePath, offset: number, into: Uint8Array): number {
    return this.withFile(path, O_RDONLY, (fd) => {
      let done = 0;
      while (done < into.length) {
        const n = readSync(fd, into, done, into.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    });
  }

  write(path: SharePath, offset: number, data: Uint8Array): number {
    this.writable();
    return this.withFile(path, O_WRONLY, (fd) => {
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done, offset + done);
      return done;
    });
  }

  create(path: SharePath, perm: number): void {
    this.writable();
    const p = this.entry(path);
    // O_EXCL: a name already there, a dangling link included, is EEXIST
    closeSync(fs(() => openSync(p, O_WRONLY | O_CREAT | O_EXCL | NOFOLLOW | NONBLOCK, perm & 0o777)));
  }

  mkdir(path: SharePath, perm: number): void {
    this.writable();
    const p = this.entry(path);
    fs(() => mkdirSync(p, perm & 0o777));
  }

  truncate(path: SharePath, size: number): void {
    this.writable();
    this.withFile(path, O_WRONLY, (fd) => ftruncateSync(fd, size));
  }

  unlink(path: SharePath): void {
    this.writable();
    const p = this.entry(path);
    if (fs(() => lstatSync(p)).isDirectory()) throw new ShareError(Errno.EISDIR);
    fs(() => unlinkSync(p));
  }

  rmdir(path: SharePath): void {
    this.writable();
    const p = this.entry(path);
    if (!fs(() => lstatSync(p)).isDirectory()) throw new ShareError(Errno.ENOTDIR);
    fs(() => rmdirSync(p));
  }

  rename(from: SharePath, to: SharePath): void {
    this.writable();
    const a = this.entry(from), b = this.entry(to);
    fs(() => renameSync(a, b));
  }
}

/** DIR as a shared folder; UserError (one line) when it is not a directory. */
export function dirShare(dir: string, opts: DirShareOptions = {}): DirShare { return new DirShare(dir, opts); }
