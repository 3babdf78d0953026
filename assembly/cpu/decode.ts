// Instruction fetch, prefixes and the ModRM/SIB effective address: the one
// place that knows how operands are encoded.
//
// The globals here are per-instruction temporaries, rebuilt by every decode;
// nothing in them survives to the next instruction, so they are not machine
// state (see layout.ts).
import { EIP, CODE32, RAM_BASE } from "../layout";
import { translateLin, readLin, readLinForWrite, writeLin, ramSize } from "../mmu/memory";
import {
  reg32, reg16, getReg, setReg, segBase, faulted, raiseCode, GP,
  EBX, EBP, ESI, EDI, ESP, SS, DS, CS,
} from "./state";
import { segAccess } from "./segcheck";

// Instruction start (for fault rewind), prefixes and operand/address size.
export let insnStart: u32 = 0;
// The global cursor: the EIP of the next byte to fetch, for the handlers
// that do not take the cursor as an argument (execute() sets it before its
// switch and returns it after them) and for the helpers that transfer
// control.
export let nextIp: u32 = 0;
export let code32: bool = true;
export let opsize32: bool = true;
export let addr32: bool = true;
export let segOverride: i32 = -1;
export let repPrefix: u32 = 0; // 0, 0xF2 (repne) or 0xF3 (rep/repne)
export let lockPrefix: bool = false;

// ModRM of the current instruction and, for memory forms, its operand.
export let modrm: u32 = 0;
export let eaOffset: u32 = 0; // offset within the segment (what LEA yields)
export let eaSeg: u32 = 0; // segment register the operand is in
export let eaLin: u32 = 0; // linear address

// Set by any prefix: the next instruction starts by clearing them. Clearing
// only then saves six stores on every unprefixed instruction.
let prefixed: bool = false;

// @ts-ignore: decorator
@inline export function beginInsn(ip: u32): void {
  insnStart = ip;
  const d = load<u32>(CODE32) != 0;
  if (prefixed || d != code32) {
    code32 = d;
    opsize32 = d;
    addr32 = d;
    segOverride = -1;
    repPrefix = 0;
    lockPrefix = false;
    prefixed = false;
    prefixCount = 0;
    checkLength = false;
  }
}

// The instruction's next EIP as it is written back (IP wraps at 64 KiB in
// 16-bit code). CODE32 is re-read: a far transfer may have changed it.
// @ts-ignore: decorator
@inline export function endInsn(ip: u32): u32 {
  return load<u32>(CODE32) != 0 ? ip : ip & 0xffff;
}

// @ts-ignore: decorator
@inline export function setNextIp(v: u32): void { nextIp = v; }
// The block executor names the instruction that faulted (cpu/blockexec.ts).
export function setInsnStart(v: u32): void { insnStart = v; }
// What decoding an unprefixed 32-bit instruction with this ModRM byte at
// ip leaves behind, for handlers the block cache calls directly.
export function presetDecode(m: u32, ip: u32): void {
  modrm = m;
  insnStart = ip;
  opsize32 = true;
  addr32 = true;
  segOverride = -1;
}

export function setOpsize(v: bool): void { opsize32 = v; prefixed = true; }
export function setAddrsize(v: bool): void { addr32 = v; prefixed = true; }
export function setSegOverride(s: i32): void { segOverride = s; prefixed = true; }
export function setRep(p: u32): void { repPrefix = p; prefixed = true; }
export function setLock(): void { lockPrefix = true; prefixed = true; }

// ---- Fetch -----------------------------------------------------------------
// The page being fetched from is remembered as the EIP of its first byte and
// a pointer to it in Wasm memory, so that straight-line fetch is a subtract,
// a compare and a load. It must be dropped whenever the linear -> physical
// map changes (CR0, CR3, CR4, INVLPG), CS changes, or the page is not RAM.
let fetchIpBase: u32 = 0;
let fetchPtr: usize = 0;
let fetchValid: bool = false;
// Set for an instruction with enough prefixes that it could pass 15 bytes:
// its fetches take the slow path, which checks the length.
let checkLength: bool = false;

export function invalidateFetch(): void { fetchValid = false; }

// The fetched page, for the interpreter's fast path: whether there is one
// (none while an instruction is length-checked), the EIP of its first byte
// and where it is in Wasm memory.
// @ts-ignore: decorator
@inline export function fetchWindowValid(): bool { return fetchValid; }
// @ts-ignore: decorator
@inline export function fetchWindowIp(): u32 { return fetchIpBase; }
// @ts-ignore: decorator
@inline export function fetchWindowPtr(): usize { return fetchPtr; }

// Prefixes taken by the current instruction. With four or more it could
// pass 15 bytes, so its fetches take the slow path, which checks the length,
// until the next instruction starts (beginInsn: every prefix sets prefixed).
let prefixCount: u32 = 0;

export function countPrefix(): void {
  if (++prefixCount >= 4 && !checkLength) {
    checkLength = true;
    fetchValid = false;
  }
}

// Fetches at a cursor: the interpreter's loop keeps the instruction pointer
// in a local and passes it, so that straight-line code never round-trips it
// through memory (a store and a reload per byte fetched cost more than the
// rest of a simple instruction).
// @ts-ignore: decorator
@inline export function fetchAt<T>(ip: u32): u32 {
  const off = ip - fetchIpBase;
  if (fetchValid && off <= <u32>(0x1000 - sizeof<T>())) return <u32>load<T>(fetchPtr + off);
  return fetchSlow<T>(ip);
}

// @ts-ignore: decorator
@inline function fetchSlow<T>(ip: u32): u32 {
  if (checkLength && ip - insnStart + sizeof<T>() > 15) {
    // An instruction is at most 15 bytes; the 16th byte is never fetched.
    checkLength = false;
    raiseCode(GP, 0);
    return 0;
  }
  return fetchMiss(ip, <u32>sizeof<T>());
}

// Crosses into a new page (or checks the length): reads through the MMU and
// re-establishes the cached page when it is ordinary RAM.
function fetchMiss(ip: u32, size: u32): u32 {
  const lin = segBase(CS) + ip;
  let v: u32;
  if (size == 1) v = readLin<u8>(lin);
  else if (size == 2) v = readLin<u16>(lin);
  else v = readLin<u32>(lin);
  if (faulted()) return 0;
  const page = lin & ~0xfff;
  const phys = translateLin(page, false);
  if (!faulted() && !checkLength && phys < ramSize()) {
    fetchIpBase = ip - (lin & 0xfff);
    fetchPtr = <usize>(RAM_BASE + phys);
    fetchValid = true;
  }
  return v;
}

// @ts-ignore: decorator
@inline export function fetchS8At(ip: u32): u32 { return <u32><i32><i8>fetchAt<u8>(ip); }
// An immediate of the current operand size (16 or 32 bits); immVSize() long.
// @ts-ignore: decorator
@inline export function fetchImmVAt(ip: u32): u32 { return opsize32 ? fetchAt<u32>(ip) : fetchAt<u16>(ip); }
// @ts-ignore: decorator
@inline export function immVSize(): u32 { return opsize32 ? 4 : 2; }

// The same at the global cursor nextIp, for handlers that are not on the
// interpreter's fast path.
// @ts-ignore: decorator
@inline function fetch<T>(): u32 {
  const v = fetchAt<T>(nextIp);
  nextIp += sizeof<T>();
  return v;
}

// @ts-ignore: decorator
@inline export function fetch8(): u32 { return fetch<u8>(); }
// @ts-ignore: decorator
@inline export function fetch16(): u32 { return fetch<u16>(); }
// @ts-ignore: decorator
@inline export function fetch32(): u32 { return fetch<u32>(); }
// @ts-ignore: decorator
@inline export function fetchS8(): u32 { return <u32><i32><i8>fetch8(); }
// An immediate of the current operand size (16 or 32 bits).
// @ts-ignore: decorator
@inline export function fetchImmV(): u32 { return opsize32 ? fetch32() : fetch16(); }

// ---- ModRM -------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function isReg(): bool { return modrm >= 0xc0; }
// @ts-ignore: decorator
@inline export function regField(): u32 { return (modrm >> 3) & 7; }
// @ts-ignore: decorator
@inline export function rmField(): u32 { return modrm & 7; }

// Reads the ModRM byte at ip and, for a memory operand, its SIB and
// displacement, leaving the operand's address in eaOffset/eaSeg/eaLin.
// Returns the cursor after them.
// @ts-ignore: decorator
@inline export function decodeModRMAt(ip: u32): u32 {
  const m = fetchAt<u8>(ip);
  modrm = m;
  return m < 0xc0 ? decodeEA(m, ip + 1) : ip + 1;
}

// @ts-ignore: decorator
@inline export function decodeModRM(): void { nextIp = decodeModRMAt(nextIp); }

function decodeEA(modrm: u32, ip: u32): u32 {
  let seg: u32 = DS;
  let off: u32;
  if (addr32) {
    const mod = modrm >> 6;
    let rm = modrm & 7;
    if (rm == 4) {
      const sib = fetchAt<u8>(ip);
      ip++;
      const base = sib & 7;
      const index = (sib >> 3) & 7;
      if (base == 5 && mod == 0) {
        off = fetchAt<u32>(ip);
        ip += 4;
      } else {
        off = reg32(base);
        if (base == ESP || base == EBP) seg = SS;
      }
      if (index != 4) off += reg32(index) << (sib >> 6);
    } else if (rm == 5 && mod == 0) {
      off = fetchAt<u32>(ip);
      ip += 4;
    } else {
      off = reg32(rm);
      if (rm == EBP) seg = SS;
    }
    if (mod == 1) { off += fetchS8At(ip); ip++; }
    else if (mod == 2) { off += fetchAt<u32>(ip); ip += 4; }
  } else {
    const mod = modrm >> 6;
    switch (modrm & 7) {
      case 0: off = reg16(EBX) + reg16(ESI); break;
      case 1: off = reg16(EBX) + reg16(EDI); break;
      case 2: off = reg16(EBP) + reg16(ESI); seg = SS; break;
      case 3: off = reg16(EBP) + reg16(EDI); seg = SS; break;
      case 4: off = reg16(ESI); break;
      case 5: off = reg16(EDI); break;
      case 6:
        if (mod == 0) { off = fetchAt<u16>(ip); ip += 2; }
        else { off = reg16(EBP); seg = SS; }
        break;
      default: off = reg16(EBX); break;
    }
    if (mod == 1) { off += fetchS8At(ip); ip++; }
    else if (mod == 2) { off += fetchAt<u16>(ip); ip += 2; }
    off &= 0xffff;
  }
  if (segOverride >= 0) seg = <u32>segOverride;
  eaOffset = off;
  eaSeg = seg;
  eaLin = segBase(seg) + off;
  return ip;
}

// Sets the memory operand directly (moffs forms, string instructions).
export function setEA(seg: u32, off: u32): void {
  eaOffset = off;
  eaSeg = seg;
  eaLin = segBase(seg) + off;
}

// The data segment for instructions with an implicit DS operand.
// @ts-ignore: decorator
@inline export function dataSeg(): u32 { return segOverride >= 0 ? <u32>segOverride : DS; }

// ---- Operands ----------------------------------------------------------------

// Memory operands pass the segment's limit and type checks (segcheck.ts)
// before the linear access; a fault returns 0 / writes nothing.
// @ts-ignore: decorator
@inline export function readRM<T>(): u32 {
  if (modrm >= 0xc0) return getReg<T>(modrm & 7);
  return readMem<T>();
}

// For read-modify-write operands: a memory operand is checked for writing.
// @ts-ignore: decorator
@inline export function readRMW<T>(): u32 {
  if (modrm >= 0xc0) return getReg<T>(modrm & 7);
  return readMemForWrite<T>();
}

// @ts-ignore: decorator
@inline export function writeRM<T>(v: u32): void {
  if (modrm >= 0xc0) setReg<T>(modrm & 7, v);
  else writeMem<T>(v);
}

// The interpreter's memory operands are out of line (called, not inlined):
// inlined at every use they made its loop so large that V8 kept the loop's
// own locals in memory.
export function readMem<T>(): u32 {
  if (!segAccess(eaSeg, eaOffset, sizeof<T>(), false)) return 0;
  return readLin<T>(eaLin);
}
export function readMemForWrite<T>(): u32 { return readSegForWrite<T>(eaSeg, eaOffset); }
export function writeMem<T>(v: u32): void {
  if (!segAccess(eaSeg, eaOffset, sizeof<T>(), true)) return;
  writeLin<T>(eaLin, v);
}
// Memory operand at a byte offset from the ModRM operand (far pointers, bound).
// @ts-ignore: decorator
@inline export function readMemAt<T>(delta: u32): u32 {
  const off = addr32 ? eaOffset + delta : (eaOffset + delta) & 0xffff;
  if (!segAccess(eaSeg, off, sizeof<T>(), false)) return 0;
  return readLin<T>(segBase(eaSeg) + off);
}

// An access at seg:off (string instructions, the stack).
// @ts-ignore: decorator
@inline export function readSeg<T>(seg: u32, off: u32): u32 {
  if (!segAccess(seg, off, sizeof<T>(), false)) return 0;
  return readLin<T>(segBase(seg) + off);
}
// seg:off read for a read-modify-write: checked for writing before it is
// read, so the write cannot fault once the instruction has changed state.
// @ts-ignore: decorator
@inline export function readSegForWrite<T>(seg: u32, off: u32): u32 {
  if (!segAccess(seg, off, sizeof<T>(), true)) return 0;
  return readLinForWrite<T>(segBase(seg) + off);
}
// @ts-ignore: decorator
@inline export function writeSeg<T>(seg: u32, off: u32, v: u32): void {
  if (!segAccess(seg, off, sizeof<T>(), true)) return;
  writeLin<T>(segBase(seg) + off, v);
}

// @ts-ignore: decorator
@inline export function getRegOp<T>(): u32 { return getReg<T>((modrm >> 3) & 7); }
// @ts-ignore: decorator
@inline export function setRegOp<T>(v: u32): void { setReg<T>((modrm >> 3) & 7, v); }
