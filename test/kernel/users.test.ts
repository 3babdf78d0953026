// Unix users: root at boot, `su user -c` for an ordinary one (uid 1000 in
// /etc/passwd). The permission bits decide open, exec, mkdir, unlink and
// rename; loading or removing modules, mounting and rebooting are root's
// alone (EPERM); a process that gave root up cannot take it back. The
// expected lines are what Linux prints for the same commands.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wasmSession, lines, outputOf } from "../helpers/session.js";

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

test.run();
