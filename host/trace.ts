// Tracing from the host: the core records events (system call entries,
// exceptions, interrupts, returns to ring 3) and stops; these functions
// turn them into strace-like lines. Nothing in the guest changes: names and
// argument kinds come from the Linux i386 system call table, strings are
// read from guest memory through the guest's own page tables.

export type TraceKind = "syscalls" | "exceptions" | "irq" | "modules";
export const TRACE_KINDS: TraceKind[] = ["syscalls", "exceptions", "irq", "modules"];

export interface RawTraceEvent {
  kind: number; vec: number; code: number; eip: number; cr2: number; cpl: number; cr3: number;
  regs: { eax: number; ecx: number; edx: number; ebx: number; esp: number; ebp: number; esi: number; edi: number };
}

/** Reads guest memory by linear address, as the user program could: null
 *  where it is not mapped for ring 3. */
export type LinearReader = (lin: number, len: number, cr3: number) => Uint8Array | null;

// Argument kinds: i int, u unsigned, x hex, o octal, s string, b buffer
// (length in the next argument, shown after the call for reads), p pointer.
const TABLE: Record<number, [string, string]> = {
  1: ["exit", "i"], 2: ["fork", ""], 3: ["read", "i>bu"], 4: ["write", "ibu"], 5: ["open", "sxo"], 6: ["close", "i"],
  7: ["waitpid", "ipi"], 9: ["link", "ss"], 10: ["unlink", "s"], 11: ["execve", "spp"], 12: ["chdir", "s"], 13: ["time", "p"],
  19: ["lseek", "iii"], 20: ["getpid", ""], 21: ["mount", "sssxp"], 33: ["access", "so"], 36: ["sync", ""], 37: ["kill", "ii"],
  38: ["rename", "ss"], 39: ["mkdir", "so"], 40: ["rmdir", "s"], 41: ["dup", "i"], 42: ["pipe", "p"], 45: ["brk", "x"],
  48: ["signal", "ix"], 52: ["umount2", "sx"], 54: ["ioctl", "ixx"], 57: ["setpgid", "ii"], 63: ["dup2", "ii"],
  64: ["getppid", ""], 65: ["getpgrp", ""], 88: ["reboot", "xxx"], 91: ["munmap", "xu"], 114: ["wait4", "ipip"],
  122: ["uname", "p"], 128: ["init_module", "pus"], 129: ["delete_module", "sx"], 132: ["getpgid", "i"],
  140: ["_llseek", "iuupi"], 158: ["sched_yield", ""], 162: ["nanosleep", "pp"], 183: ["getcwd", "pu"],
  192: ["mmap2", "xuxxix"], 195: ["stat64", "sp"], 196: ["lstat64", "sp"], 197: ["fstat64", "ip"],
  220: ["getdents64", "ipu"], 252: ["exit_group", "i"],
  23: ["setuid", "u"], 24: ["getuid", ""], 46: ["setgid", "u"], 47: ["getgid", ""], 49: ["geteuid", ""], 50: ["getegid", ""],
  199: ["getuid32", ""], 200: ["getgid32", ""], 201: ["geteuid32", ""], 202: ["getegid32", ""], 213: ["setuid32", "u"],
  214: ["setgid32", "u"],
  // Linux's calls for static glibc and busybox (issue 23), and some that stay ENOSYS (102, 386, 435)
  8: ["creat", "so"], 14: ["mknod", "sox"], 15: ["chmod", "so"], 22: ["umount", "s"], 27: ["alarm", "u"],
  29: ["pause", ""], 30: ["utime", "sp"], 43: ["times", "p"], 55: ["fcntl", "iix"], 60: ["umask", "o"],
  66: ["setsid", ""], 67: ["sigaction", "ipp"], 72: ["sigsuspend", "x"], 73: ["sigpending", "p"],
  75: ["setrlimit", "ip"], 76: ["getrlimit", "ip"], 77: ["getrusage", "ip"], 78: ["gettimeofday", "pp"],
  79: ["settimeofday", "pp"], 83: ["symlink", "ss"], 85: ["readlink", "spu"], 92: ["truncate", "su"],
  93: ["ftruncate", "iu"], 94: ["fchmod", "io"], 102: ["socketcall", "ip"], 103: ["syslog", "ipi"],
  104: ["setitimer", "ipp"], 105: ["getitimer", "ip"], 116: ["sysinfo", "p"], 118: ["fsync", "i"],
  119: ["sigreturn", ""], 120: ["clone", "xppxp"], 125: ["mprotect", "xux"], 126: ["sigprocmask", "ipp"],
  133: ["fchdir", "i"], 142: ["_newselect", "ipppp"], 145: ["readv", "ipi"], 146: ["writev", "ipi"],
  147: ["getsid", "i"], 148: ["fdatasync", "i"], 163: ["mremap", "xuux"], 168: ["poll", "pui"],
  172: ["prctl", "ixxxx"], 173: ["rt_sigreturn", ""], 174: ["rt_sigaction", "ippu"], 175: ["rt_sigprocmask", "ippu"],
  176: ["rt_sigpending", "pu"], 177: ["rt_sigtimedwait", "pppu"], 179: ["rt_sigsuspend", "pu"],
  180: ["pread64", "i>buuu"], 181: ["pwrite64", "ibuuu"], 186: ["sigaltstack", "pp"], 190: ["vfork", ""],
  191: ["ugetrlimit", "ip"], 193: ["truncate64", "suu"], 194: ["ftruncate64", "iuu"], 198: ["lchown32", "suu"],
  203: ["setreuid32", "uu"], 204: ["setregid32", "uu"], 205: ["getgroups32", "ip"], 206: ["setgroups32", "ip"],
  207: ["fchown32", "iuu"], 208: ["setresuid32", "uuu"], 209: ["getresuid32", "ppp"], 210: ["setresgid32", "uuu"],
  211: ["getresgid32", "ppp"], 212: ["chown32", "suu"], 215: ["setfsuid32", "u"], 216: ["setfsgid32", "u"],
  219: ["madvise", "xui"], 221: ["fcntl64", "iix"], 224: ["gettid", ""], 238: ["tkill", "ii"],
  239: ["sendfile64", "iipu"], 240: ["futex", "xixppx"], 243: ["set_thread_area", "p"],
  244: ["get_thread_area", "p"], 258: ["set_tid_address", "p"], 264: ["clock_settime", "ip"],
  265: ["clock_gettime", "ip"], 266: ["clock_getres", "ip"], 267: ["clock_nanosleep", "iipp"],
  268: ["statfs64", "sup"], 269: ["fstatfs64", "iup"], 270: ["tgkill", "iii"], 271: ["utimes", "sp"],
  295: ["openat", "isxo"], 296: ["mkdirat", "iso"], 297: ["mknodat", "isox"], 298: ["fchownat", "isuux"],
  300: ["fstatat64", "ispx"], 301: ["unlinkat", "isx"], 302: ["renameat", "isis"], 303: ["linkat", "isisx"],
  304: ["symlinkat", "sis"], 305: ["readlinkat", "ispu"], 306: ["fchmodat", "iso"], 307: ["faccessat", "iso"],
  308: ["pselect6", "ipppp"], 309: ["ppoll", "pupp"], 311: ["set_robust_list", "pu"], 320: ["utimensat", "ispx"],
  330: ["dup3", "iix"], 331: ["pipe2", "px"], 340: ["prlimit64", "iipp"], 353: ["renameat2", "isisx"],
  355: ["getrandom", "pux"], 383: ["statx", "isxxp"], 386: ["rseq", "puxx"], 403: ["clock_gettime64", "ip"],
  404: ["clock_settime64", "ip"], 406: ["clock_getres_time64", "ip"], 407: ["clock_nanosleep_time64", "iipp"],
  412: ["utimensat_time64", "ispx"], 413: ["pselect6_time64", "ipppp"], 414: ["ppoll_time64", "pupp"],
  421: ["rt_sigtimedwait_time64", "pppu"], 422: ["futex_time64", "xixppx"], 435: ["clone3", "pu"],
  439: ["faccessat2", "isox"],
};

const ERRNO: Record<number, string> = {
  1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 8: "ENOEXEC", 9: "EBADF",
  10: "ECHILD", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 15: "ENOTBLK", 16: "EBUSY", 17: "EEXIST",
  18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 24: "EMFILE", 25: "ENOTTY", 27: "EFBIG",
  28: "ENOSPC", 29: "ESPIPE", 30: "EROFS", 32: "EPIPE", 34: "ERANGE", 36: "ENAMETOOLONG", 38: "ENOSYS", 39: "ENOTEMPTY",
};

const EXCEPTIONS = ["#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF",
  "#15", "#MF", "#AC", "#MC", "#XM"];

const MAX_STRING = 32;

/** A C string or buffer as strace shows it: quoted, escaped, "..." when longer. */
function quote(bytes: Uint8Array | null, limit: number, cstring: boolean): string {
  if (!bytes) return "<unreadable>";
  let s = "\"";
  let n = 0;
  for (; n < bytes.length && n < limit; n++) {
    const c = bytes[n];
    if (cstring && c === 0) return `${s}"`;
    s += c === 10 ? "\\n" : c === 13 ? "\\r" : c === 9 ? "\\t" : c === 34 ? "\\\"" : c === 92 ? "\\\\"
      : c >= 32 && c < 127 ? String.fromCharCode(c) : `\\${c.toString(8)}`;
  }
  return `${s}"${n < bytes.length || (cstring && n === limit) ? "..." : ""}`;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/** Formats the system call traces of one machine: entries are held per
 *  process (by its kernel stack, the TSS's ESP0) until their return. */
export class SyscallTracer {
  private pending = new Map<number, { line: string; name: string; nr: number; bufArg?: [number, number]; cr3: number }>();

  constructor(private readonly read: LinearReader, private readonly only?: Set<number>) {}

  private cstr(ptr: number, cr3: number): string {
    if (ptr === 0) return "NULL";
    const b = this.read(ptr, MAX_STRING + 1, cr3);
    return b ? quote(b, MAX_STRING, true) : hex(ptr); // not the program's: shown as the pointer, as strace does
  }

  private buffer(ptr: number, len: number, cr3: number): string {
    const b = this.read(ptr, Math.min(len, MAX_STRING + 1), cr3);
    return b ? quote(b, Math.min(len, MAX_STRING), false) + (len > MAX_STRING && b.length <= MAX_STRING ? "..." : "") : hex(ptr);
  }

  private args(spec: string, a: number[], cr3: number): { text: string; bufArg?: [number, number] } {
    const out: string[] = [];
    let bufArg: [number, number] | undefined;
    let after = false;
    for (let i = 0, k = 0; i < spec.length; i++) {
      const c = spec[i];
      if (c === ">") { after = true; continue; }
      const v = a[k++] >>> 0;
      switch (c) {
        case "i": out.push(String(v | 0)); break;
        case "u": out.push(String(v)); break;
        case "x": out.push(hex(v)); break;
        case "o": out.push(`0${v.toString(8)}`); break;
        case "s": out.push(this.cstr(v, cr3)); break;
        case "p": out.push(v ? hex(v) : "NULL"); break;
        case "b":
          if (after) { bufArg = [v, a[k] >>> 0]; out.push("\u0000"); } // filled in at the return
          else out.push(this.buffer(v, a[k] >>> 0, cr3));
          break;
      }
    }
    return { text: out.join(", "), bufArg };
  }

  /** An entry (int 0x80 / sysenter): returns a line only for calls that never return. */
  enter(e: RawTraceEvent, esp0: number): string | undefined {
    const nr = e.regs.eax >>> 0;
    if (this.only && !this.only.has(nr)) return undefined;
    const [name, table] = TABLE[nr] ?? [`syscall_${nr}`, "xxxxxx"];
    const r = e.regs;
    // open's mode means something only with O_CREAT: without it the
    // register holds whatever was there, and strace leaves it out too.
    const spec = nr === 5 && !(r.ecx & 0o100) ? table.slice(0, 2) : table;
    const { text, bufArg } = this.args(spec, [r.ebx, r.ecx, r.edx, r.esi, r.edi, r.ebp], e.cr3);
    const line = `[${hex(e.cr3)}] ${name}(${text})`;
    if (nr === 1 || nr === 252) return `${line.replace("\u0000", "")} = ?`;
    this.pending.set(esp0, { line, name, nr, bufArg, cr3: e.cr3 });
    return undefined;
  }

  /** A return to ring 3: the line of the call it completes, if one is pending. */
  leave(e: RawTraceEvent, esp0: number): string | undefined {
    const p = this.pending.get(esp0);
    if (!p) return undefined;
    if (p.cr3 !== e.cr3 && p.nr !== 11) return undefined; // not this call's process (execve changes CR3)
    this.pending.delete(esp0);
    const v = e.regs.eax | 0;
    let line = p.line;
    if (p.bufArg) {
      const shown = v > 0 ? this.buffer(p.bufArg[0], v, e.cr3) : hex(p.bufArg[0]);
      line = line.replace("\u0000", shown);
    }
    const result = v < 0 && v > -4096 ? `-1 ${ERRNO[-v] ?? `E${-v}`}` : p.nr === 45 || p.nr === 192 ? hex(v) : String(v);
    return `${line} = ${result}`;
  }
}

export function formatException(e: RawTraceEvent): string {
  const name = EXCEPTIONS[e.vec] ?? `vector ${e.vec}`;
  const code = e.code === 0xffffffff ? "" : ` error ${hex(e.code)}`;
  const cr2 = e.vec === 14 ? ` cr2=${hex(e.cr2)}` : "";
  return `[${hex(e.cr3)}] exception ${name} (${e.vec})${code}${cr2} at eip=${hex(e.eip)} ring ${e.cpl}`;
}

export function formatIrq(e: RawTraceEvent): string {
  return `[${hex(e.cr3)}] interrupt vector ${e.vec} at eip=${hex(e.eip)} ring ${e.cpl}`;
}
