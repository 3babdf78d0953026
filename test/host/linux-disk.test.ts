// Issue 24: Debian's 686 kernel reads and writes the ATA disk with its own
// legacy drivers, loaded as modules from the initramfs (pata_legacy on
// libata, sd_mod, ext4 for ext2): it finds the primary master at
// 0x1F0/0x3F6, IRQ 14, as /dev/sda, mounts the ext2 filesystem of
// images/disk.img, reads it, writes files (busybox itself, 2 MB, through
// indirect blocks), and e2fsck -fn finds the image clean afterwards. The
// shell's transcript is QEMU isapc's with the same disk as its IDE
// primary master (the disks' identities differ and are checked apart).
import * as assert from "uvu/assert";
import { test } from "uvu";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { linuxInitramfs, DISK_MODULES, APPEND } from "../../scripts/linux-initramfs.js";
import { root, hasCommand } from "../helpers/machine.js";
import { debianTest, wasm386Session, qemuSession, shellLines, plain, type Session } from "./linux-debian.js";

const COMMANDS = [
  "dmesg -n 1",
  "cat /proc/partitions",
  "mount -t ext2 /dev/sda /mnt && ls /mnt && wc -c /mnt/README && cat /mnt/README && df /mnt",
  "find /mnt | sort",
  "echo hello from linux > /mnt/linux.txt; mkdir /mnt/dir; cp /bin/busybox /mnt/dir/bb; rm /mnt/docs/*; sync; umount /mnt && echo unmounted",
  "mount -o ro /dev/sda /mnt && cat /mnt/linux.txt && cmp /bin/busybox /mnt/dir/bb && ls /mnt /mnt/dir /mnt/docs && df /mnt; umount /mnt",
  "dmesg | grep -c 'EXT4-fs (sda): mounted filesystem'",
  "poweroff -f",
];

const withQemu = debianTest({ qemu: true });
const alone = debianTest();
const haveFsck = hasCommand("e2fsck");

function fsck(image: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "wasm386-fsck-"));
  try {
    writeFileSync(join(dir, "disk.img"), image);
    return execFileSync("e2fsck", ["-fn", join(dir, "disk.img")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let wasm: { s: Session; disk: Uint8Array } | undefined;
async function wasmRun() {
  if (!wasm) {
    const disk = new Uint8Array(readFileSync(`${root}images/disk.img`));
    wasm = { s: await wasm386Session(linuxInitramfs({ modules: DISK_MODULES }), COMMANDS, { append: APPEND, disk }), disk };
  }
  return wasm;
}

alone("pata_legacy finds the disk as sda; ext2 is mounted, read, written; e2fsck -fn is clean after", async () => {
  const { s, disk } = await wasmRun();
  console.log(`  wasm386: ${(s.instructions! / 1e9).toFixed(2)} G instructions, ${s.seconds.toFixed(1)} s`);
  assert.equal(s.outcome, { reason: "halted" }, s.console.slice(-3000));
  const log = plain(s.console);
  assert.match(log, /ata1: PATA max PIO4 cmd 0x1f0 ctl 0x3f6 irq 14/);
  assert.match(log, /ata1\.00: ATA-6: WASM386 HARDDISK, 1\.0, max PIO4/);
  assert.match(log, /sd 0:0:0:0: \[sda\] 8192 512-byte logical blocks/);
  assert.match(log, /\[sda\] Attached SCSI disk/);
  const t = plain(s.transcript);
  assert.match(t, /This is the ext2 filesystem of images\/disk\.img/);
  assert.match(t, /unmounted\n/);
  assert.match(t, /\nhello from linux\n/);
  assert.match(t, /\/mnt\/dir:\nbb\n/);
  assert.not.match(log, /I\/O error|EXT4-fs error|BUG:|Oops/);
  if (haveFsck) {
    const out = fsck(disk);
    assert.match(out, /16\/1024 files/, out);
  }
});

withQemu("the transcript is QEMU isapc's with the same disk", async () => {
  const dir = mkdtempSync(join(tmpdir(), "wasm386-qdisk-"));
  try {
    const diskFile = join(dir, "disk.img");
    writeFileSync(diskFile, readFileSync(`${root}images/disk.img`));
    const [w, q] = [(await wasmRun()).s, await qemuSession(linuxInitramfs({ modules: DISK_MODULES }), COMMANDS, { append: APPEND, diskFile })];
    console.log(`  QEMU: ${q.seconds.toFixed(1)} s`);
    assert.fixture(shellLines(w.transcript), shellLines(q.transcript));
    if (haveFsck) assert.match(fsck(readFileSync(diskFile)), /16\/1024 files/, "QEMU's image after the same commands");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
