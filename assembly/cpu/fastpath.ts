// The interpreter's fast path: the common register-only instructions of
// 32-bit code, decoded straight from the fetched page. interpret() runs
// them in its loop with nothing there that calls out: a call anywhere in
// the loop made V8 keep the loop's instruction pointer in memory, and that
// round trip cost more than the rest of a simple instruction. Everything
// else goes through the full decoder (execute.ts).
//
// Only 32-bit code without prefixes gets here (there are none pending
// between instructions), so the operand and address size are 32 bits;
// nothing here can fault, read the clock or change the fetch page.
import { reg32, setReg32 } from "./state";
import { alu, inc, dec, test, ADD, OR, ADC, SBB, AND, SUB, XOR, CMP } from "./alu";
import { testCC } from "./flags";

// The longest instruction taken here, so that the loop checks once that
// it lies inside the fetched page.
export const FAST_MAX_LENGTH: u32 = 6;

// op r/m32, r32 (toRm) or op r32, r/m32 with a register ModRM m.
// @ts-ignore: decorator
@inline function aluRR(op: u32, m: u32, toRm: bool): void {
  const rm = m & 7, reg = (m >> 3) & 7;
  const d = toRm ? rm : reg, s = toRm ? reg : rm;
  const r = alu<u32>(op, reg32(d), reg32(s));
  if (op != CMP) setReg32(d, r);
}

// The ALU forms 00..3F with a register operand: p at the opcode.
// @ts-ignore: decorator
@inline function aluForm(op: u32, toRm: bool, p: usize, ip: u32): u32 {
  const m = <u32>load<u8>(p, 1);
  if (m < 0xc0) return ip;
  aluRR(op, m, toRm);
  return ip + 2;
}

// @ts-ignore: decorator
@inline function aluAcc(op: u32, p: usize, ip: u32): u32 {
  const r = alu<u32>(op, reg32(0), load<u32>(p, 1));
  if (op != CMP) setReg32(0, r);
  return ip + 5;
}

// 81 and 83 with a register operand.
// @ts-ignore: decorator
@inline function aluImm(imm8: bool, p: usize, ip: u32): u32 {
  const m = <u32>load<u8>(p, 1);
  if (m < 0xc0) return ip;
  const op = (m >> 3) & 7, rm = m & 7;
  const b = imm8 ? <u32><i32>load<i8>(p, 2) : load<u32>(p, 2);
  const r = alu<u32>(op, reg32(rm), b);
  if (op != CMP) setReg32(rm, r);
  return ip + (imm8 ? 3 : 6);
}

// @ts-ignore: decorator
@inline function jcc(cc: u32, next: u32, disp: u32): u32 {
  return testCC(cc) ? next + disp : next;
}

// Runs the instruction whose opcode op is at p (EIP ip) and returns the
// next EIP, or returns ip itself when the instruction is not one of these
// (a jump to itself returns ip too, and the full decoder then runs it,
// which is as correct).
// @ts-ignore: decorator
@inline export function fastInsn(op: u32, p: usize, ip: u32): u32 {
  switch (op) {
    case 0x01: return aluForm(ADD, true, p, ip);
    case 0x03: return aluForm(ADD, false, p, ip);
    case 0x05: return aluAcc(ADD, p, ip);
    case 0x09: return aluForm(OR, true, p, ip);
    case 0x0b: return aluForm(OR, false, p, ip);
    case 0x0d: return aluAcc(OR, p, ip);
    case 0x0f: { // jcc rel32
      const op2 = <u32>load<u8>(p, 1);
      if ((op2 & 0xf0) != 0x80) return ip;
      return jcc(op2 & 15, ip + 6, load<u32>(p, 2));
    }
    case 0x11: return aluForm(ADC, true, p, ip);
    case 0x13: return aluForm(ADC, false, p, ip);
    case 0x19: return aluForm(SBB, true, p, ip);
    case 0x1b: return aluForm(SBB, false, p, ip);
    case 0x21: return aluForm(AND, true, p, ip);
    case 0x23: return aluForm(AND, false, p, ip);
    case 0x25: return aluAcc(AND, p, ip);
    case 0x29: return aluForm(SUB, true, p, ip);
    case 0x2b: return aluForm(SUB, false, p, ip);
    case 0x2d: return aluAcc(SUB, p, ip);
    case 0x31: return aluForm(XOR, true, p, ip);
    case 0x33: return aluForm(XOR, false, p, ip);
    case 0x35: return aluAcc(XOR, p, ip);
    case 0x39: return aluForm(CMP, true, p, ip);
    case 0x3b: return aluForm(CMP, false, p, ip);
    case 0x3d: return aluAcc(CMP, p, ip);
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
      setReg32(op & 7, inc<u32>(reg32(op & 7)));
      return ip + 1;
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f:
      setReg32(op & 7, dec<u32>(reg32(op & 7)));
      return ip + 1;
    case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
    case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f:
      return jcc(op & 15, ip + 2, <u32><i32>load<i8>(p, 1));
    case 0x81: return aluImm(false, p, ip);
    case 0x83: return aluImm(true, p, ip);
    case 0x85: {
      const m = <u32>load<u8>(p, 1);
      if (m < 0xc0) return ip;
      test<u32>(reg32(m & 7), reg32((m >> 3) & 7));
      return ip + 2;
    }
    case 0x89: case 0x8b: {
      const m = <u32>load<u8>(p, 1);
      if (m < 0xc0) return ip;
      const rm = m & 7, reg = (m >> 3) & 7;
      if (op == 0x89) setReg32(rm, reg32(reg)); else setReg32(reg, reg32(rm));
      return ip + 2;
    }
    case 0x90: return ip + 1;
    case 0x99: setReg32(2, <u32>(<i32>reg32(0) >> 31)); return ip + 1;
    case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
      setReg32(op & 7, load<u32>(p, 1));
      return ip + 5;
    case 0xe9: return ip + 5 + load<u32>(p, 1);
    case 0xeb: return ip + 2 + <u32><i32>load<i8>(p, 1);
    // Every other opcode, listed so that the switch is dense (a jump table).
    case 0x00: case 0x02: case 0x04: case 0x06: case 0x07: case 0x08: case 0x0a: case 0x0c: case 0x0e: case 0x10:
    case 0x12: case 0x14: case 0x15: case 0x16: case 0x17: case 0x18: case 0x1a: case 0x1c: case 0x1d: case 0x1e:
    case 0x1f: case 0x20: case 0x22: case 0x24: case 0x26: case 0x27: case 0x28: case 0x2a: case 0x2c: case 0x2e:
    case 0x2f: case 0x30: case 0x32: case 0x34: case 0x36: case 0x37: case 0x38: case 0x3a: case 0x3c: case 0x3e:
    case 0x3f: case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57: case 0x58:
    case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f: case 0x60: case 0x61: case 0x62:
    case 0x63: case 0x64: case 0x65: case 0x66: case 0x67: case 0x68: case 0x69: case 0x6a: case 0x6b: case 0x6c:
    case 0x6d: case 0x6e: case 0x6f: case 0x80: case 0x82: case 0x84: case 0x86: case 0x87: case 0x88: case 0x8a:
    case 0x8c: case 0x8d: case 0x8e: case 0x8f: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96:
    case 0x97: case 0x98: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f: case 0xa0: case 0xa1:
    case 0xa2: case 0xa3: case 0xa4: case 0xa5: case 0xa6: case 0xa7: case 0xa8: case 0xa9: case 0xaa: case 0xab:
    case 0xac: case 0xad: case 0xae: case 0xaf: case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5:
    case 0xb6: case 0xb7: case 0xc0: case 0xc1: case 0xc2: case 0xc3: case 0xc4: case 0xc5: case 0xc6: case 0xc7:
    case 0xc8: case 0xc9: case 0xca: case 0xcb: case 0xcc: case 0xcd: case 0xce: case 0xcf: case 0xd0: case 0xd1:
    case 0xd2: case 0xd3: case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: case 0xd9: case 0xda: case 0xdb:
    case 0xdc: case 0xdd: case 0xde: case 0xdf: case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xe4: case 0xe5:
    case 0xe6: case 0xe7: case 0xe8: case 0xea: case 0xec: case 0xed: case 0xee: case 0xef: case 0xf0: case 0xf1:
    case 0xf2: case 0xf3: case 0xf4: case 0xf5: case 0xf6: case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb:
    case 0xfc: case 0xfd: case 0xfe: case 0xff:
    default:
      return ip;
  }
}
