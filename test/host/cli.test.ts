// The wasm386 command: options, errors a user can make, exit status.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { writeFileSync, readFileSync, mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "../helpers/machine.js";
import { makeElf } from "../helpers/elf.js";
import { busyPort, runNode } from "../helpers/process.js";
import { CLI, CLI_SHELL } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "wasm386-cli-"));

function cli(...args: string[]) {
  return cliWithInput("", ...args);
}

function cliWithInput(input: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: root, encoding: "latin1", input, timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function userError(r: ReturnType<typeof cli>, pattern: RegExp) {
  assert.is(r.status, 1, `exit status (stderr: ${r.stderr})`);
  assert.match(r.stderr, pattern);
  assert.match(r.stderr, /^wasm386: [^\n]+\n$/, "exactly one line, no stack trace");
}

test("--help prints usage and exits 0", () => {
  const r = cli("--help");
  assert.is(r.status, 0);
  assert.match(r.stdout, /^usage: wasm386 \[KERNEL\]/);
  for (const opt of ["--bios", "--disk", "--snapshot", "--share", "--share-ro", "--clock", "--no-reboot", "--no-block-cache", "--jit", "--initrd", "--append", "--mem", "--max-instructions", "Ctrl-A x"]) {
    assert.ok(r.stdout.includes(opt), `help mentions ${opt}`);
  }
});

test("boots the bundled kernel by default and follows the debug-exit port", () => {
  const r = cli("--append", "exit=4");
  assert.is(r.status, 9);
  assert.match(r.stdout, /wasm386 teaching kernel/);
  assert.match(r.stdout, /command line: "images\/kernel.elf exit=4"/);
});

test("by default the bundled kernel boots to the shell, which takes piped input", () => {
  const r = cliWithInput("echo typed ahead\npoweroff\n", "--mem", "16");
  assert.is(r.status, 0, r.stderr); // poweroff: status 0, as QEMU's ACPI power-off
  assert.match(r.stdout, /memory: 16 MiB/);
  assert.match(r.stdout, /init: starting \/bin\/sh/);
  // the shell's editor shows the line it reads after the prompt, then echo's output
  assert.match(r.stdout, /wasm386:\/\$ echo typed ahead\r\ntyped ahead\r\n/);
  assert.match(r.stdout, /reboot: power down\r\n$/);
});

test("--no-block-cache runs the same machine, instruction for instruction", () => {
  const args = ["--clock", "deterministic", "--max-instructions", "20000000", "--no-disk"];
  const cached = cli(...args), plain = cli(...args, "--no-block-cache");
  assert.match(cached.stdout, /wasm386:\/\$ $/, "reached the prompt");
  assert.is(plain.stdout, cached.stdout);
  assert.is(plain.status, cached.status);
});

test("--save-state then --load-state continues the machine where it stopped", () => {
  const state = join(tmp, "booted.state");
  const first = cli("--clock", "deterministic", "--max-instructions", "30000000", "--save-state", state);
  assert.match(first.stdout, /wasm386:\/\$ $/, "stopped at the prompt");
  const second = cliWithInput("uname -a\npoweroff\n", "--load-state", state);
  assert.is(second.status, 0, second.stderr);
  assert.not.match(second.stdout, /teaching kernel 0\.1/, "no boot: the state goes on from the prompt");
  assert.match(second.stdout, /wasm386 wasm386 0\.1 #1 teaching kernel i686\r\n/);
});

test("the README's --save-state examples work as written, in seconds", () => {
  const readme = readFileSync(`${root}README.md`, "utf8");
  const line = /^npm start -- (--clock deterministic [^#\n]*--save-state booted\.state)/m.exec(readme);
  assert.ok(line, "the README shows a scripted --save-state run");
  const state = join(tmp, "readme.state");
  const args = line[1].trim().split(/\s+/).map((a) => (a === "booted.state" ? state : a));
  const t0 = Date.now();
  const first = cli(...args);
  assert.ok(Date.now() - t0 < 15_000, `took ${Date.now() - t0} ms`);
  assert.match(first.stdout, /wasm386:\/\$ $/, "stopped at the prompt");
  assert.match(cliWithInput("echo again\npoweroff\n", "--load-state", state).stdout, /\nagain\r\n/);
  // Ctrl-A x on a terminal (a pty from util-linux's script) also ends the
  // run and saves it.
  const quit = join(tmp, "quit.state");
  const q = spawnSync("sh", ["-c", `(sleep 1; printf '\\001x') | script -qec "${CLI_SHELL} --save-state ${quit}" /dev/null`],
    { cwd: root, encoding: "latin1", timeout: 30_000 });
  assert.is(q.status, 0, q.stderr);
  assert.match(cliWithInput("poweroff\n", "--load-state", quit).stdout, /reboot: power down/);
});

test("--version and -V print the package's version", () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string };
  for (const flag of ["--version", "-V"]) {
    const r = cli(flag);
    assert.is(r.status, 0);
    assert.is(r.stdout, `wasm386 ${pkg.version}\n`);
  }
});

test("QEMU's spellings: -kernel, -m with a suffix, -append, -initrd, -nographic", () => {
  const r = cli("-kernel", "images/bench/intloop.elf", "-m", "64M", "-nographic");
  assert.is(r.status, 1, r.stderr); // the guest's debug-exit with 0
  assert.match(r.stdout, /^[0-9a-f]{8}\r?\n$/);
  const k = cli("-kernel", "images/kernel.elf", "-initrd", "images/initrd.cpio", "-append", "init=/bin/true", "-m", "1G");
  assert.match(k.stdout, /memory: 1024 MiB/);
  assert.match(k.stdout, /command line: "[^"]*init=\/bin\/true"/);
  userError(cli("-m", "lots"), /-m takes a size in MiB, or with M or G \(got "lots"\)/);
  userError(cli("-kernel"), /-kernel needs a value/);
  userError(cli("-S"), /-S waits for a debugger: give -s or --gdb PORT too/);
});

test("a bad or busy --gdb port is one line and a nonzero exit, not a hang", async () => {
  for (const port of ["abc", "0", "99999"]) userError(cli("--gdb", port), /--gdb takes/);
  const busy = await busyPort();
  const { status, stderr } = await runNode([...CLI, "--gdb", String(busy.port)], root, 20_000);
  busy.close();
  assert.is(status, 1, `exit status (stderr: ${stderr})`);
  assert.match(stderr, /^wasm386: cannot listen for GDB on 127\.0\.0\.1:\d+: [^\n]*EADDRINUSE[^\n]*\n$/);
});

test("--load-state refuses what would build another machine; file errors are words", () => {
  const state = join(tmp, "small.state");
  assert.is(cli("--clock", "deterministic", "--max-instructions", "1000000", "--mem", "16", "--save-state", state).status, 0);
  userError(cli("--load-state", state, "images/kernel.elf"), /--load-state goes on from the saved machine: KERNEL cannot change it/);
  userError(cli("--load-state", state, "--no-disk", "--append", "x"), /--append, --no-disk cannot change it/);
  userError(cli("--load-state", state, "--mem", "64"), /the state is of a 16 MiB machine \(--mem 64 given; leave --mem out\)/);
  userError(cli("--clock", "deterministic", "--max-instructions", "1000", "--save-state", join(tmp, "no", "such", "dir", "s.state")),
    /cannot save the state to \S+: no such file or directory$/m);
  userError(cli("--trace", "syscalls", "--trace-file", join(tmp, "no", "dir", "t.txt")), /cannot write the trace to \S+: no such file or directory$/m);
});

test("on a terminal, Ctrl-A h lists the escapes and Ctrl-A s saves the state now, which loads", () => {
  const state = join(tmp, "escape.state");
  const q = spawnSync("sh", ["-c", `(sleep 1; printf '\\001h'; sleep 0.3; printf '\\001s'; sleep 0.5; printf '\\001x') | script -qec "${CLI_SHELL} --save-state ${state}.end" /dev/null`],
    { cwd: root, encoding: "latin1", timeout: 30_000 });
  assert.is(q.status, 0, q.stderr);
  // (the pty turns each \n into \r\n)
  assert.match(q.stdout, /C-a h +this help\r+\nC-a x +quit\r+\nC-a c +switch between the console and the monitor\r+\nC-a s +save the machine's state now \(to \S+escape\.state\.end\)/);
  assert.match(q.stdout, /wasm386: saved the machine to \S+escape\.state\.end/);
  assert.match(cliWithInput("poweroff\n", "--load-state", `${state}.end`).stdout, /reboot: power down/);
});

test("a damaged state file is refused with one clear line", () => {
  const state = join(tmp, "booted.state");
  const bad = join(tmp, "bad.state");
  writeFileSync(bad, readFileSync(state).subarray(0, 5000));
  userError(cli("--load-state", bad), /not a usable wasm386 state file: it is truncated or corrupt/);
  userError(cli("--load-state", join(tmp, "missing.state")), /state file/);
});

test("a large paste is not lost: the serial driver holds input back while the tty is full", () => {
  const input = "true\n".repeat(2000) + "echo all typed\npoweroff\n";
  const r = cliWithInput(input, "--no-disk");
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.split("wasm386:/$ ").length - 1, 2002, "a prompt for every line");
  assert.match(r.stdout, /\$ echo all typed\r\nall typed\r\nwasm386:\/\$ poweroff\r\nreboot: power down\r\n$/);
});

test("a halted guest ends the run", () => {
  const r = cli("images/kernel.elf", "--mem", "16");
  assert.is(r.status, 0);
  assert.match(r.stderr, /halted/);
});

test("--max-instructions stops a run", () => {
  const r = cli("--max-instructions", "100");
  assert.is(r.status, 0);
  assert.match(r.stderr, /instruction limit reached/);
});

test("a missing kernel file", () => {
  userError(cli(join(tmp, "nope.elf")), /cannot read kernel .*nope\.elf: no such file/);
});

test("a directory as the kernel", () => {
  userError(cli(tmp), /cannot read kernel .*: is a directory/);
});

test("a file that is not a kernel", () => {
  const f = join(tmp, "text.bin");
  writeFileSync(f, "hello, I am not a kernel\n");
  userError(cli(f), /no valid Multiboot header/);
});

test("an x86-64 ELF kernel", () => {
  const f = join(tmp, "k64.elf");
  writeFileSync(f, makeElf({ cls: 2 }));
  userError(cli(f), /not a 32-bit ELF/);
});

test("a kernel too large for the RAM asked for", () => {
  const f = join(tmp, "big.elf");
  writeFileSync(f, makeElf({ segments: [{ vaddr: 0x100000, paddr: 0x100000, bytes: new Uint8Array(4), memsz: 32 << 20 }] }));
  userError(cli(f, "--mem", "8"), /does not fit in 8 MiB/);
});

test("bad option values", () => {
  userError(cli("--mem", "lots"), /--mem takes a whole number/);
  userError(cli("--mem", "1"), /memory size must be .* from 2 to/);
  userError(cli("--max-instructions", "-5"), /--max-instructions needs a value/);
  userError(cli("--mem"), /--mem needs a value/);
  userError(cli("--frobnicate"), /unknown option '--frobnicate'/);
  userError(cli("a.elf", "b.elf"), /one kernel at a time/);
});

test("a missing initrd", () => {
  userError(cli("--initrd", join(tmp, "none.cpio")), /cannot read initrd/);
});

test("--bios boots a ROM from the reset vector", () => {
  const r = cli("--bios", "images/test/realmode.rom");
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stdout, /^segments 1000 beef /);
});

test("bad --bios use", () => {
  userError(cli("--bios", join(tmp, "none.rom")), /cannot read BIOS image/);
  userError(cli("--bios", "images/test/realmode.rom", "images/kernel.elf"), /either a kernel or --bios/);
  const empty = join(tmp, "empty.rom");
  writeFileSync(empty, new Uint8Array(0));
  userError(cli("--bios", empty), /BIOS image must be 1 byte to 1 MiB \(got 0 bytes\)/);
  const big = join(tmp, "big.rom");
  writeFileSync(big, new Uint8Array(1048577));
  userError(cli("--bios", big), /got 1048577 bytes/);
});

test("--disk: the guest's writes reach the file; with --snapshot the file never changes", () => {
  const img = join(tmp, "disk.img");
  const content = new Uint8Array(8192 * 512).fill(0x77);
  writeFileSync(img, content);
  const run = (...extra: string[]) =>
    cli("images/test/disk/ata.elf", "--append", "ata", "--mem", "64", "--clock", "deterministic", "--disk", img, ...extra);
  const snap = run("--snapshot");
  assert.is(snap.status, 1, snap.stderr);
  assert.match(snap.stdout, /read back matches: 1/);
  assert.ok(readFileSync(img).equals(Buffer.from(content)), "--snapshot left the file as it was");
  const direct = run();
  assert.is(direct.status, 1, direct.stderr);
  assert.not.ok(readFileSync(img).equals(Buffer.from(content)), "without --snapshot the writes landed");
});

test("bad --disk use", () => {
  userError(cli("--disk", join(tmp, "none.img")), /cannot open disk image .*none\.img: no such file/);
  userError(cli("--disk", tmp), /cannot open disk image .*: is a directory|is not a regular file/);
  const odd = join(tmp, "odd.img");
  writeFileSync(odd, new Uint8Array(1000));
  userError(cli("--disk", odd), /odd\.img is 1000 bytes, not a whole number of 512-byte sectors/);
  const empty = join(tmp, "empty.img");
  writeFileSync(empty, new Uint8Array(0));
  userError(cli("--disk", empty), /empty\.img is empty/);
  userError(cli("--snapshot"), /--snapshot needs --disk/);
  userError(cli("--clock", "fast"), /--clock must be realtime or deterministic/);
});

test("--share DIR: the guest reads and writes DIR on /host; ,ro and --share-ro keep it unchanged", () => {
  const dir = join(tmp, "shared");
  mkdirSync(dir);
  writeFileSync(join(dir, "from-host.txt"), "written on the host\n");
  const rw = cliWithInput("cat /host/from-host.txt\necho written in the guest > /host/from-guest.txt\npoweroff\n", "--share", dir);
  assert.is(rw.status, 0, rw.stderr);
  assert.match(rw.stdout, /init: the host's shared folder is on \/host\r\n/);
  assert.match(rw.stdout, /written on the host\r\n/); // cat's output (the typed line does not say it)
  assert.is(readFileSync(join(dir, "from-guest.txt"), "utf8"), "written in the guest\n");
  for (const args of [["--share", `${dir},ro`], ["--share-ro", dir]]) {
    const ro = cliWithInput("echo again > /host/from-guest.txt\npoweroff\n", ...args);
    assert.is(ro.status, 0, ro.stderr);
    assert.match(ro.stdout, /\/host\/from-guest.txt: Read-only file system/, args.join(" "));
  }
  assert.is(readFileSync(join(dir, "from-guest.txt"), "utf8"), "written in the guest\n");
});

test("bad --share use", () => {
  userError(cli("--share", join(tmp, "nowhere")), /^wasm386: --share .*nowhere: no such directory\n$/);
  const file = join(tmp, "a-file");
  writeFileSync(file, "x");
  userError(cli("--share", file), /--share .*a-file: not a directory/);
  userError(cli("--share-ro", file), /--share-ro .*a-file: not a directory/);
  userError(cli("--share", ",ro"), /--share needs a directory/);
  userError(cli("--share", tmp, "--share-ro", tmp), /one shared folder at a time/);
});

test.run();
