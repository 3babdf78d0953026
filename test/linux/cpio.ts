// newc cpio archives (what the kernel's initrd is): reading the members of
// the committed images/initrd.cpio and writing it again with more files,
// directories and symbolic links added, for the Linux-binary tests.
export interface Member { name: string; mode: number; data: Uint8Array }

export function readCpio(bytes: Uint8Array): Member[] {
  const out: Member[] = [];
  const text = (at: number, n: number) => Buffer.from(bytes.subarray(at, at + n)).toString("latin1");
  const hex = (at: number) => parseInt(text(at, 8), 16);
  for (let at = 0; at + 110 <= bytes.length;) {
    if (text(at, 6) !== "070701") throw new Error(`cpio: bad magic at ${at}`);
    const mode = hex(at + 14), size = hex(at + 54), namesize = hex(at + 94);
    const name = text(at + 110, namesize - 1);
    const dataAt = (at + 110 + namesize + 3) & ~3;
    if (name === "TRAILER!!!") break;
    out.push({ name, mode, data: bytes.subarray(dataAt, dataAt + size) });
    at = (dataAt + size + 3) & ~3;
  }
  return out;
}

export function writeCpio(members: Member[]): Uint8Array {
  const parts: Buffer[] = [];
  const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);
  const member = (name: string, mode: number, data: Uint8Array, ino: number) => {
    const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length + 1, 0];
    const header = "070701" + fields.map((v) => v.toString(16).padStart(8, "0")).join("");
    const head = Buffer.concat([Buffer.from(header, "latin1"), Buffer.from(name + "\0", "latin1")]);
    parts.push(head, pad4(head.length), Buffer.from(data), pad4(data.length));
  };
  members.forEach((m, i) => member(m.name, m.mode, m.data, i + 1));
  member("TRAILER!!!", 0, new Uint8Array(0), 0);
  return Buffer.concat(parts);
}
