// newc cpio archives (the teaching kernel's initrd format, Linux's
// initramfs's), the teaching initrd made a busybox system, and the busybox
// initramfs Debian's Linux boots. No Node modules here: the browser page
// (web/busybox.ts, web/linux.ts) builds the same systems from the files
// the user gives it as scripts/busybox-initrd.js and
// scripts/linux-initramfs.js do from Debian's.

/** @typedef {{ name: string, mode: number, data: Uint8Array }} Member */

export const DIR = 0o40755, FILE = 0o100644, EXEC = 0o100755, LINK = 0o120777;

const latin1 = (bytes) => String.fromCharCode(...bytes);
const ascii = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

/** The members of a newc archive, up to its trailer; throws on a malformed one.
 *  @param {Uint8Array} bytes @returns {Member[]} */
export function readCpio(bytes) {
  const out = [];
  const hex = (at) => {
    const text = latin1(bytes.subarray(at, at + 8));
    if (!/^[0-9a-fA-F]{8}$/.test(text)) throw new Error(`cpio: a bad header field at byte ${at}`);
    return parseInt(text, 16);
  };
  for (let at = 0; at + 110 <= bytes.length;) {
    if (latin1(bytes.subarray(at, at + 6)) !== "070701") throw new Error(`cpio: no newc header (070701) at byte ${at}`);
    const mode = hex(at + 14), size = hex(at + 54), namesize = hex(at + 94);
    const dataAt = (at + 110 + namesize + 3) & ~3;
    if (namesize === 0 || dataAt + size > bytes.length) throw new Error(`cpio: the member at byte ${at} runs past the end`);
    const name = latin1(bytes.subarray(at + 110, at + 110 + namesize - 1));
    if (name === "TRAILER!!!") return out;
    out.push({ name, mode, data: bytes.subarray(dataAt, dataAt + size) });
    at = (dataAt + size + 3) & ~3;
  }
  throw new Error("cpio: no trailer");
}

/** A newc archive of members, numbered in order, with fixed owners and
 *  times (as scripts/images.js writes images/initrd.cpio).
 *  @param {Member[]} members @returns {Uint8Array} */
export function writeCpio(members) {
  const all = [...members, { name: "TRAILER!!!", mode: 0, data: new Uint8Array(0) }];
  const pad = (n) => (4 - (n % 4)) % 4;
  const headed = all.map((m) => ({ m, name: ascii(m.name + "\0") }));
  const total = headed.reduce((n, { m, name }) => n + 110 + name.length + pad(110 + name.length) + m.data.length + pad(m.data.length), 0);
  const out = new Uint8Array(total);
  let at = 0;
  headed.forEach(({ m, name }, i) => {
    const ino = m.name === "TRAILER!!!" ? 0 : i + 1;
    const fields = [ino, m.mode, 0, 0, 1, 0, m.data.length, 0, 0, 0, 0, name.length, 0];
    out.set(ascii("070701" + fields.map((v) => v.toString(16).padStart(8, "0")).join("")), at);
    out.set(name, at + 110);
    at += 110 + name.length + pad(110 + name.length);
    out.set(m.data, at);
    at += m.data.length + pad(m.data.length);
  });
  return out;
}

/** The teaching initrd's members as a busybox system's: its /bin and /init
 *  go, busybox and the links init needs come, the directories the applets'
 *  links go in are made; add() puts in more (the busybox system's /etc),
 *  replacing a member of the same name in its place.
 *  @param {Member[]} members @param {Uint8Array} busybox */
export function busyboxSystem(members, busybox) {
  const kept = members.filter((m) => m.name !== "init" && m.name !== "bin" && !m.name.startsWith("bin/"));
  const names = new Set(kept.map((m) => m.name));
  /** @param {string} name @param {number} mode @param {Uint8Array | string} [data] */
  const add = (name, mode, data = new Uint8Array(0)) => {
    const m = { name, mode, data: typeof data === "string" ? new TextEncoder().encode(data) : data };
    if (names.has(name)) kept[kept.findIndex((k) => k.name === name)] = m; /* in its place: before what it holds */
    else kept.push(m);
    names.add(name);
  };
  for (const d of ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "root"]) add(d, DIR);
  add("bin/busybox", EXEC, busybox);
  for (const l of ["bin/sh", "sbin/init", "init"]) add(l, LINK, "/bin/busybox");
  add("etc/mtab", LINK, "/proc/mounts");
  return { members: kept, add };
}

/** Why bytes cannot be busybox for the teaching kernel (an i386 ELF
 *  executable, statically linked), or undefined when they can be.
 *  @param {Uint8Array} bytes @returns {string | undefined} */
export function notStaticI386(bytes) {
  if (bytes.length < 52 || bytes[0] !== 0x7f || latin1(bytes.subarray(1, 4)) !== "ELF") return "it is not an ELF file";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[4] !== 1 || bytes[5] !== 1 || view.getUint16(18, true) !== 3) return "it is not a 32-bit i386 ELF file (busybox-static for i386 is)";
  if (view.getUint16(16, true) !== 2) return "it is not an executable (ELF type EXEC)";
  const phoff = view.getUint32(28, true), phentsize = view.getUint16(42, true), phnum = view.getUint16(44, true);
  if (phentsize < 32 || phoff + phnum * phentsize > bytes.length) return "its program headers run past the end of the file";
  for (let i = 0; i < phnum; i++)
    if (view.getUint32(phoff + i * phentsize, true) === 3) return "it is dynamically linked (the teaching kernel runs static programs: busybox-static)";
  return undefined;
}

/** Linux's command line: the console on the serial port, and the crypto
 *  API's self-tests left out (they are most of the kernel's own start-up
 *  time here: seconds of compute before the shell). */
export const LINUX_APPEND = "console=ttyS0 cryptomgr.notests";

/** The shell Linux's /init starts: on the console's real tty, with job control. */
export const SHELL_INIT = `#!/bin/busybox sh
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
[ -x /etc/modules.sh ] && /etc/modules.sh
export HOME=/root PS1='[linux]# '
echo "busybox $(busybox | head -n 1 | cut -d' ' -f2) on Linux $(uname -r): a shell on $(cat /sys/class/tty/console/active); exit powers off"
setsid cttyhack sh
poweroff -f
`;

/** A Linux initramfs's members: busybox, /init (a shell on the console
 *  unless init is given) and the directories they use.
 *  @param {Uint8Array} busybox @param {string} [init] @returns {Member[]} */
export function linuxSystem(busybox, init = SHELL_INIT) {
  const text = (t) => new TextEncoder().encode(t);
  const members = ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "root", "etc", "mnt"]
    .map((name) => ({ name, mode: DIR, data: new Uint8Array(0) }));
  members.push({ name: "bin/busybox", mode: EXEC, data: busybox });
  members.push({ name: "bin/sh", mode: LINK, data: text("busybox") });
  members.push({ name: "init", mode: EXEC, data: text(init) });
  members.push({ name: "etc/mtab", mode: LINK, data: text("/proc/mounts") });
  return members;
}
