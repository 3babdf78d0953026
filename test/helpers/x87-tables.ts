// The constants of assembly/fpu/transcend.ts, derived here from the
// reference arithmetic (x87-ref.ts): printed with `npx tsx
// test/helpers/x87-tables.ts`, and checked against the core's source by
// test/cpu/x87-transcendental-tables.test.ts.
import * as R from "./x87-ref.js";

const hex = (v: bigint) => "0x" + v.toString(16).padStart(16, "0");
const M64 = (1n << 64n) - 1n;

/** A nonzero value as [hi, lo, sign << 32 | exponent]: 128 significant bits, truncated. */
function wide(v: R.BF): bigint[] {
  const neg = v.m < 0n;
  const m = neg ? -v.m : v.m;
  const e = R.bitlen(m) + v.e - 1;
  const sig = R.fixedWords({ m, e: v.e - e }, 127); // [2^127, 2^128)
  return [sig >> 64n, sig & M64, (neg ? 1n << 32n : 0n) | (BigInt(e) & 0xffffffffn)];
}
/** A value in [0, 1) as 128-bit fixed point [hi, lo], truncated. */
function fixed(v: R.BF): bigint[] {
  const f = R.fixedWords(v, 128);
  return [f >> 64n, f & M64];
}
function data(name: string, words: bigint[], per: number, comment: string): string {
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += per) lines.push("  " + words.slice(i, i + per).map(hex).join(", ") + ",");
  return `// ${comment}\nconst ${name} = memory.data<u64>([\n${lines.join("\n")}\n]);\n`;
}
const inv = (n: bigint) => R.div(R.ONE, R.bf(n));
const fact = (n: number) => { let f = 1n; for (let i = 2; i <= n; i++) f *= BigInt(i); return f; };

export function tableSource(): string {
  const pi = R.PI_P;
  const out: string[] = [];
  // 2/pi: 512 fraction bits
  const w = (1n << BigInt(513 - R.PI.e)) / R.PI.m; // floor(2/pi * 2^512), pi to 1400 bits
  const words: bigint[] = [];
  for (let i = 7; i >= 0; i--) words.push((w >> BigInt(64 * i)) & M64);
  out.push(data("TWO_OVER_PI", words, 4, "2/pi to 512 bits, most significant word first (truncated)"));
  out.push(data("CONSTS", [
    ...wide(R.scale(pi, -1)), ...wide(pi), ...wide(R.scale(pi, -2)), ...wide(R.scale(R.mul(pi, R.fromInt(3)), -2)),
    ...wide(R.LN2), ...wide(R.div(R.ONE, R.LN2)),
  ], 3, "pi/2, pi, pi/4, 3pi/4, ln 2, log2(e) as wide values"));
  const N = 18;
  out.push(data("SIN_P", Array.from({ length: N }, (_, k) => fixed(inv(fact(2 * k + 3)))).flat(), 2, "1/(2k+3)!"));
  out.push(data("COS_Q", Array.from({ length: N }, (_, k) => fixed(inv(fact(2 * k + 2)))).flat(), 2, "1/(2k+2)!"));
  out.push(data("TAN_U", Array.from({ length: N }, (_, k) => fixed(R.div(R.fromInt(2 * k + 2), R.bf(fact(2 * k + 3))))).flat(), 2, "(2k+2)/(2k+3)!"));
  out.push(data("ODD_INV", Array.from({ length: N }, (_, k) => fixed(inv(BigInt(2 * k + 3)))).flat(), 2, "1/(2k+3)"));
  out.push(data("EXP_G", Array.from({ length: N }, (_, k) => fixed(inv(fact(k + 2)))).flat(), 2, "1/(k+2)!"));
  // atan(j/64), ln(1 + j/64), 2^(j/32) - 1
  const atanT: bigint[] = [0n, 0n, 0n], lnT: bigint[] = [0n, 0n, 0n], expT: bigint[] = [];
  for (let j = 1; j <= 64; j++) {
    atanT.push(...wide(R.atan2Ref(R.fromInt(j), R.fromInt(64)).v));
    lnT.push(...wide(R.mul(R.yl2xp1Ref(R.ONE, R.bf(BigInt(j), -6)).v, R.LN2)));
  }
  for (let j = -32; j <= 32; j++) expT.push(...(j === 0 ? [0n, 0n, 0n] : wide(R.exp2m1Ref(R.bf(BigInt(j), -5)).v)));
  out.push(data("ATAN_T", atanT, 3, "atan(j/64), j = 0..64"));
  out.push(data("LN_T", lnT, 3, "ln(1 + j/64), j = 0..64"));
  out.push(data("EXP2M1_T", expT, 3, "2^(j/32) - 1, j = -32..32"));
  return out.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(tableSource());
