// Group 2: rol ror rcl rcr shl shr sal sar, generic over the width T.
// Counts are masked to 5 bits as on every CPU since the 286. For counts
// above 1 the SDM leaves OF undefined; rcl and rcr set it as hardware does
// (measured on an x86 host, and Bochs's model of Intel's agrees), by the
// count-1 rule applied to the result: rcl, CF xor the result's top bit;
// rcr, the result's two top bits xor'd. (QEMU's rcr takes the top bit of
// operand xor result instead, so the QEMU differential masks it.) A count
// that rotates an 8- or 16-bit operand all the way round changes nothing,
// as in QEMU and Bochs (an AMD host sets OF by the same rule there).
import { bitsOf, maskOf } from "./alu";
import { getCF, setResultFlags, setCarryOverflow } from "./flags";

export const ROL: u32 = 0, ROR: u32 = 1, RCL: u32 = 2, RCR: u32 = 3, SHL: u32 = 4, SHR: u32 = 5, SAL: u32 = 6, SAR: u32 = 7;

// @ts-ignore: decorator
@inline export function shift<T>(op: u32, x: u32, count: u32): u32 {
  count &= 31;
  if (count == 0) return x;
  const bits = bitsOf<T>();
  const width = bits + 1;
  const mask = maskOf<T>();
  let r: u32;
  switch (op) {
    case ROL: {
      const n = count & bits;
      r = n == 0 ? x : ((x << n) | (x >>> (width - n))) & mask;
      const cf = r & 1;
      setCarryOverflow(cf, (r >>> bits) ^ cf);
      return r;
    }
    case ROR: {
      const n = count & bits;
      r = n == 0 ? x : ((x >>> n) | (x << (width - n))) & mask;
      setCarryOverflow(r >>> bits, ((r >>> bits) ^ (r >>> (bits - 1))) & 1);
      return r;
    }
    case RCL: {
      const n = sizeof<T>() == 4 ? count : count % (width + 1);
      if (n == 0) return x;
      // Rotate the width+1 bit quantity CF:x left by n.
      const wide: u64 = (<u64>(getCF() ? 1 : 0) << width) | <u64>x;
      const rot: u64 = ((wide << n) | (wide >> (width + 1 - n))) & ((<u64>1 << (width + 1)) - 1);
      r = <u32>rot & mask;
      const cf = <u32>(rot >> width) & 1;
      setCarryOverflow(cf, (r >>> bits) ^ cf);
      return r;
    }
    case RCR: {
      const n = sizeof<T>() == 4 ? count : count % (width + 1);
      if (n == 0) return x;
      const wide: u64 = (<u64>(getCF() ? 1 : 0) << width) | <u64>x;
      const rot: u64 = ((wide >> n) | (wide << (width + 1 - n))) & ((<u64>1 << (width + 1)) - 1);
      r = <u32>rot & mask;
      const cf = <u32>(rot >> width) & 1;
      setCarryOverflow(cf, ((r >>> bits) ^ (r >>> (bits - 1))) & 1);
      return r;
    }
    case SHL: case SAL: {
      const before = count == 32 ? 0 : x << (count - 1);
      r = (before << 1) & mask;
      const cf = (before >>> bits) & 1;
      setResultFlags(r, bits, cf, (r >>> bits) ^ cf);
      return r;
    }
    case SHR: {
      const before = x >>> (count - 1);
      r = (before >>> 1) & mask;
      setResultFlags(r, bits, before & 1, ((before ^ r) >>> bits) & 1);
      return r;
    }
    default: { // SAR
      const sx: i32 = (<i32>(x << (31 - bits))) >> (31 - bits);
      const before = <u32>(sx >> (count - 1));
      r = <u32>(sx >> count) & mask;
      setResultFlags(r, bits, before & 1, ((before ^ r) >>> bits) & 1);
      return r;
    }
  }
}
