// The shared folder end to end: the teaching kernel booted with a temp
// directory shared (as wasm386 --share DIR) mounts it on /host, and the
// shell's tools read, write, make, move and remove files there, which the
// host sees; a read-only share refuses changes; links out of the folder
// stay shut; hostfs.ko checks the host's replies (a lying device gets EIO,
// the kernel goes on); and random request blocks fed to the device
// through the Machine API change nothing outside the folder.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  mkdtempSync, mkdirSync, writeFileSync, readFileSync, symlinkSync, existsSync, rmSync, readdirSync, lstatSync, appendFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { wasmSession, outputOf, type Step } from "../helpers/session.js";
import { dirShare } from "../../host/node/share-dir.js";
import { memoryShare } from "../../host/share-memory.js";
import { ShareDevice, Op, Req, REQUEST_BYTES, SHARE_PORT, type GuestRam } from "../../host/share.js";
import { Machine } from "../../host/machine.js";
import { coreModule } from "../helpers/machine.js";

/** A folder to share beside one it must not reach; big is 200 KiB of a pattern. */
function fixture() {
  const top = mkdtempSync(join(tmpdir(), "wasm386-hostfs-"));
  const dir = join(top, "shared"), outside = join(top, "outside");
  mkdirSync(dir);
  mkdirSync(outside);
  writeFileSync(join(outside, "secret"), "outside\n");
  writeFileSync(join(dir, "hello.txt"), "hello from the host\n");
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "sub", "b.txt"), "deeper\n");
  const big = new Uint8Array(200 * 1024).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
  writeFileSync(join(dir, "big"), big);
  writeFileSync(join(dir, "L".repeat(70)), "a name longer than the guest's 59 bytes\n");
  symlinkSync("/", join(dir, "escape"));
  symlinkSync("..", join(dir, "up"));
  symlinkSync("../outside/secret", join(dir, "secretlink"));
  return { top, dir, outside, big, done: () => rmSync(top, { recursive: true, force: true }) };
}

/** Everything under dir: names, types, sizes and contents, for "nothing changed". */
function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string, at: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name), st = lstatSync(p);
      out.push(`${at}${name} ${st.mode.toString(8)} ${st.size} ${st.isFile() ? createHash("sha256").update(readFileSync(p)).digest("hex").slice(0, 16) : ""}`);
      if (st.isDirectory()) walk(p, `${at}${name}/`);
    }
  };
  walk(dir, "");
  return out.join("\n");
}

const cmd = (line: string, before?: () => void): Step => ({ send: () => { before?.(); return `${line}\n`; } });

test("the guest reads, writes, makes, moves and removes files in the host's folder", async () => {
  const f = fixture();
  const outsideBefore = snapshot(f.outside);
  try {
    const { serial } = await wasmSession([
      cmd("ls /host"),
      cmd("cat /host/hello.txt"),
      cmd("cat /host/hello.txt", () => appendFileSync(join(f.dir, "hello.txt"), "and more\n")),
      cmd("echo written by the guest > /host/new.txt"),
      cmd("mkdir /host/dir"),
      cmd("mv /host/new.txt /host/dir/moved.txt"),
      cmd("cp /host/big /host/dir/big2"),
      cmd("cp /host/big /tmp/big"),
      cmd("cp /tmp/big /host/big3"),
      cmd("ls -l /host/dir"),
      cmd("rmdir /host/sub"),
      cmd("cd /host/sub"),
      cmd("pwd"),
      cmd("cat b.txt"),
      cmd("cd .."),
      cmd("pwd"),
      cmd("cd /"),
      cmd("ls /host/escape"),
      cmd("cat /host/secretlink"),
      cmd("cat /host/up/outside/secret"),
      cmd("echo pwned > /host/escape/tmp/pwned"),
      cmd("mkdir /host/up/pwned"),
      cmd("mkdir /host/r; mkdir /host/r/s; cd /host/r/s"),
      cmd("mv /host/r /host/r2"),
      cmd("pwd"),
      cmd("echo in > f; cd /; cat /host/r2/s/f"),
      cmd("rm /host/r2/s/f; rmdir /host/r2/s; rmdir /host/r2"),
      cmd("mount"),
      cmd("true", () => {
        // what the guest did, seen from the host (checked below), before it is undone
        assert.is(readFileSync(join(f.dir, "dir", "moved.txt"), "utf8"), "written by the guest\n");
        assert.not.ok(existsSync(join(f.dir, "new.txt")));
        assert.equal(new Uint8Array(readFileSync(join(f.dir, "dir", "big2"))), f.big, "big read and written back by the guest");
        assert.equal(new Uint8Array(readFileSync(join(f.dir, "big3"))), f.big, "big through the guest's /tmp");
      }),
      cmd("rm /host/dir/moved.txt"),
      cmd("rm /host/big3"),
      cmd("rmdir /host/dir"),
      cmd("rm /host/dir/big2"),
      cmd("rmdir /host/dir"),
      cmd("ls /host"),
      cmd("umount /host"),
      cmd("ls /host"),
      cmd("rmmod hostfs"),
      cmd("lsmod"),
      cmd("poweroff"),
    ], { share: dirShare(f.dir) }, 6e9);
    const out = (c: string, n = 0) => outputOf(serial, c, n);
    assert.match(serial, "init: the host's shared folder is on /host\r\n");
    assert.is(out("ls /host"), "big\r\nhello.txt\r\nsub\r\n", "no links out, no name too long for the guest");
    assert.is(out("cat /host/hello.txt"), "hello from the host\r\n");
    assert.is(out("cat /host/hello.txt", 1), "hello from the host\r\nand more\r\n", "the host's change is seen");
    assert.match(out("ls -l /host/dir"), /^-rw-r--r-- +1 +204800 big2\r\n-rw-r--r-- +1 +21 moved.txt\r\n$/);
    assert.match(out("rmdir /host/sub"), /Directory not empty/);
    assert.is(out("pwd"), "/host/sub\r\n");
    assert.is(out("cat b.txt"), "deeper\r\n");
    assert.is(out("pwd", 1), "/host\r\n");
    assert.is(out("pwd", 2), "/host/r2/s\r\n", "the working directory followed its parent's rename");
    assert.is(out("echo in > f; cd /; cat /host/r2/s/f"), "in\r\n");
    assert.is(out("rm /host/r2/s/f; rmdir /host/r2/s; rmdir /host/r2"), "");
    for (const c of ["ls /host/escape", "cat /host/secretlink", "cat /host/up/outside/secret", "echo pwned > /host/escape/tmp/pwned",
      "mkdir /host/up/pwned"])
      assert.match(out(c), /Permission denied/, c);
    assert.match(out("mount"), /^none \/host hostfs rw 0 0\r$/m);
    assert.match(out("rmdir /host/dir"), /Directory not empty/);
    assert.is(out("ls /host", 1), "big\r\nhello.txt\r\nsub\r\n");
    assert.is(out("ls /host", 2), "", "unmounted: the empty mount point");
    assert.not.match(out("lsmod"), /hostfs/);
    assert.equal(readdirSync(f.dir).sort(), ["L".repeat(70), "big", "escape", "hello.txt", "secretlink", "sub", "up"]);
    assert.is(snapshot(f.outside), outsideBefore);
    assert.not.ok(existsSync("/tmp/pwned"));
  } finally {
    f.done();
  }
});

test("a read-only share refuses every change; without a share there is no hostfs", async () => {
  const f = fixture();
  try {
    const before = snapshot(f.dir);
    const { serial } = await wasmSession(["echo x > /host/f", "mkdir /host/d", "rm /host/hello.txt", "mv /host/big /host/b2",
      "rmdir /host/sub", "echo x >> /host/hello.txt", "cat /host/hello.txt", "mount", "poweroff"].map((c) => cmd(c)),
    { share: dirShare(f.dir, { readOnly: true }) });
    for (const c of ["echo x > /host/f", "mkdir /host/d", "rm /host/hello.txt", "mv /host/big /host/b2", "rmdir /host/sub",
      "echo x >> /host/hello.txt"])
      assert.match(outputOf(serial, c), /Read-only file system/, c);
    assert.is(outputOf(serial, "cat /host/hello.txt"), "hello from the host\r\n");
    assert.match(outputOf(serial, "mount"), /^none \/host hostfs ro 0 0\r$/m);
    assert.is(snapshot(f.dir), before);
  } finally {
    f.done();
  }
  const { serial } = await wasmSession(["mount -t hostfs none /host", "modprobe hostfs", "poweroff"].map((c) => cmd(c)));
  assert.not.match(serial, /init: the host/);
  assert.match(outputOf(serial, "mount -t hostfs none /host"), /No such device/);
  assert.match(outputOf(serial, "modprobe hostfs"), /hostfs: No such device/);
});

test("hostfs.ko checks the host's replies: a lying device gets EIO, and the kernel goes on", async () => {
  const share = memoryShare();
  share.putFile(["hello.txt"], new TextEncoder().encode("hello\n"));
  share.putFile(["d", "f"], new TextEncoder().encode("x\n"));
  let lie: ((req: DataView) => void) | undefined;
  const real = ShareDevice.prototype.portOut;
  ShareDevice.prototype.portOut = function (this: ShareDevice, port: number, size: number, value: number, ram: GuestRam) {
    real.call(this, port, size, value, ram);
    if (lie && port === 0 && size === 4 && value + REQUEST_BYTES <= ram.bytes.length)
      lie(new DataView(ram.bytes.buffer, ram.bytes.byteOffset + value, REQUEST_BYTES));
  };
  const opIs = (req: DataView, op: Op) => req.getUint32(Req.op, true) === op;
  const lies: [string, (req: DataView) => void][] = [
    ["cat /host/hello.txt", (r) => { if (opIs(r, Op.Read)) r.setUint32(Req.len, 0x100000, true); }],
    ["ls /host/d", (r) => { if (opIs(r, Op.Readdir) && r.getUint32(Req.len, true)) r.setUint32(Req.len, 300, true); }],
    ["ls /host", (r) => { if (opIs(r, Op.Readdir) && r.getUint32(Req.len, true)) r.setUint32(Req.attrMode, 0o020000, true); }],
    ["cat /host/d/f", (r) => { if (opIs(r, Op.Lookup)) r.setUint32(Req.attrMode, 0o060644, true); }],
    ["cat /host/d/f ", (r) => { if (opIs(r, Op.Lookup)) r.setUint32(Req.handle, 0, true); }],
    ["cp /host/d/f /host/copy", (r) => { if (opIs(r, Op.Write)) r.setUint32(Req.len, 5000, true); }],
    ["ls /host/d ", (r) => { if (opIs(r, Op.Readdir)) r.setUint32(Req.status, 0xdeadbeef, true); }],
  ];
  try {
    const steps: Step[] = [];
    for (const [c, l] of lies) steps.push(cmd(c, () => { lie = l; }));
    steps.push(cmd("cat /host/d/f", () => { lie = undefined; }), cmd("dmesg"), cmd("poweroff"));
    const { serial } = await wasmSession(steps, { share });
    for (const [c] of lies) assert.match(outputOf(serial, c), /Input\/output error/, c);
    assert.is(outputOf(serial, "cat /host/d/f", 1), "x\r\n", "honest again, it works again");
    assert.match(outputOf(serial, "dmesg"), /hostfs: the host's reply makes no sense \(read more than asked\)/);
    assert.not.match(serial, /panic/i);
  } finally {
    ShareDevice.prototype.portOut = real;
  }
});

/** A small seeded generator (xorshift32), so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s % n;
  };
}

test("fuzz: 20,000 random request blocks through ioWrite stay inside the folder and never throw", async () => {
  const f = fixture();
  const outsideBefore = snapshot(f.outside);
  try {
    const m = await Machine.create({ wasm: coreModule(), memoryMiB: 2, share: dirShare(f.dir) });
    const ram = m.ram, dv = new DataView(ram.buffer, ram.byteOffset, ram.length);
    const r = rng(20);
    const enc = new TextEncoder();
    const names = ["hello.txt", "sub", "b.txt", "big", "escape", "up", "secretlink", "outside", "secret", "new", "d", "..", ".",
      "a/b", "", "x".repeat(300), "etc", "tmp", "passwd", "\u00e9t\u00e9"];
    const NAMES = 0x10000; // each name at NAMES + 512 * i
    names.forEach((n, i) => ram.set(enc.encode(n), NAMES + 512 * i));
    for (let i = 0; i < 0x10000; i++) ram[i] = r(256);
    const handles = [1]; // and those the device gives out
    const node = () => (r(8) === 0 ? [0, 2, 3, 0xffffffff][r(4)] : handles[r(handles.length)]);
    for (let i = 0; i < 20000; i++) {
      const at = r(20) === 0 ? r(ram.length + 64) : 0x20000 + 16 * r(64);
      if (at + REQUEST_BYTES <= ram.length) {
        if (r(10) === 0) for (let k = 0; k < REQUEST_BYTES; k++) ram[at + k] = r(256); // garbage
        else {
          const set = (k: keyof typeof Req, v: number) => dv.setUint32(at + Req[k], v >>> 0, true);
          ram.fill(0, at, at + REQUEST_BYTES);
          set("op", r(15));
          set("node", node());
          set("node2", node());
          set("mode", r(0o10000));
          const n = r(names.length), n2 = r(names.length);
          set("name", r(30) ? NAMES + 512 * n : r(2 ** 32));
          set("nameLen", r(30) ? enc.encode(names[n]).length : r(2 ** 32));
          set("name2", NAMES + 512 * n2);
          set("name2Len", enc.encode(names[n2]).length);
          set("buf", r(30) ? 0x30000 + r(0x10000) : r(2 ** 32));
          set("len", r(8) ? r(5000) : r(2 ** 32));
          set("offset", r(4) ? r(300000) : r(2 ** 32));
          if (r(20) === 0) dv.setUint32(at + Req.offset + 4, r(4), true); // past 32 bits
        }
      }
      m.ioWrite(SHARE_PORT + (r(20) === 0 ? r(8) : 0), at, r(20) === 0 ? 1 << r(3) as 1 | 2 | 4 : 4);
      if (at + REQUEST_BYTES <= ram.length && dv.getUint32(at + Req.status, true) === 0) {
        const h = dv.getUint32(at + Req.handle, true);
        if (h && !handles.includes(h)) handles.push(h);
      }
    }
    assert.is(m.shareError, undefined, "no backend error but refusals");
    assert.is(snapshot(f.outside), outsideBefore);
    // whatever the fuzz made inside is plain files and directories, and the links are the fixture's
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const st = lstatSync(join(d, name));
        if (st.isSymbolicLink()) assert.ok(d === f.dir && ["escape", "up", "secretlink"].includes(name), `link ${name}`);
        else if (st.isDirectory()) walk(join(d, name));
        else assert.ok(st.isFile(), name);
      }
    };
    walk(f.dir);
  } finally {
    f.done();
  }
});

test.run();
