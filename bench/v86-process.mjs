// v86 in a new process (the bench's v86p column), as a program that runs
// one guest with it: node bench/v86-process.mjs IMAGE MEM_MIB. Prints the
// guest's first serial line (the checksum) and exits, so the bench times
// it from spawn to exit exactly as it times the wasm386 CLI and QEMU.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { V86 } from "v86";

const [image, mib] = process.argv.slice(2);
if (!image || !mib) {
  console.error("usage: node bench/v86-process.mjs IMAGE MEM_MIB");
  process.exit(2);
}
const bytes = readFileSync(image);
const wasm = fileURLToPath(new URL("../node_modules/v86/build/v86.wasm", import.meta.url));
let out = "";
// After the checksum the guest writes port 0xF4, which v86 answers by
// logging and throwing "HALT": the line has been printed by then.
console.log = () => {};
process.on("uncaughtException", (e) => { if (e !== "HALT") { process.stderr.write(`${e}\n`); process.exit(1); } });
const emulator = new V86({
  wasm_path: wasm, memory_size: Number(mib) << 20, autostart: true, disable_speaker: true,
  multiboot: { buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) },
});
emulator.add_listener("serial0-output-byte", (b) => {
  out += String.fromCharCode(b);
  if (!out.endsWith("\n")) return;
  process.stdout.write(out);
  process.exit(0);
});
setTimeout(() => { process.stderr.write(`v86 timed out; output ${out}\n`); process.exit(1); }, 120_000);
