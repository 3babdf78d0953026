// ATA (IDE) primary channel at 0x1F0-0x1F7 and 0x3F6, master disk only, PIO
// transfers on IRQ 14. The sectors live with the host: each DRQ block is
// one call to diskRead or diskWrite (imported), which copy between the
// backing store and ATA_BUF.
//
// Commands: IDENTIFY DEVICE, READ/WRITE SECTORS (and EXT), READ/WRITE
// MULTIPLE (and EXT), SET MULTIPLE MODE, FLUSH CACHE (and EXT), READ VERIFY,
// SET FEATURES, INITIALIZE DEVICE PARAMETERS; others abort. 28-bit and
// 48-bit LBA, and CHS through the geometry IDENTIFY reports.
import { ATA, ATA_BUF } from "../layout";
import { picSetIrq } from "./pic";

// Copies count sectors at lba from the disk to addr (Wasm memory); 0 on success.
@external("env", "diskRead") declare function diskRead(lba: f64, count: u32, addr: u32): u32;
// Copies count sectors from addr to the disk at lba; 0 on success.
@external("env", "diskWrite") declare function diskWrite(lba: f64, count: u32, addr: u32): u32;
@external("env", "diskFlush") declare function diskFlush(): u32;

// Register block at ATA.
const FEATURE = 0, ERROR = 1, DEVICE = 2, STATUS = 3, CONTROL = 4, COMMAND = 5, IRQ = 6, PRESENT = 7;
const MULTIPLE = 8, BLOCK = 9, WRITING = 10;
const COUNT = 12, COUNT_HOB = 14; // u16 each: current and previous write (48-bit)
const LBA = 16, LBA_HOB = 20; // 3 bytes each (low, mid, high), previous write in LBA_HOB
const POS = 24, LEN = 28, REMAIN = 32, CUR_LBA = 40, SECTORS = 48;

const BSY: u32 = 0x80, DRDY: u32 = 0x40, DSC: u32 = 0x10, DRQ: u32 = 0x08, ERR: u32 = 0x01;
const ABRT: u32 = 0x04, IDNF: u32 = 0x10, UNC: u32 = 0x40;
const NIEN: u32 = 0x02, SRST: u32 = 0x04, HOB: u32 = 0x80;
const MAX_MULTIPLE: u32 = 16;
const HEADS: u32 = 16, SPT: u32 = 63;

// @ts-ignore: decorator
@inline function r(off: u32): u32 { return <u32>load<u8>(ATA + off); }
// @ts-ignore: decorator
@inline function w(off: u32, v: u32): void { store<u8>(ATA + off, <u8>v); }

// @ts-ignore: decorator
@inline function sectors(): u64 { return load<u64>(ATA + SECTORS); }

export function ataReset(): void {
  const size = load<u64>(ATA + SECTORS);
  memory.fill(ATA, 0, 64);
  store<u64>(ATA + SECTORS, size);
  w(PRESENT, size != 0 ? 1 : 0);
  signature();
}

// The host attaches a disk of n sectors (0: none).
export function ataAttach(n: f64): void {
  store<u64>(ATA + SECTORS, <u64>n);
  ataReset();
}

// After reset or EXECUTE DIAGNOSTIC: the ATA signature in the registers.
function signature(): void {
  store<u16>(ATA + COUNT, 1);
  w(LBA, 1); w(LBA + 1, 0); w(LBA + 2, 0);
  w(ERROR, 1);
  w(DEVICE, 0);
  w(STATUS, r(PRESENT) ? DRDY | DSC : 0);
}

function setIrq(on: bool): void {
  w(IRQ, on ? 1 : 0);
  picSetIrq(14, on && (r(CONTROL) & NIEN) == 0);
}

// @ts-ignore: decorator
@inline function slaveSelected(): bool { return (r(DEVICE) & 0x10) != 0; }

function abort(code: u32): void {
  w(ERROR, code);
  w(STATUS, DRDY | ERR);
  setIrq(true);
}

function done(): void {
  w(ERROR, 0);
  w(STATUS, DRDY | DSC);
  setIrq(true);
}

// The starting sector of a command, from LBA (28 or 48-bit) or CHS.
function startLba(ext: bool): u64 {
  if (ext) {
    let v: u64 = 0;
    for (let i: u32 = 0; i < 3; i++) {
      v |= <u64>r(LBA + i) << (8 * i);
      v |= <u64>r(LBA_HOB + i) << (8 * i + 24);
    }
    return v;
  }
  const dev = r(DEVICE);
  if (dev & 0x40) return <u64>(r(LBA) | (r(LBA + 1) << 8) | (r(LBA + 2) << 16) | ((dev & 15) << 24));
  const cyl = r(LBA + 1) | (r(LBA + 2) << 8);
  const sector = r(LBA);
  if (sector == 0) return 0xffffffffffffffff;
  return (<u64>cyl * HEADS + <u64>(dev & 15)) * SPT + <u64>(sector - 1);
}

function sectorCount(ext: bool): u32 {
  if (ext) {
    const n = <u32>load<u16>(ATA + COUNT) | (<u32>load<u16>(ATA + COUNT_HOB) << 8);
    return n == 0 ? 65536 : n;
  }
  const n = <u32>load<u16>(ATA + COUNT) & 0xff;
  return n == 0 ? 256 : n;
}

// Moves the next block into the buffer (reads) or opens it for the guest
// to fill (writes), and raises DRQ.
function nextBlock(): void {
  const left = load<u32>(ATA + REMAIN);
  const n = left < r(BLOCK) ? left : r(BLOCK);
  store<u32>(ATA + POS, 0);
  store<u32>(ATA + LEN, n * 512);
  if (!r(WRITING)) {
    if (diskRead(<f64>load<u64>(ATA + CUR_LBA), n, ATA_BUF) != 0) { abort(UNC); return; }
    w(STATUS, DRDY | DSC | DRQ);
    setIrq(true);
  } else {
    w(STATUS, DRDY | DSC | DRQ);
  }
}

function startTransfer(ext: bool, writing: bool, block: u32): void {
  const lba = startLba(ext);
  const n = sectorCount(ext);
  if (lba == 0xffffffffffffffff || lba + <u64>n > sectors()) { abort(IDNF); return; }
  store<u64>(ATA + CUR_LBA, lba);
  store<u32>(ATA + REMAIN, n);
  w(BLOCK, block);
  w(WRITING, writing ? 1 : 0);
  nextBlock();
  // A write's first block needs no interrupt: the guest sees DRQ by polling.
}

// The guest has read or written the whole block in the buffer.
function blockDone(): void {
  const n = load<u32>(ATA + LEN) >> 9;
  if (r(WRITING)) {
    if (diskWrite(<f64>load<u64>(ATA + CUR_LBA), n, ATA_BUF) != 0) { abort(UNC); return; }
  }
  store<u64>(ATA + CUR_LBA, load<u64>(ATA + CUR_LBA) + n);
  const left = load<u32>(ATA + REMAIN) - n;
  store<u32>(ATA + REMAIN, left);
  // Keep the task-file registers pointing past the transfer, as drives do.
  if (left == 0) {
    w(STATUS, DRDY | DSC);
    if (r(WRITING)) setIrq(true);
    return;
  }
  nextBlock();
  if (r(WRITING)) setIrq(true);
}

function identify(): void {
  memory.fill(ATA_BUF, 0, 512);
  const total = sectors();
  const cyls = <u32>min<u64>(total / (HEADS * SPT), 16383);
  const lba28 = <u32>min<u64>(total, 0x0fffffff);
  id(0, 0x0040); // fixed disk
  id(1, cyls); id(3, HEADS); id(6, SPT);
  idString(10, 20, "WASM386-0001");
  idString(23, 8, "1.0");
  idString(27, 40, "WASM386 HARDDISK");
  id(47, 0x8000 | MAX_MULTIPLE);
  id(49, 0x0200); // LBA
  id(53, 0x0003); // words 54-58 and 64-70 valid
  id(64, 0x0003); // PIO modes 3 and 4, as every ATA-2 and later drive
  id(65, 120); id(66, 120); id(67, 120); id(68, 120); // cycle times (ns) for mode 4
  id(54, cyls); id(55, HEADS); id(56, SPT);
  const chs = <u32>min<u64>(<u64>cyls * HEADS * SPT, 0xffffffff);
  id(57, chs & 0xffff); id(58, chs >> 16);
  if (r(MULTIPLE)) id(59, 0x0100 | r(MULTIPLE));
  id(60, lba28 & 0xffff); id(61, lba28 >> 16);
  id(80, 0x007e); // ATA-1 to ATA-6
  id(82, 0x4000); id(83, 0x7400); id(84, 0x4000); // FLUSH CACHE (EXT), 48-bit
  id(85, 0x4000); id(86, 0x3400); id(87, 0x4000);
  for (let i: u32 = 0; i < 4; i++) id(100 + i, <u32>(total >> (16 * i)) & 0xffff);
  // Integrity word: signature A5 and a checksum making all 512 bytes sum to 0.
  id(255, 0x00a5);
  let sum: u32 = 0;
  for (let i: u32 = 0; i < 511; i++) sum += load<u8>(ATA_BUF + i);
  store<u8>(ATA_BUF + 511, <u8>(0 - sum));
  store<u32>(ATA + POS, 0);
  store<u32>(ATA + LEN, 512);
  store<u32>(ATA + REMAIN, 1);
  w(BLOCK, 1);
  w(WRITING, 0);
  w(STATUS, DRDY | DSC | DRQ);
  setIrq(true);
}

// @ts-ignore: decorator
@inline function id(word: u32, v: u32): void { store<u16>(ATA_BUF + word * 2, <u16>v); }

// ATA strings: space-padded, the two bytes of each word swapped.
function idString(word: u32, len: u32, s: string): void {
  for (let i: u32 = 0; i < len; i++) {
    const c: u32 = i < <u32>s.length ? <u32>s.charCodeAt(i) : 0x20;
    store<u8>(ATA_BUF + word * 2 + (i ^ 1), <u8>c);
  }
}

function command(cmd: u32): void {
  if (!r(PRESENT) || slaveSelected()) return; // no device answers
  w(COMMAND, cmd);
  setIrq(false);
  switch (cmd) {
    case 0xec: identify(); break;
    case 0x20: case 0x21: startTransfer(false, false, 1); break;
    case 0x24: startTransfer(true, false, 1); break;
    case 0x30: case 0x31: startTransfer(false, true, 1); break;
    case 0x34: startTransfer(true, true, 1); break;
    case 0xc4: case 0xc5: case 0x29: case 0x39: {
      if (r(MULTIPLE) == 0) { abort(ABRT); break; }
      const ext = cmd == 0x29 || cmd == 0x39;
      startTransfer(ext, cmd == 0xc5 || cmd == 0x39, r(MULTIPLE));
      break;
    }
    case 0xc6: { // SET MULTIPLE MODE: a power of two up to the maximum, or 0 to disable
      const n = <u32>load<u16>(ATA + COUNT) & 0xff;
      if (n > MAX_MULTIPLE || (n & (n - 1)) != 0) { abort(ABRT); break; }
      w(MULTIPLE, n);
      done();
      break;
    }
    case 0xe7: case 0xea: // FLUSH CACHE (EXT)
      if (diskFlush() != 0) abort(ABRT); else done();
      break;
    case 0x40: case 0x41: case 0x42: { // READ VERIFY SECTORS (EXT): check the range only
      const ext = cmd == 0x42;
      const lba = startLba(ext);
      if (lba == 0xffffffffffffffff || lba + <u64>sectorCount(ext) > sectors()) abort(IDNF); else done();
      break;
    }
    case 0x91: case 0xef: case 0x10: done(); break; // INITIALIZE DEVICE PARAMETERS, SET FEATURES, RECALIBRATE
    case 0x90: signature(); w(STATUS, DRDY | DSC); setIrq(true); break; // EXECUTE DEVICE DIAGNOSTIC
    default: abort(ABRT);
  }
}

// Data port: 16 bits per access (32-bit accesses are split by the bus).
export function ataReadData(): u32 {
  if (!(r(STATUS) & DRQ) || r(WRITING)) return 0xffff;
  const pos = load<u32>(ATA + POS);
  const v = <u32>load<u16>(ATA_BUF + pos);
  store<u32>(ATA + POS, pos + 2);
  if (pos + 2 >= load<u32>(ATA + LEN)) {
    if (r(COMMAND) == 0xec) w(STATUS, DRDY | DSC);
    else blockDone();
  }
  return v;
}

export function ataWriteData(v: u32): void {
  if (!(r(STATUS) & DRQ) || !r(WRITING)) return;
  const pos = load<u32>(ATA + POS);
  store<u16>(ATA_BUF + pos, <u16>v);
  store<u32>(ATA + POS, pos + 2);
  if (pos + 2 >= load<u32>(ATA + LEN)) blockDone();
}

// Ports 0x1F1-0x1F7 (reg 1-7) and 0x3F6 (reg 8: alternate status).
export function ataRead(reg: u32): u32 {
  if (!r(PRESENT)) return reg == 7 || reg == 8 ? 0 : 0xff;
  if (slaveSelected() && reg >= 7) return 0;
  const hob = (r(CONTROL) & HOB) != 0;
  switch (reg) {
    case 1: return r(ERROR);
    case 2: return hob ? <u32>load<u16>(ATA + COUNT_HOB) & 0xff : <u32>load<u16>(ATA + COUNT) & 0xff;
    case 3: case 4: case 5: return hob ? r(LBA_HOB + reg - 3) : r(LBA + reg - 3);
    case 6: return r(DEVICE) | 0xa0;
    case 7: setIrq(false); return r(STATUS); // reading status acknowledges the interrupt
    default: return r(STATUS); // alternate status: no acknowledge
  }
}

export function ataWrite(reg: u32, v: u32): void {
  switch (reg) {
    case 1: w(FEATURE, v); break;
    case 2:
      store<u16>(ATA + COUNT_HOB, load<u16>(ATA + COUNT));
      store<u16>(ATA + COUNT, <u16>v);
      break;
    case 3: case 4: case 5:
      w(LBA_HOB + reg - 3, r(LBA + reg - 3));
      w(LBA + reg - 3, v);
      break;
    case 6: w(DEVICE, v); break;
    case 7: command(v); break;
    case 8: {
      // Device control: nIEN masks INTRQ; SRST held then released resets.
      const was = r(CONTROL);
      w(CONTROL, v);
      if ((v & SRST) != 0) { w(STATUS, BSY); setIrq(false); }
      else if ((was & SRST) != 0) { const m = r(MULTIPLE); ataReset(); w(MULTIPLE, m); w(CONTROL, v); }
      picSetIrq(14, r(IRQ) != 0 && (v & NIEN) == 0);
      break;
    }
  }
}
