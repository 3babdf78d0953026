#!/usr/bin/env node
// Builds the guest images under images/ from kernel/ with Debian's clang and
// ld.lld. The output is byte-for-byte reproducible: no timestamps, no build
// ids, no absolute paths (everything is compiled by relative path, without
// debug info).
//
//   npm run images            rebuild images/
//   npm run images -- --check rebuild into a scratch folder and compare
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, rmSync, mkdtempSync, utimesSync } from "node:fs";
import { join, dirname, relative, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const CFLAGS = [
  "--target=i386-elf", "-march=i686", "-ffreestanding", "-fno-builtin", "-nostdlib", "-fno-pic",
  "-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-fno-unwind-tables", "-mno-sse",
  "-mno-mmx", "-mno-80387", "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-g0",
  "-Ikernel/include",
];

function tool(name) {
  for (const n of [name, `${name}-14`, `${name}-15`, `${name}-16`]) {
    try { execFileSync("sh", ["-c", `command -v ${n}`], { stdio: "pipe" }); return n; } catch {}
  }
  console.error(`images: ${name} not found; install Debian's clang and lld (apt-get install clang lld)`);
  process.exit(2);
}

function sources(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(c|S)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

function buildKernel(outDir) {
  const clang = tool("clang");
  const lld = tool("ld.lld");
  const objDir = join("build", "kernel");
  rmSync(objDir, { recursive: true, force: true });
  const objs = [];
  const srcs = [...["arch", "lib", "mm", "proc", "fs", "tty", "module"].flatMap((d) => sources(join("kernel", d))),
    ...readdirSync("kernel").filter((f) => /\.(c|S)$/.test(f)).map((f) => join("kernel", f)).sort()];
  for (const src of srcs) {
    const obj = join(objDir, src.replace(/\.(c|S)$/, ".o"));
    mkdirSync(dirname(obj), { recursive: true });
    execFileSync(clang, [...CFLAGS, "-c", src, "-o", obj], { stdio: "inherit" });
    objs.push(obj);
  }
  const out = join(outDir, "kernel.elf");
  execFileSync(lld, ["-m", "elf_i386", "-T", "kernel/kernel.ld", "--build-id=none", "-o", out, ...objs],
    { stdio: "inherit" });
  return out;
}

// User programs: kernel/user/NAME.c, each linked with kernel/user/lib/, at
// 0x08048000. Returns [name, path] pairs.
function buildUser() {
  const clang = tool("clang");
  const lld = tool("ld.lld");
  const objDir = join("build", "user");
  rmSync(objDir, { recursive: true, force: true });
  mkdirSync(objDir, { recursive: true });
  // User code may use the x87 (the i386 ABI's float and double; the kernel
  // switches the FPU between processes), unlike the kernel.
  const flags = CFLAGS.filter((f) => f !== "-Ikernel/include" && f !== "-mno-80387")
    .concat(["-Ikernel/user/include", "-Ikernel/include/uapi", "-ffunction-sections", "-fdata-sections"]);
  const lib = sources("kernel/user/lib").map((src) => {
    const obj = join(objDir, `lib-${basename(src).replace(/\.(c|S)$/, ".o")}`);
    execFileSync(clang, [...flags, "-c", src, "-o", obj], { stdio: "inherit" });
    return obj;
  });
  const progs = [];
  for (const f of readdirSync("kernel/user").filter((f) => f.endsWith(".c")).sort()) {
    const name = f.slice(0, -2);
    const obj = join(objDir, `${name}.o`);
    execFileSync(clang, [...flags, "-c", join("kernel/user", f), "-o", obj], { stdio: "inherit" });
    const out = join(objDir, name);
    execFileSync(lld, ["-m", "elf_i386", "-T", "kernel/user/user.ld", "--build-id=none", "--gc-sections", "-o", out, ...lib, obj],
      { stdio: "inherit" });
    progs.push([name, out]);
  }
  return progs;
}

// A newc cpio archive (what Linux's initramfs reads): fixed inode numbers,
// times and owners, so the same programs give the same bytes.
function cpio(entries) {
  const parts = [];
  const pad4 = (n) => Buffer.alloc((4 - (n % 4)) % 4);
  const member = (name, mode, data, ino) => {
    const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length + 1, 0];
    const header = "070701" + fields.map((v) => v.toString(16).padStart(8, "0")).join("");
    const head = Buffer.concat([Buffer.from(header, "latin1"), Buffer.from(name + "\0", "latin1")]);
    parts.push(head, pad4(head.length), data, pad4(data.length));
  };
  entries.forEach(([name, mode, data], i) => member(name, mode, data, i + 1));
  member("TRAILER!!!", 0, Buffer.alloc(0), 0);
  return Buffer.concat(parts);
}

// Modules: kernel/modules/NAME.c -> NAME.ko, relocatable objects linked by
// the kernel at insmod time; a module of several files is a folder,
// kernel/modules/NAME/*.c, its objects joined into one with ld.lld -r.
// kernel/modules/bad/ holds broken ones for the tests, and more are made
// here by damaging a good one. Returns [initrd path, bytes] pairs, with
// /lib/modules/modules.dep.
function buildModules() {
  const clang = tool("clang");
  const lld = tool("ld.lld");
  const objDir = join("build", "modules");
  rmSync(objDir, { recursive: true, force: true });
  mkdirSync(join(objDir, "bad"), { recursive: true });
  const flags = [...CFLAGS, "-fno-common", "-DMODULE"]; // MODULE: THIS_MODULE is the module (module.h)
  const out = [];
  const compile = (src, name) => {
    const obj = join(objDir, name);
    execFileSync(clang, [...flags, "-c", src, "-o", obj], { stdio: "inherit" });
    return readFileSync(obj);
  };
  // A value from the .modinfo section ("name", "depends"), found through
  // the ELF section headers.
  const info = (ko, tag) => {
    const shoff = ko.readUInt32LE(0x20), shnum = ko.readUInt16LE(0x30), shstrndx = ko.readUInt16LE(0x32);
    const sec = (i) => ({ name: ko.readUInt32LE(shoff + 40 * i), off: ko.readUInt32LE(shoff + 40 * i + 16),
      size: ko.readUInt32LE(shoff + 40 * i + 20) });
    const names = sec(shstrndx);
    for (let i = 1; i < shnum; i++) {
      const s = sec(i);
      const name = ko.toString("latin1", names.off + s.name, ko.indexOf(0, names.off + s.name));
      if (name !== ".modinfo") continue;
      for (const entry of ko.toString("latin1", s.off, s.off + s.size).split("\0"))
        if (entry.startsWith(`${tag}=`)) return entry.slice(tag.length + 1);
    }
    return "";
  };
  const folder = (dir) => {
    mkdirSync(join(objDir, dir), { recursive: true });
    const objs = readdirSync(join("kernel/modules", dir)).filter((f) => f.endsWith(".c")).sort().map((f) => {
      const obj = join(objDir, dir, f.replace(/\.c$/, ".o"));
      execFileSync(clang, [...flags, "-c", join("kernel/modules", dir, f), "-o", obj], { stdio: "inherit" });
      return obj;
    });
    const ko = join(objDir, `${dir}.ko`);
    execFileSync(lld, ["-m", "elf_i386", "-r", "--build-id=none", "-o", ko, ...objs], { stdio: "inherit" });
    return readFileSync(ko);
  };
  const deps = [];
  const sourcesOf = readdirSync("kernel/modules", { withFileTypes: true })
    .filter((e) => e.name.endsWith(".c") || (e.isDirectory() && e.name !== "bad")).map((e) => e.name).sort();
  for (const f of sourcesOf) {
    const ko = f.endsWith(".c") ? compile(join("kernel/modules", f), f.replace(/\.c$/, ".ko")) : folder(f);
    const name = info(ko, "name");
    out.push([`lib/modules/${name}.ko`, ko]);
    const d = info(ko, "depends").split(",").filter(Boolean).map((n) => `${n}.ko`);
    deps.push(`${name}.ko:${d.map((x) => ` ${x}`).join("")}`);
  }
  for (const f of readdirSync("kernel/modules/bad").filter((f) => f.endsWith(".c")).sort())
    out.push([`lib/modules/bad/${f.replace(/\.c$/, ".ko")}`, compile(join("kernel/modules/bad", f), join("bad", f.replace(/\.c$/, ".ko")))]);
  const hello = out.find(([n]) => n === "lib/modules/hello.ko")[1];
  const damaged = (edit) => { const b = Buffer.from(hello); edit(b); return b; };
  const shoff = hello.readUInt32LE(0x20), shnum = hello.readUInt16LE(0x30);
  const firstRel = [...Array(shnum).keys()].map((i) => shoff + 40 * i).find((h) => hello.readUInt32LE(h + 4) === 9);
  out.push(["lib/modules/bad/truncated.ko", hello.subarray(0, hello.length >> 1)]);
  out.push(["lib/modules/bad/notelf.ko", Buffer.from("this is not an ELF file\n")]);
  out.push(["lib/modules/bad/x86_64.ko", damaged((b) => b.writeUInt16LE(62, 0x12))]); // EM_X86_64
  out.push(["lib/modules/bad/badreloc.ko", damaged((b) => b.writeUInt32LE(0x7ffff000, hello.readUInt32LE(firstRel + 16)))]);
  // The hostile files of issue 19, each of which the loader once trusted
  // into a read or write outside what it had allocated.
  const names = hello.readUInt32LE(shoff + 40 * hello.readUInt16LE(0x32) + 16);
  const header = (name) => [...Array(shnum).keys()].map((i) => shoff + 40 * i).find((h) => {
    const at = names + hello.readUInt32LE(h);
    return hello.toString("latin1", at, hello.indexOf(0, at)) === name;
  });
  // Section 0 dressed as a string table 8 MiB on, far past the file.
  const farStrings = (b) => { b.writeUInt32LE(3, shoff + 4); b.writeUInt32LE(0x800000, shoff + 16); b.writeUInt32LE(1, shoff + 20); };
  out.push(["lib/modules/bad/shstrndx0.ko", damaged((b) => { farStrings(b); b.writeUInt16LE(0, 0x32); })]);
  out.push(["lib/modules/bad/symlink0.ko", damaged((b) => { farStrings(b); b.writeUInt32LE(0, header(".symtab") + 24); })]);
  out.push(["lib/modules/bad/reltarget0.ko", damaged((b) => b.writeUInt32LE(0, header(".rel.text") + 28))]);
  // .data made NOBITS of the size that brings the layout's total round to
  // 0, and its relocation moved 8 MiB into it.
  const data = header(".data");
  let where = 0;
  for (let h = shoff + 40; h <= data; h += 40) {
    if (!(hello.readUInt32LE(h + 8) & 2)) continue;
    const align = Math.max(1, hello.readUInt32LE(h + 32));
    where = Math.ceil(where / align) * align;
    if (h < data) where += hello.readUInt32LE(h + 20);
  }
  out.push(["lib/modules/bad/layoutwrap.ko", damaged((b) => {
    b.writeUInt32LE(8, data + 4);
    b.writeUInt32LE(2 ** 32 - where, data + 20);
    b.writeUInt32LE(0x800000, hello.readUInt32LE(header(".rel.data") + 16));
  })]);
  out.push(["lib/modules/modules.dep", Buffer.from(deps.join("\n") + "\n")]);
  return out;
}

// The initrd: /init, the programs in /bin, the empty mount points (/mnt
// for the disk, /host for the shared folder), the
// modules, and the files under kernel/rootfs/ at the same paths.
function buildInitrd(outDir) {
  const progs = buildUser();
  const entries = [["bin", 0o40755, Buffer.alloc(0)], ["dev", 0o40755, Buffer.alloc(0)],
    ["proc", 0o40555, Buffer.alloc(0)], ["tmp", 0o41777, Buffer.alloc(0)], ["mnt", 0o40755, Buffer.alloc(0)],
    ["host", 0o40755, Buffer.alloc(0)]];
  for (const [name, path] of progs)
    entries.push([name === "init" ? "init" : `bin/${name}`, 0o100755, readFileSync(path)]);
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      const name = relative("kernel/rootfs", p).split("\\").join("/");
      if (e.isDirectory()) { entries.push([name, 0o40755, Buffer.alloc(0)]); walk(p); }
      else entries.push([name, 0o100644, readFileSync(p)]);
    }
  };
  if (existsSync("kernel/rootfs")) walk("kernel/rootfs");
  entries.push(["lib", 0o40755, Buffer.alloc(0)], ["lib/modules", 0o40755, Buffer.alloc(0)],
    ["lib/modules/bad", 0o40755, Buffer.alloc(0)]);
  for (const [name, data] of buildModules()) entries.push([name, 0o100644, data]);
  const out = join(outDir, "initrd.cpio");
  writeFileSync(out, cpio(entries));
  return out;
}

// The disk npm start attaches: an ext2 filesystem of kernel/disk/, made by
// mke2fs -d. Reproducible: a fixed UUID and hash seed, a fake clock, the
// source's times set before, and the inode change times (which mke2fs
// copies from the source) set after with debugfs.
function buildDisk(outDir) {
  const stamp = 1735689600; // 2025-01-01, as the deterministic clock
  const src = mkdtempSync(join(tmpdir(), "wasm386-disk-"));
  const paths = [];
  const copy = (from, to) => {
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const a = join(from, e.name), b = join(to, e.name);
      if (e.isDirectory()) { mkdirSync(b); copy(a, b); } else writeFileSync(b, readFileSync(a));
      paths.push(relative(src, b).split("\\").join("/"));
    }
  };
  copy("kernel/disk", src);
  for (const p of [...paths, ""]) utimesSync(join(src, p), stamp, stamp);
  const out = join(outDir, "disk.img");
  writeFileSync(out, Buffer.alloc(4 << 20));
  const uuid = "6f8b3c1e-0d2a-4c1b-9a51-2e7d0c5b4a11";
  const env = { ...process.env, E2FSPROGS_FAKE_TIME: String(stamp) };
  execFileSync("mke2fs", ["-q", "-F", "-t", "ext2", "-b", "1024", "-L", "wasm386", "-U", uuid,
    "-E", `hash_seed=${uuid},root_owner=0:0`, "-d", src, out], { env, stdio: "inherit" });
  const cmds = join(src, "..", `${basename(src)}.debugfs`);
  writeFileSync(cmds, ["/", ...paths.map((p) => `/${p}`)].map((p) => `sif ${p} ctime @${stamp}\n`).join(""));
  execFileSync("debugfs", ["-w", "-f", cmds, out], { env, stdio: "pipe" });
  rmSync(cmds, { force: true });
  rmSync(src, { recursive: true, force: true });
  return out;
}

// Each benchmark guest is bench/guests/NAME.S (or .c) linked with common.S.
function buildBench(outDir) {
  const clang = tool("clang");
  const lld = tool("ld.lld");
  const objDir = join("build", "bench");
  rmSync(objDir, { recursive: true, force: true });
  mkdirSync(objDir, { recursive: true });
  mkdirSync(join(outDir, "bench"), { recursive: true });
  const common = join(objDir, "common.o");
  execFileSync(clang, [...CFLAGS, "-c", "bench/guests/common.S", "-o", common], { stdio: "inherit" });
  const outs = [];
  for (const f of readdirSync("bench/guests").sort()) {
    const m = /^(.*)\.(c|S)$/.exec(f);
    if (!m || m[1] === "common" || m[1] === "cstart") continue;
    const obj = join(objDir, `${m[1]}.o`);
    execFileSync(clang, [...CFLAGS, "-c", join("bench/guests", f), "-o", obj], { stdio: "inherit" });
    const out = join(outDir, "bench", `${m[1]}.elf`);
    execFileSync(lld, ["-m", "elf_i386", "-T", "bench/guests/bench.ld", "--build-id=none", "-o", out, obj, common],
      { stdio: "inherit" });
    outs.push(out);
  }
  // The C workloads: bench/guests/c/NAME.c with cstart.S and common.S.
  const cstart = join(objDir, "cstart.o");
  execFileSync(clang, [...CFLAGS, "-c", "bench/guests/cstart.S", "-o", cstart], { stdio: "inherit" });
  for (const f of readdirSync("bench/guests/c").filter((f) => f.endsWith(".c")).sort()) {
    const name = f.slice(0, -2);
    const obj = join(objDir, `c-${name}.o`);
    // A workload named float* may use the x87 (the others are integer code).
    const fp = name.startsWith("float") ? ["-m80387"] : [];
    execFileSync(clang, [...CFLAGS, ...fp, "-Ibench/guests/c", "-c", join("bench/guests/c", f), "-o", obj], { stdio: "inherit" });
    const out = join(outDir, "bench", `${name}.elf`);
    execFileSync(lld, ["-m", "elf_i386", "-T", "bench/guests/bench.ld", "--build-id=none", "-o", out, obj, cstart, common],
      { stdio: "inherit" });
    outs.push(out);
  }
  return outs;
}

// Each test guest is test/guest/NAME.c (or .S) linked with the runtime in
// test/guest/rt/, at 1 MiB like the benchmark guests.
function buildTestGuests(outDir) {
  const clang = tool("clang");
  const lld = tool("ld.lld");
  const objDir = join("build", "testguest");
  rmSync(objDir, { recursive: true, force: true });
  mkdirSync(objDir, { recursive: true });
  mkdirSync(join(outDir, "test"), { recursive: true });
  const rt = [];
  for (const f of readdirSync("test/guest/rt").sort()) {
    if (!/\.(c|S)$/.test(f)) continue;
    const obj = join(objDir, `rt-${f.replace(/\.(c|S)$/, "")}.o`);
    execFileSync(clang, [...CFLAGS, "-Itest/guest", "-c", join("test/guest/rt", f), "-o", obj], { stdio: "inherit" });
    rt.push(obj);
  }
  const outs = [];
  // test/guest/disk/: guests that need a disk image; test/guest/sdm/: guests
  // checked against the SDM where QEMU differs; test/guest/fuzz/: random
  // instruction streams. Each is run by its own test.
  for (const [src, dst] of [["test/guest", "test"], ["test/guest/disk", "test/disk"], ["test/guest/sdm", "test/sdm"],
    ["test/guest/fuzz", "test/fuzz"]]) {
    mkdirSync(join(outDir, dst), { recursive: true });
    for (const f of readdirSync(src).sort()) {
      const m = /^(.*)\.(c|S)$/.exec(f);
      if (!m) continue;
      const obj = join(objDir, `${dst.replace("/", "-")}-${m[1]}.o`);
      execFileSync(clang, [...CFLAGS, "-Itest/guest", "-c", join(src, f), "-o", obj], { stdio: "inherit" });
      const out = join(outDir, dst, `${m[1]}.elf`);
      execFileSync(lld, ["-m", "elf_i386", "-T", "bench/guests/bench.ld", "--build-id=none", "-o", out, obj, ...rt],
        { stdio: "inherit" });
      outs.push(out);
    }
  }
  // Firmware images: test/guest/rom/NAME.S -> images/test/NAME.rom (64 KiB,
  // booted from the reset vector).
  for (const f of readdirSync("test/guest/rom").sort()) {
    const m = /^(.*)\.S$/.exec(f);
    if (!m) continue;
    const obj = join(objDir, `rom-${m[1]}.o`);
    execFileSync(clang, [...CFLAGS, "-c", join("test/guest/rom", f), "-o", obj], { stdio: "inherit" });
    const out = join(outDir, "test", `${m[1]}.rom`);
    execFileSync(lld, ["-m", "elf_i386", "-T", "test/guest/rom/rom.ld", "--build-id=none", "--oformat=binary", "-o", out, obj],
      { stdio: "inherit" });
    outs.push(out);
  }
  return outs;
}

const check = process.argv.includes("--check");
const outDir = check ? mkdtempSync(join(tmpdir(), "wasm386-images-")) : "images";
mkdirSync(outDir, { recursive: true });
const built = [buildKernel(outDir), buildInitrd(outDir), buildDisk(outDir), ...buildBench(outDir), ...buildTestGuests(outDir)];

if (check) {
  let same = true;
  for (const f of built) {
    const committed = join("images", relative(outDir, f));
    if (!existsSync(committed) || !readFileSync(committed).equals(readFileSync(f))) {
      console.error(`images: ${committed} differs from a fresh build; run npm run images and commit`);
      same = false;
    }
  }
  rmSync(outDir, { recursive: true, force: true });
  if (!same) process.exit(1);
  console.log("images: committed images match a fresh build");
} else {
  for (const f of built) console.log(`images: wrote ${f}`);
}
