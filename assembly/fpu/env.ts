// The FPU's environment and state images in memory (SDM vol. 1, 8.1.10 and
// 10.5.1): fnstenv/fldenv (14 or 28 bytes), fnsave/frstor (94 or 108) in
// their 16- and 32-bit and real/protected-mode layouts, and
// fxsave/fxrstor (512 bytes).
import { FPU_CW, FPU_SW, FPU_EMPTY, FPU_IP, FPU_CS, FPU_OP, FPU_DP, FPU_DS, FPU_ST, CR0, EFLAGS } from "../layout";
import { faulted, raiseCode, GP } from "../cpu/state";
import { readMem, readMemAt, opsize32, eaLin } from "../cpu/decode";
import { classify, ZERO, FINITE } from "./float80";
import { stSE, stM, statusWord, setStatusWord, controlWord, setControlWord, fpuInit, top } from "./stack";
import { writable, put16, put32, put64, updateSummary } from "./ops";

// The two-bit tag of physical register p: 0 valid, 1 zero, 2 special
// (NaN, infinity, denormal, unsupported), 3 empty.
function tagOf(p: u32): u32 {
  if ((load<u32>(FPU_EMPTY) >> p) & 1) return 3;
  const se = <u32>load<u16>(FPU_ST + (p << 4), 8), m = load<u64>(FPU_ST + (p << 4));
  const c = classify(se, m);
  if (c == ZERO) return 1;
  return c == FINITE && (se & 0x7fff) != 0 ? 0 : 2;
}
function tagWord(): u32 {
  let w: u32 = 0;
  for (let p: u32 = 0; p < 8; p++) w |= tagOf(p) << (p * 2);
  return w;
}
function setTagWord(w: u32): void {
  let empty: u32 = 0;
  for (let p: u32 = 0; p < 8; p++) if (((w >> (p * 2)) & 3) == 3) empty |= 1 << p;
  store<u32>(FPU_EMPTY, empty);
}

// Real mode and virtual-8086 mode store the pointers as linear addresses
// with the opcode beside them.
function realFormat(): bool { return (load<u32>(CR0) & 1) == 0 || (load<u32>(EFLAGS) & 0x20000) != 0; }

// The reserved upper halves of the 32-bit image's words are stored as
// ones, as this host's x87 does (QEMU stores zeros).
function storeEnv(): void {
  const ip = load<u32>(FPU_IP), dp = load<u32>(FPU_DP), op = load<u32>(FPU_OP) & 0x7ff;
  const cs = load<u32>(FPU_CS), ds = load<u32>(FPU_DS);
  const real = realFormat();
  if (opsize32) {
    put32(0, 0xffff0000 | controlWord());
    put32(4, 0xffff0000 | statusWord());
    put32(8, 0xffff0000 | tagWord());
    if (real) {
      const lip = (cs << 4) + ip, ldp = (ds << 4) + dp;
      put32(12, 0xffff0000 | (lip & 0xffff));
      put32(16, ((lip >> 16) << 12) | op);
      put32(20, 0xffff0000 | (ldp & 0xffff));
      put32(24, (ldp >> 16) << 12);
    } else {
      put32(12, ip);
      put32(16, (op << 16) | (cs & 0xffff));
      put32(20, dp);
      put32(24, 0xffff0000 | (ds & 0xffff));
    }
  } else {
    put16(0, controlWord());
    put16(2, statusWord());
    put16(4, tagWord());
    if (real) {
      const lip = (cs << 4) + ip, ldp = (ds << 4) + dp;
      put16(6, lip);
      put16(8, (((lip >> 16) & 15) << 12) | op);
      put16(10, ldp);
      put16(12, ((ldp >> 16) & 15) << 12);
    } else {
      put16(6, ip);
      put16(8, cs);
      put16(10, dp);
      put16(12, ds);
    }
  }
}

// Reads an environment; false on a fault (nothing changed then).
function loadEnv(): bool {
  let cw: u32, sw: u32, tw: u32, ip: u32, cs: u32, dp: u32, ds: u32, op: u32 = 0;
  const real = realFormat();
  if (opsize32) {
    cw = readMem<u16>(); if (faulted()) return false;
    sw = readMemAt<u16>(4); if (faulted()) return false;
    tw = readMemAt<u16>(8); if (faulted()) return false;
    ip = readMemAt<u32>(12); if (faulted()) return false;
    cs = readMemAt<u32>(16); if (faulted()) return false;
    dp = readMemAt<u32>(20); if (faulted()) return false;
    ds = readMemAt<u16>(24); if (faulted()) return false;
    if (real) { ip = (ip & 0xffff) | ((cs >> 12) << 16); op = cs & 0x7ff; cs = 0; dp = (dp & 0xffff) | ((ds >> 12) << 16); ds = 0; }
    else { op = (cs >> 16) & 0x7ff; cs &= 0xffff; }
  } else {
    cw = readMem<u16>(); if (faulted()) return false;
    sw = readMemAt<u16>(2); if (faulted()) return false;
    tw = readMemAt<u16>(4); if (faulted()) return false;
    ip = readMemAt<u16>(6); if (faulted()) return false;
    cs = readMemAt<u16>(8); if (faulted()) return false;
    dp = readMemAt<u16>(10); if (faulted()) return false;
    ds = readMemAt<u16>(12); if (faulted()) return false;
    if (real) { ip |= (cs >> 12) << 16; op = cs & 0x7ff; cs = 0; dp |= (ds >> 12) << 16; ds = 0; }
  }
  setControlWord(cw);
  setStatusWord(sw);
  setTagWord(tw);
  store<u32>(FPU_IP, ip);
  store<u32>(FPU_CS, cs);
  store<u32>(FPU_OP, op);
  store<u32>(FPU_DP, dp);
  store<u32>(FPU_DS, ds);
  return true;
}

// fnstenv: the environment, then all exceptions masked.
export function fnstenv(): void {
  if (!writable(opsize32 ? 28 : 14)) return;
  storeEnv();
  store<u32>(FPU_CW, controlWord() | 0x3f);
}

export function fldenv(): void {
  if (loadEnv()) updateSummary();
}

// fnsave: the environment and ST(0)..ST(7), then finit.
export function fnsave(): void {
  const env: u32 = opsize32 ? 28 : 14;
  if (!writable(env + 80)) return;
  storeEnv();
  for (let i: u32 = 0; i < 8; i++) {
    put64(env + i * 10, stM(i));
    put16(env + i * 10 + 8, stSE(i));
  }
  fpuInit();
}

export function frstor(): void {
  const env: u32 = opsize32 ? 28 : 14;
  // Read every register before changing anything.
  for (let i: u32 = 0; i < 8; i++) {
    readMemAt<u16>(env + i * 10 + 8);
    if (faulted()) return;
  }
  if (!loadEnv()) return;
  for (let i: u32 = 0; i < 8; i++) {
    const p = (top() + i) & 7;
    const lo = <u64>readMemAt<u32>(env + i * 10), hi = <u64>readMemAt<u32>(env + i * 10 + 4);
    store<u64>(FPU_ST + (p << 4), (hi << 32) | lo);
    store<u16>(FPU_ST + (p << 4), <u16>readMemAt<u16>(env + i * 10 + 8), 8);
  }
  updateSummary();
}

// fxsave/fxrstor: 16-byte aligned (else #GP(0)); no SSE state on this CPU.
export function fxsave(): void {
  if ((eaLin & 15) != 0) { raiseCode(GP, 0); return; }
  if (!writable(512)) return;
  let abridged: u32 = 0;
  const empty = load<u32>(FPU_EMPTY);
  for (let p: u32 = 0; p < 8; p++) if (((empty >> p) & 1) == 0) abridged |= 1 << p;
  put16(0, controlWord());
  put16(2, statusWord());
  put16(4, abridged);
  put16(6, load<u32>(FPU_OP) & 0x7ff);
  put32(8, load<u32>(FPU_IP));
  put32(12, load<u32>(FPU_CS) & 0xffff);
  put32(16, load<u32>(FPU_DP));
  put32(20, load<u32>(FPU_DS) & 0xffff);
  put32(24, 0);
  put32(28, 0);
  for (let i: u32 = 0; i < 8; i++) {
    put64(32 + i * 16, stM(i));
    put32(40 + i * 16, stSE(i));
    put32(44 + i * 16, 0);
  }
}

export function fxrstor(): void {
  if ((eaLin & 15) != 0) { raiseCode(GP, 0); return; }
  readMemAt<u32>(508);
  if (faulted()) return;
  const cw = readMem<u16>(), sw = readMemAt<u16>(2), abridged = readMemAt<u16>(4);
  const op = readMemAt<u16>(6), ip = readMemAt<u32>(8), cs = readMemAt<u16>(12);
  const dp = readMemAt<u32>(16), ds = readMemAt<u16>(20);
  if (faulted()) return;
  setControlWord(cw);
  setStatusWord(sw);
  store<u32>(FPU_EMPTY, ~abridged & 0xff);
  store<u32>(FPU_OP, op & 0x7ff);
  store<u32>(FPU_IP, ip);
  store<u32>(FPU_CS, cs);
  store<u32>(FPU_DP, dp);
  store<u32>(FPU_DS, ds);
  for (let i: u32 = 0; i < 8; i++) {
    const p = (top() + i) & 7;
    const lo = <u64>readMemAt<u32>(32 + i * 16), hi = <u64>readMemAt<u32>(36 + i * 16);
    store<u64>(FPU_ST + (p << 4), (hi << 32) | lo);
    store<u16>(FPU_ST + (p << 4), <u16>readMemAt<u16>(40 + i * 16), 8);
  }
  updateSummary();
}
