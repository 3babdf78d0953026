#!/usr/bin/env node
// npm run fetch-debian: Debian's own i386 binaries that the tests use as
// real guests, unpacked under build/debian/ (never committed: they are
// Debian's, under the GPL): busybox-static (bin/busybox) and the 686
// kernel (boot/vmlinuz-*). It needs i386 in apt's architectures, once:
//   sudo dpkg --add-architecture i386 && sudo apt-get update
// Tests that need these files are skipped, and say so, where they are absent.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "debian");
const debs = join(root, "build", "debian-debs");

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
}

function fail(message) {
  console.error(`fetch-debian: ${message}`);
  process.exit(1);
}

if (!run("dpkg", ["--print-foreign-architectures"]).split("\n").includes("i386")) {
  fail("apt does not know the i386 architecture; run once: sudo dpkg --add-architecture i386 && sudo apt-get update");
}

// The kernel's metapackage names the current image package.
function kernelPackage() {
  const depends = run("apt-cache", ["depends", "linux-image-686:i386"]);
  const m = /Depends: (linux-image-[0-9][^\s:]*-686)/.exec(depends);
  if (!m) fail(`cannot find the image package linux-image-686:i386 depends on:\n${depends}`);
  return `${m[1]}:i386`;
}

const packages = ["busybox-static:i386", kernelPackage()];
rmSync(debs, { recursive: true, force: true });
mkdirSync(debs, { recursive: true });
try {
  run("apt-get", ["download", ...packages], { cwd: debs });
} catch (e) {
  fail(`apt-get download ${packages.join(" ")} failed:\n${e.stderr || e.message}`);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const deb of readdirSync(debs).filter((f) => f.endsWith(".deb"))) run("dpkg-deb", ["-x", join(debs, deb), out]);
const kernel = readdirSync(join(out, "boot")).find((f) => f.startsWith("vmlinuz-"));
for (const f of ["bin/busybox", `boot/${kernel}`]) {
  if (!kernel || !existsSync(join(out, f))) fail(`${f} is missing after unpacking`);
}
console.log(`fetch-debian: build/debian/bin/busybox and build/debian/boot/${kernel} (${packages.join(", ")})`);
