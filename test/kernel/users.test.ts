// Unix users: root at boot, `su user -c` for an ordinary one (uid 1000 in
// /etc/passwd). The permission bits decide open, exec, mkdir, unlink and
// rename; loading or removing modules, mounting and rebooting are root's
// alone (EPERM); a process that gave root up cannot take it back. The
// expected lines are what Linux prints for the same commands.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wasmSession, lines, outputOf } from "../helpers/session.js";
import { hasCommand } from "../helpers/machine.js";

const haveE2fs = hasCommand("mke2fs") && hasCommand("debugfs");
if (!haveE2fs) console.log("skipping: the ext2 ownership test needs e2fsprogs (mke2fs, debugfs)");
const e2test = haveE2fs ? test : test.skip;

const commands = [
  "id", "su user -c id", "su user -c 'echo x > /etc/hostname'", "su user -c 'mkdir /bin/x'", "su user -c 'rm /etc/motd'",
  "su user -c 'mv /etc/motd /tmp/m'", "su user -c 'echo mine > /tmp/u; cat /tmp/u; rm /tmp/u'", "cp /bin/true /tmp/t", "/tmp/t",
  "su user -c 'insmod /lib/modules/hello.ko'", "insmod /lib/modules/hello.ko", "su user -c 'rmmod hello'",
  "su user -c 'mount -t tmpfs none /tmp'", "su user -c 'umount /proc'", "su user -c poweroff", "su user -c 'su root -c id'",
  "su nobody -c id", "poweroff",
];

test("an ordinary user is held by the permission bits and refused root's calls", async () => {
  const { serial } = await wasmSession(lines(...commands), { cmdline: "nomodules" });
  const out = (cmd: string) => outputOf(serial, cmd);
  assert.is(out("id"), "uid=0(root) gid=0\r\n");
  assert.is(out("su user -c id"), "uid=1000(user) gid=1000\r\n");
  assert.is(out("su user -c 'echo x > /etc/hostname'"), "sh: /etc/hostname: Permission denied\r\n");
  assert.is(out("su user -c 'mkdir /bin/x'"), "mkdir: /bin/x: Permission denied\r\n");
  assert.is(out("su user -c 'rm /etc/motd'"), "rm: /etc/motd: Permission denied\r\n");
  assert.is(out("su user -c 'mv /etc/motd /tmp/m'"), "mv: /etc/motd -> /tmp/m: Permission denied\r\n");
  assert.is(out("su user -c 'echo mine > /tmp/u; cat /tmp/u; rm /tmp/u'"), "mine\r\n", "/tmp is everyone's");
  assert.is(out("/tmp/t"), "sh: /tmp/t: Permission denied\r\n", "no x bit: not even root executes it");
  assert.is(out("su user -c 'insmod /lib/modules/hello.ko'"), "insmod: cannot insert '/lib/modules/hello.ko': Operation not permitted\r\n");
  assert.match(out("insmod /lib/modules/hello.ko"), /hello, world/);
  assert.is(out("su user -c 'rmmod hello'"), "rmmod: cannot remove 'hello': Operation not permitted\r\n");
  assert.is(out("su user -c 'mount -t tmpfs none /tmp'"), "mount: none on /tmp: Operation not permitted\r\n");
  assert.match(out("su user -c 'umount /proc'"), /Operation not permitted\r\n$/);
  assert.is(out("su user -c poweroff"), "poweroff: Operation not permitted\r\n");
  assert.is(out("su user -c 'su root -c id'"), "su: Operation not permitted\r\n");
  assert.is(out("su nobody -c id"), "su: no user nobody in /etc/passwd\r\n");
  assert.match(serial, /reboot: power down\r\n$/, "root still can");
});

e2test("ext2 keeps owners: the disk's ids decide access, and a user's new file is the user's on disk", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wasm386-users-"));
  try {
    const src = join(dir, "src");
    mkdirSync(join(src, "pub"), { recursive: true });
    chmodSync(join(src, "pub"), 0o777);
    writeFileSync(join(src, "secret"), "only the owner\n", { mode: 0o600 });
    const img = join(dir, "disk.img");
    writeFileSync(img, Buffer.alloc(4 << 20));
    // mke2fs -d copies the host's owner and modes; -E root_owner makes the root directory root's
    const mk = spawnSync("mke2fs", ["-q", "-F", "-t", "ext2", "-b", "1024", "-E", "root_owner=0:0", "-d", src, img], { encoding: "utf8" });
    assert.is(mk.status, 0, mk.stderr);
    // the secret belongs to someone other than user 1000 whoever runs the test
    const own = spawnSync("debugfs", ["-w", "-R", "set_inode_field /secret uid 4242", img], { encoding: "utf8" });
    assert.is(own.status, 0, own.stderr);
    const disk = new Uint8Array(readFileSync(img));
    const { serial } = await wasmSession(lines("modprobe ata", "modprobe ext2", "mount -t ext2 /dev/hda /mnt",
      "su user -c 'cat /mnt/secret'", "su user -c 'echo mine > /mnt/pub/f'", "umount /mnt", "poweroff"), { cmdline: "nomodules", disk });
    assert.is(outputOf(serial, "su user -c 'cat /mnt/secret'"), "cat: /mnt/secret: Permission denied\r\n");
    assert.is(outputOf(serial, "su user -c 'echo mine > /mnt/pub/f'"), "");
    writeFileSync(img, disk);
    const stat = spawnSync("debugfs", ["-R", "stat /pub/f", img], { encoding: "utf8" });
    assert.match(stat.stdout, /User:\s+1000\s+Group:\s+1000/, stat.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
