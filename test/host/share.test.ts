// The shared folder's host side: the directory backend stays inside its
// directory (no '..', absolute path, symbolic link or device file leads
// out or blocks), the device checks every request against guest RAM and
// its handles, the memory backend keeps to its bounds, and the core
// forwards the port window and drops code the host overwrote.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, readFileSync, existsSync, rmSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dirShare } from "../../host/node/share-dir.js";
import { memoryShare } from "../../host/share-memory.js";
import {
  ShareDevice, ShareError, Errno, Op, Req, REQUEST_BYTES, SHARE_MAGIC, SHARE_PORT, HANDLES_MAX, IO_MAX,
  type ShareBackend, type GuestRam,
} from "../../host/share.js";
import { Machine, Stop, UserError } from "../../host/machine.js";
import { coreModule, hasCommand } from "../helpers/machine.js";

/** The errno a call fails with (the test fails if it succeeds or throws anything else). */
function errnoOf(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof ShareError) return e.errno;
    throw e;
  }
  throw new Error("expected a ShareError");
}

/** A folder to share, beside an "outside" folder it must not reach. */
function fixture() {
  const top = mkdtempSync(join(tmpdir(), "wasm386-share-"));
  const dir = join(top, "shared"), outside = join(top, "outside");
  mkdirSync(dir);
  mkdirSync(outside);
  writeFileSync(join(outside, "secret"), "outside\n");
  writeFileSync(join(dir, "a.txt"), "inside\n");
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "sub", "b.txt"), "deeper\n");
  symlinkSync("/", join(dir, "escape"));
  symlinkSync("..", join(dir, "up"));
  symlinkSync("../outside/secret", join(dir, "secretlink"));
  symlinkSync(join(outside, "secret"), join(dir, "abslink"));
  symlinkSync("sub", join(dir, "inner"));
  symlinkSync("../a.txt", join(dir, "sub", "back"));
  symlinkSync("nowhere", join(dir, "dangling"));
  return { top, dir, outside, done: () => rmSync(top, { recursive: true, force: true }) };
}

test("dirShare: symbolic links that lead out, and '..', are refused; links inside are followed", () => {
  const f = fixture();
  try {
    const s = dirShare(f.dir);
    const refused = [["escape"], ["escape", "etc", "passwd"], ["up"], ["up", "outside", "secret"], ["secretlink"], ["abslink"]];
    for (const p of refused) {
      assert.is(errnoOf(() => s.stat(p)), Errno.EACCES, p.join("/"));
      assert.is(errnoOf(() => s.read(p, 0, new Uint8Array(16))), Errno.EACCES, p.join("/"));
    }
    assert.is(errnoOf(() => s.write(["secretlink"], 0, new TextEncoder().encode("pwned"))), Errno.EACCES);
    assert.is(errnoOf(() => s.truncate(["abslink"], 0)), Errno.EACCES);
    assert.is(errnoOf(() => s.create(["escape", "tmp", "pwned"], 0o644)), Errno.EACCES);
    assert.is(errnoOf(() => s.mkdir(["up", "pwned"], 0o755)), Errno.EACCES);
    assert.is(errnoOf(() => s.rename(["a.txt"], ["up", "outside", "moved"])), Errno.EACCES);
    assert.is(errnoOf(() => s.rename(["up", "outside", "secret"], ["stolen"])), Errno.EACCES);
    assert.is(errnoOf(() => s.unlink(["up", "outside", "secret"])), Errno.EACCES);
    assert.is(errnoOf(() => s.list(["escape"])), Errno.EACCES);
    assert.is(readFileSync(join(f.outside, "secret"), "utf8"), "outside\n");
    assert.equal(readdirSync(f.outside), ["secret"]);
    // inside: followed
    const buf = new Uint8Array(16);
    assert.is(new TextDecoder().decode(buf.subarray(0, s.read(["inner", "b.txt"], 0, buf))), "deeper\n");
    assert.is(new TextDecoder().decode(buf.subarray(0, s.read(["sub", "back"], 0, buf))), "inside\n");
    // the listing shows only what the guest can use
    assert.equal(s.list([]).map((e) => `${e.name}:${e.type}`).sort(), ["a.txt:file", "inner:dir", "sub:dir"]);
  } finally {
    f.done();
  }
});

test("dirShare: names are single components: '..', '.', '/', NUL, empty and over-long are refused", () => {
  const f = fixture();
  try {
    const s = dirShare(f.dir);
    for (const name of ["..", ".", "", "a/b", "../outside", "/etc", "x\0y"]) {
      assert.is(errnoOf(() => s.stat([name])), Errno.EINVAL, JSON.stringify(name));
      assert.is(errnoOf(() => s.create([name], 0o644)), Errno.EINVAL, JSON.stringify(name));
    }
    assert.is(errnoOf(() => s.stat(["sub", ".."])), Errno.EINVAL);
    assert.is(errnoOf(() => s.create(["x".repeat(256)], 0o644)), Errno.ENAMETOOLONG);
    assert.is(errnoOf(() => s.rmdir([])), Errno.EBUSY, "the root itself");
    assert.not.ok(existsSync(join(f.top, "x")));
  } finally {
    f.done();
  }
});

if (hasCommand("mkfifo")) test("dirShare: a FIFO is refused without blocking; created files drop set-id bits", () => {
  const f = fixture();
  try {
    execFileSync("mkfifo", [join(f.dir, "pipe")]);
    const s = dirShare(f.dir);
    assert.is(errnoOf(() => s.stat(["pipe"])), Errno.EACCES);
    assert.is(errnoOf(() => s.read(["pipe"], 0, new Uint8Array(4))), Errno.EACCES);
    assert.is(errnoOf(() => s.write(["pipe"], 0, new Uint8Array(4))), Errno.EACCES);
    assert.not.ok(s.list([]).some((e) => e.name === "pipe"));
    s.create(["setuid"], 0o4755);
    assert.is(s.stat(["setuid"]).perm & 0o7000, 0);
  } finally {
    f.done();
  }
});

test("dirShare: read-only refuses every change with EROFS; a missing DIR or a file is one line", () => {
  const f = fixture();
  try {
    const s = dirShare(f.dir, { readOnly: true });
    const data = new TextEncoder().encode("x");
    for (const change of [() => s.write(["a.txt"], 0, data), () => s.create(["n"], 0o644), () => s.mkdir(["d"], 0o755),
      () => s.truncate(["a.txt"], 0), () => s.unlink(["a.txt"]), () => s.rmdir(["sub"]), () => s.rename(["a.txt"], ["b"])])
      assert.is(errnoOf(change), Errno.EROFS);
    assert.is(readFileSync(join(f.dir, "a.txt"), "utf8"), "inside\n");
    assert.throws(() => dirShare(join(f.top, "missing")), (e: Error) => e instanceof UserError && /no such directory$/.test(e.message));
    assert.throws(() => dirShare(join(f.dir, "a.txt")), (e: Error) => e instanceof UserError && /not a directory$/.test(e.message));
  } finally {
    f.done();
  }
});

test("memoryShare: file data and entries are bounded (ENOSPC), a huge truncate allocates nothing", () => {
  const s = memoryShare({ maxBytes: 1 << 20, maxEntries: 10 });
  s.create(["f"], 0o644);
  assert.is(errnoOf(() => s.truncate(["f"], 2 ** 32 - 1)), Errno.ENOSPC);
  assert.is(errnoOf(() => s.write(["f"], (1 << 20) - 1, new Uint8Array(2))), Errno.ENOSPC);
  s.write(["f"], 0, new Uint8Array(1 << 20));
  assert.is(s.usedBytes, 1 << 20);
  s.unlink(["f"]);
  assert.is(s.usedBytes, 0);
  for (let i = 0; i < 9; i++) s.mkdir([`d${i}`], 0o755);
  assert.is(errnoOf(() => s.mkdir(["one-more"], 0o755)), Errno.ENOSPC);
  assert.is(errnoOf(() => s.rename(["d1"], ["d1", "inside"])), Errno.EINVAL);
  const t = memoryShare();
  t.putFile(["up", "load", "f.txt"], new TextEncoder().encode("hi")); // the host's own path makes directories
  assert.equal(t.files(), [{ path: ["up", "load", "f.txt"], size: 2 }]);
});

/** A device over RAM of its own, with requests built in it. */
function bench(backend: ShareBackend, ramBytes = 1 << 20) {
  const bytes = new Uint8Array(ramBytes);
  const dv = new DataView(bytes.buffer);
  const writes: [number, number][] = [];
  const ram: GuestRam = { bytes, written: (a, n) => writes.push([a, n]) };
  const dev = new ShareDevice(backend);
  const REQ = 0x1000, NAME = 0x2000, NAME2 = 0x2400, BUF = 0x4000;
  const enc = new TextEncoder();
  function run(fields: Partial<Record<keyof typeof Req, number>>, name?: string | Uint8Array, name2?: string, at = REQ) {
    bytes.fill(0, at, at + REQUEST_BYTES);
    if (name !== undefined) {
      const b = typeof name === "string" ? enc.encode(name) : name;
      bytes.set(b, NAME);
      dv.setUint32(at + Req.name, NAME, true);
      dv.setUint32(at + Req.nameLen, b.length, true);
    }
    if (name2 !== undefined) {
      const b = enc.encode(name2);
      bytes.set(b, NAME2);
      dv.setUint32(at + Req.name2, NAME2, true);
      dv.setUint32(at + Req.name2Len, b.length, true);
    }
    for (const [k, v] of Object.entries(fields)) dv.setUint32(at + Req[k as keyof typeof Req], v!, true);
    dev.portOut(0, 4, at, ram);
    const get = (k: keyof typeof Req) => dv.getUint32(at + Req[k], true);
    return { status: get("status"), handle: get("handle"), len: get("len"), size: get("size"), mode: get("attrMode"), get };
  }
  return { dev, ram, bytes, run, writes, REQ, NAME, BUF };
}

test("device: the probe, and requests that do not fit in RAM are ignored without a reply", () => {
  const b = bench(memoryShare());
  assert.is(b.dev.portIn(0, 4), SHARE_MAGIC);
  assert.is(b.dev.portIn(0, 1), SHARE_MAGIC & 0xff);
  assert.is(b.dev.portIn(4, 4), 0);
  assert.is(new ShareDevice(memoryShare({ readOnly: true })).portIn(4, 4), 1);
  for (const at of [b.ram.bytes.length - REQUEST_BYTES + 1, b.ram.bytes.length, 0xffffffff]) {
    b.dev.portOut(0, 4, at, b.ram);
    assert.is(b.writes.length, 0);
  }
  b.dev.portOut(0, 2, b.REQ, b.ram); // not a dword: nothing
  b.dev.portOut(4, 4, b.REQ, b.ram);
  assert.is(b.writes.length, 0);
});

test("device: names and buffers are checked against RAM; names are components of valid UTF-8", () => {
  const share = memoryShare();
  share.putFile(["f"], new TextEncoder().encode("0123456789"));
  const b = bench(share);
  assert.is(b.run({ op: Op.Lookup, node: 1 }, "f").status, 0);
  for (const bad of ["..", ".", "", "a/b", "f\0"]) assert.is(b.run({ op: Op.Lookup, node: 1 }, bad).status, Errno.EINVAL, bad);
  assert.is(b.run({ op: Op.Lookup, node: 1 }, new Uint8Array([0x66, 0xff])).status, Errno.EINVAL, "not UTF-8");
  assert.is(b.run({ op: Op.Lookup, node: 1 }, "x".repeat(256)).status, Errno.ENAMETOOLONG);
  assert.is(b.run({ op: Op.Lookup, node: 1, name: b.ram.bytes.length - 1, nameLen: 2 }).status, Errno.EFAULT);
  assert.is(b.run({ op: Op.Lookup, node: 1, name: 0xffffffff, nameLen: 1 }).status, Errno.EFAULT);
  const f = b.run({ op: Op.Lookup, node: 1 }, "f").handle;
  assert.is(b.run({ op: Op.Read, node: f, buf: b.ram.bytes.length - 4, len: 5 }).status, Errno.EFAULT);
  assert.is(b.run({ op: Op.Read, node: f, buf: 0xfffffff0, len: 0x20 }).status, Errno.EFAULT);
  assert.is(b.run({ op: Op.Read, node: f, buf: b.BUF, len: 4, offset: 0 }).len, 4);
  const r = b.run({ op: Op.Read, node: f, buf: b.BUF, len: 100 });
  assert.is(r.len, 10);
  assert.is(new TextDecoder().decode(b.bytes.subarray(b.BUF, b.BUF + 10)), "0123456789");
  assert.ok(b.writes.some(([a, n]) => a === b.BUF && n === 10), "the core is told what the host wrote");
  // offsets past 32 bits: EFBIG (the high word)
  b.bytes.fill(0);
  const hi = b.run({ op: Op.Read, node: f, buf: b.BUF, len: 4, offset: 0 });
  assert.is(hi.status, 0);
  const dv = new DataView(b.bytes.buffer);
  dv.setUint32(b.REQ + Req.offset + 4, 1, true);
  dv.setUint32(b.REQ + Req.op, Op.Read, true);
  dv.setUint32(b.REQ + Req.node, f, true);
  b.dev.portOut(0, 4, b.REQ, b.ram);
  assert.is(dv.getUint32(b.REQ + Req.status, true), Errno.EFBIG);
  // a length past IO_MAX moves at most IO_MAX
  const big = bench(memoryShare(), 4 << 20);
  big.dev.backend.create(["g"], 0o644);
  const g = big.run({ op: Op.Lookup, node: 1 }, "g").handle;
  assert.is(big.run({ op: Op.Write, node: g, buf: 0, len: 3 << 20 }).len, IO_MAX);
  assert.is(big.run({ op: Op.Getattr, node: g }).size, IO_MAX);
});

test("device: handles are what the host gave out; unknown ones EBADF, removed ones ESTALE; they follow renames", () => {
  const share = memoryShare();
  share.putFile(["d", "f"], new TextEncoder().encode("x"));
  const b = bench(share);
  for (const h of [0, 2, 999, 0xffffffff]) assert.is(b.run({ op: Op.Getattr, node: h }).status, Errno.EBADF, String(h));
  const d = b.run({ op: Op.Lookup, node: 1 }, "d");
  assert.is(d.mode & 0o170000, 0o040000);
  const f = b.run({ op: Op.Lookup, node: d.handle }, "f").handle;
  assert.is(b.run({ op: Op.Lookup, node: d.handle }, "f").handle, f, "the same path, the same handle");
  assert.is(b.run({ op: Op.Rename, node: 1, node2: 1 }, "d", "e").status, 0);
  assert.is(b.run({ op: Op.Getattr, node: f }).status, 0, "the handle followed the directory");
  assert.is(b.run({ op: Op.Lookup, node: 1 }, "e").handle, d.handle);
  assert.is(b.run({ op: Op.Rename, node: 1, node2: d.handle }, "e", "inside").status, Errno.EINVAL, "into itself");
  assert.is(b.run({ op: Op.Unlink, node: d.handle }, "f").status, 0);
  assert.is(b.run({ op: Op.Read, node: f, buf: b.BUF, len: 1 }).status, Errno.ESTALE);
  assert.is(b.run({ op: Op.Forget, node: f }).status, 0);
  assert.is(b.run({ op: Op.Read, node: f, buf: b.BUF, len: 1 }).status, Errno.EBADF);
  assert.is(b.run({ op: Op.Forget, node: 1 }).status, 0);
  assert.is(b.run({ op: Op.Getattr, node: 1 }).status, 0, "the root is never forgotten");
  assert.is(b.run({ op: 0, node: 1 }).status, Errno.ENOSYS);
  assert.is(b.run({ op: 99, node: 1 }).status, Errno.ENOSYS);
});

test("device: a guest that never forgets runs out of handles (ENFILE), not the host out of memory", () => {
  const share = memoryShare({ maxEntries: HANDLES_MAX + 10 });
  const b = bench(share);
  let status = 0, made = 0;
  for (let i = 0; status === 0 && i < HANDLES_MAX + 5; i++) {
    status = b.run({ op: Op.Create, node: 1, mode: 0o644 }, `f${i}`).status;
    if (status === 0) made++;
  }
  assert.is(status, Errno.ENFILE);
  assert.is(made, HANDLES_MAX - 1); // and the root's
});

test("device: read-only shares answer EROFS to every change; readdir leaves out names longer than asked", () => {
  const share = memoryShare({ readOnly: false });
  share.putFile(["short"], new Uint8Array(1));
  share.putFile(["a-rather-long-name"], new Uint8Array(1));
  const b = bench(share);
  const names: string[] = [];
  for (let i = 0; ; i++) {
    const r = b.run({ op: Op.Readdir, node: 1, offset: i, buf: b.BUF, len: 8 });
    assert.is(r.status, 0);
    if (r.len === 0) break;
    names.push(new TextDecoder().decode(b.bytes.subarray(b.BUF, b.BUF + r.len)));
  }
  assert.equal(names, ["short"]);
  const ro = bench(memoryShare({ readOnly: true }));
  for (const op of [Op.Write, Op.Create, Op.Mkdir, Op.Truncate, Op.Unlink, Op.Rmdir, Op.Rename])
    assert.is(ro.run({ op, node: 1 }, "x", "y").status, Errno.EROFS, Op[op]);
});

test("core: the port window reaches the device (all ones without one); code the host overwrote is not run stale", async () => {
  const plain = await Machine.create({ wasm: coreModule(), memoryMiB: 2 });
  assert.is(plain.ioRead(SHARE_PORT, 4), 0xffffffff);
  assert.is(plain.ioRead(SHARE_PORT, 1), 0xff);
  const share = memoryShare();
  // the file: mov eax, 2; ret
  share.putFile(["code"], new Uint8Array([0xb8, 2, 0, 0, 0, 0xc3]));
  for (const jit of ["off", "force"] as const) {
    const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, share, jit });
    assert.is(m.ioRead(SHARE_PORT, 4), SHARE_MAGIC);
    const ram = m.ram, dv = new DataView(ram.buffer, ram.byteOffset);
    // LOOKUP "code" from the host's side, then leave a READ of it into 0x3000 at 0x2000
    ram.set(new TextEncoder().encode("code"), 0x2100);
    const req = (o: Record<string, number>) => { ram.fill(0, 0x2000, 0x2000 + REQUEST_BYTES); for (const [k, v] of Object.entries(o)) dv.setUint32(0x2000 + Req[k as keyof typeof Req], v, true); };
    req({ op: Op.Lookup, node: 1, name: 0x2100, nameLen: 4 });
    m.ioWrite(SHARE_PORT, 0x2000, 4);
    assert.is(dv.getUint32(0x2000 + Req.status, true), 0);
    const handle = dv.getUint32(0x2000 + Req.handle, true);
    req({ op: Op.Read, node: handle, buf: 0x3000, len: 6 });
    ram.set([0xb8, 1, 0, 0, 0, 0xc3], 0x3000); // mov eax, 1; ret
    // call 0x3000 (twice, so its block is decoded and hot), the request, call 0x3000 again
    const code = [0xbc, 0, 0x80, 0, 0, 0xe8, ...rel(0x1005, 0x3000), 0xe8, ...rel(0x100a, 0x3000), 0x89, 0xc3,
      0xb8, 0, 0x20, 0, 0, 0x66, 0xba, 0x40, 0x05, 0xef, 0xe8, ...rel(0x101b, 0x3000), 0xf4];
    ram.set(code, 0x1000);
    m.bootFlat(0x1000);
    assert.is(m.runSlice(1000), Stop.Halted);
    assert.is(m.registers().ebx, 1, `before the read (jit ${jit})`);
    assert.is(m.registers().eax, 2, `after it: the new code ran (jit ${jit})`);
  }
});

function rel(from: number, to: number): number[] {
  const d = (to - (from + 5)) >>> 0;
  return [d & 0xff, (d >>> 8) & 0xff, (d >>> 16) & 0xff, d >>> 24];
}

test.run();
