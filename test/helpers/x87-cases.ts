// The operands the transcendental tests run (test/cpu/x87-transcendental.test.ts):
// for each instruction, random operands in and around its range and edge
// ones (tiny, denormal, near multiples of pi/4 and pi/2, the hardest
// reductions below 2^63 from pi/2's continued fraction, near 1, powers of
// two, huge, zeros, infinities, NaNs, invalid encodings), the edge ones in
// every precision and rounding control. Deterministic (a fixed seed).
import * as R from "./x87-ref.js";
import { J, type Case, type F80, type Op } from "./x87-trans.js";

let seed = 0x2545f491;
const rand32 = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
const rand64 = () => (BigInt(rand32()) << 32n) | BigInt(rand32());
const pick = <T>(a: T[]): T => a[rand32() % a.length];
const PCS = [24, 53, 64], RCS = [0, 1, 2, 3];

/** A finite value with unbiased exponent e (and a random or given significand). */
const fin = (e: number, negative = false, m = rand64() | J): F80 => ({ se: (negative ? 0x8000 : 0) | (e + 16383), m });
const den = (negative = false, m = rand64() >> BigInt(1 + (rand32() % 63))): F80 => ({ se: negative ? 0x8000 : 0, m: m || 1n });
const ZEROS: F80[] = [{ se: 0, m: 0n }, { se: 0x8000, m: 0n }];
const INFS: F80[] = [{ se: 0x7fff, m: J }, { se: 0xffff, m: J }];
const NANS: F80[] = [
  { se: 0x7fff, m: 0xc000000000000001n }, { se: 0xffff, m: 0xd000000000000000n }, // quiet
  { se: 0x7fff, m: 0x8000000000000123n }, { se: 0xffff, m: 0xa000000000000000n }, // signalling
];
const BADS: F80[] = [{ se: 0x3fff, m: 0x4000000000000000n }, { se: 0x7fff, m: 0x4000000000000000n }];
const SPECIALS = [...ZEROS, ...INFS, ...NANS, ...BADS];

/** The 80-bit value nearest v (BF), round to nearest. */
function nearest(v: R.BF): F80 {
  const r = R.round({ v, tail: 0 }, 64, 0);
  return { se: r.se, m: r.m };
}
const step = (f: F80, k: number): F80 => {
  // k ulps along the significand (same binade)
  const m = f.m + BigInt(k);
  return m >= J && m < (1n << 64n) ? { se: f.se, m } : f;
};
const fromNum = (x: number): F80 => {
  if (x === 0) return { se: Object.is(x, -0) ? 0x8000 : 0, m: 0n };
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  const u = b.getBigUint64(0);
  const e = Number((u >> 52n) & 0x7ffn) - 1023;
  return { se: (x < 0 ? 0x8000 : 0) | (e + 16383), m: ((u & ((1n << 52n) - 1n)) | (1n << 52n)) << 11n };
};

/** Operands near k*pi/2 where the reduction is hardest: pi/2's continued
 *  fraction convergents p/q give p - q pi/2 ~ 1/q. */
function hardReductions(): F80[] {
  const out: F80[] = [];
  const halfPi = R.scale(R.PI, -1);
  // continued fraction of pi/2 with BigInt rationals
  let num = halfPi.m, den = 1n << BigInt(-halfPi.e);
  let h0 = 0n, h1 = 1n, k0 = 1n, k1 = 0n;
  for (let i = 0; i < 60; i++) {
    const a = num / den;
    [num, den] = [den, num - a * den];
    [h0, h1] = [h1, a * h1 + h0];
    [k0, k1] = [k1, a * k1 + k0];
    if (h1 >= 1n << 63n) break;
    if (h1 > 4n) {
      const f = nearest(R.fromInt(h1));
      out.push(f, step(f, 1), step(f, -1));
    }
  }
  return out;
}

export function opCases(op: Op): Case[] {
  const cases: Case[] = [];
  const all = (x: F80, y?: F80) => { for (const pc of PCS) for (const rc of RCS) cases.push({ op, x, y, pc, rc }); };
  const one = (x: F80, y?: F80) => cases.push({ op, x, y, pc: pick(PCS), rc: pick(RCS) });
  const randomSign = () => (rand32() & 1) === 1;
  switch (op) {
    case "fsin": case "fcos": case "fsincos": case "fptan": {
      for (const s of SPECIALS) all(s);
      for (const e of [-1, -10, -31, -32, -33, -64, -70, -100, -16000, -16382]) { all(fin(e)); all(fin(e, true)); }
      for (let i = 0; i < 4; i++) all(den(randomSign()));
      all({ se: 0, m: 1n }); all({ se: 0, m: J }); // smallest denormal, pseudo-denormal
      for (let k = 1; k <= 12; k++) { // near multiples of pi/4
        const f = nearest(R.mul(R.fromInt(k), R.scale(R.PI_P, -2)));
        for (const d of [-1, 0, 1]) one(step(f, d)), one({ ...step(f, d), se: step(f, d).se | 0x8000 });
      }
      for (const f of hardReductions()) { all(f); one({ ...f, se: f.se | 0x8000 }); }
      all(fin(62, false, (1n << 64n) - 1n)); all(fin(63, false, J)); all(fin(63, true, J)); all(fin(100)); all(fin(16000));
      for (let i = 0; i < 900; i++) one(fin(-8 + (rand32() % 71), randomSign())); // 2^-8 .. 2^62
      for (let i = 0; i < 200; i++) one(fin(-1 - (rand32() % 64), randomSign())); // small
      break;
    }
    case "fpatan": {
      const fins = [fin(0), fin(0, true), fin(-5), fin(5, true), den(), den(true)];
      for (const y of [...SPECIALS, ...fins]) for (const x of [...ZEROS, ...INFS, fins[0], fins[1], fins[4]]) one(x, y);
      for (const y of [...ZEROS, ...INFS]) for (const x of [...ZEROS, ...INFS]) all(x, y);
      for (const [ey, ex] of [[0, 0], [0, 70], [0, -70], [-16000, 16000], [16000, -16000], [-16382, 0], [0, 16383]] as const) {
        all(fin(ex), fin(ey)); all(fin(ex, true), fin(ey, true));
      }
      // exact ratios: y/x a power of two, tiny (atan(t) just below t)
      for (const d of [1, 7, 40, 64, 65, 100, 1000]) all(fin(d, false, 0xc000000000000000n), fin(0, false, 0xc000000000000000n));
      { const f = fin(0); all(f, f); all({ ...f, se: f.se | 0x8000 }, f); } // equal magnitudes: pi/4, 3pi/4
      for (let j = 1; j <= 64; j++) { // y/x near j/64 (table points) and between
        const x = fin(0, randomSign());
        one(x, nearest(R.mul(R.fromF80(x.se & 0x7fff, x.m), R.bf(BigInt(2 * j + (rand32() & 1)), -7))));
      }
      for (let i = 0; i < 1200; i++) {
        const ey = (rand32() % 40) - 20, ex = (rand32() % 40) - 20;
        one(fin(ex, randomSign()), fin(ey, randomSign()));
      }
      for (let i = 0; i < 100; i++) one(fin((rand32() % 32000) - 16000, randomSign()), fin((rand32() % 32000) - 16000, randomSign()));
      break;
    }
    case "f2xm1": {
      for (const s of SPECIALS) all(s);
      for (const v of [1, -1, 0.5, -0.5, 2, -2, 1.5, 100]) all(fromNum(v));
      all(step(fromNum(1), -1)); all(step(fromNum(-1), -1)); all(fin(0, false, J + 1n));
      for (let j = 1; j <= 32; j++) for (const s of [false, true]) { // near j/32 and j/32 +- 1/64
        const f = fromNum(j / 32);
        one({ ...f, se: f.se | (s ? 0x8000 : 0) }); one({ ...step(f, 1), se: f.se | (s ? 0x8000 : 0) });
        const g = fromNum((2 * j - 1) / 64);
        one({ ...step(g, -1), se: g.se | (s ? 0x8000 : 0) }); one({ ...g, se: g.se | (s ? 0x8000 : 0) });
      }
      for (const e of [-7, -20, -64, -65, -100, -1000, -16382]) { all(fin(e)); all(fin(e, true)); }
      for (let i = 0; i < 4; i++) all(den(randomSign()));
      for (let i = 0; i < 1200; i++) one(fin(-1 - (rand32() % 12), randomSign()));
      for (let i = 0; i < 200; i++) one(fin(-1 - (rand32() % 200), randomSign()));
      break;
    }
    case "fyl2x": {
      const ys = [fin(0), fin(0, true), fin(10), fin(-10, true), den()];
      const xs = [fin(0), fin(-1), fin(5), fin(-5), den()];
      for (const y of [...SPECIALS, ...ys]) for (const x of [...ZEROS, ...INFS, fin(0, false, J), fin(3, false, J), fin(-2), fin(2), fin(1, true), den(true)]) one(x, y);
      for (const y of [...ZEROS, ...INFS]) for (const x of [...ZEROS, ...INFS, fin(0, false, J), fin(2), fin(-2)]) all(x, y);
      for (const x of xs) for (const y of [...SPECIALS]) one(x, y);
      for (const k of [1, 2, 5, -1, -3, 63, 1000, -16000, -16382]) all(fin(k, false, J), fin(0, false, 0xb000000000000000n)); // powers of two: exact
      for (const d of [1, 2, 3, 1000]) { all(step(fin(0, false, J), d), fin(0)); all(fin(-1, false, (1n << 64n) - BigInt(d)), fin(0)); } // near 1
      all(fin(16383, false, J), fin(16383)); all(fin(-16000), fin(16383)); // overflow
      all(fin(1), fin(-16382)); all(fin(0, false, J + 1n), fin(-16000)); // underflow
      for (let i = 0; i < 1000; i++) one(fin((rand32() % 200) - 100), fin((rand32() % 40) - 20, randomSign()));
      for (let i = 0; i < 200; i++) one(fin(-1 + (rand32() & 1), false), fin((rand32() % 40) - 20, randomSign())); // [0.5, 2)
      for (let i = 0; i < 100; i++) one(fin((rand32() % 32760) - 16380), fin((rand32() % 40) - 20, randomSign()));
      break;
    }
    case "fyl2xp1": {
      const limit = 0x95f619980c4336f7n; // 1 - sqrt(2)/2 ~ 0.29289 at exponent -2
      for (const y of [...SPECIALS, fin(0), fin(3, true), den()]) for (const x of [...ZEROS, ...INFS, fin(-3), fin(-3, true), den(true)]) one(x, y);
      for (const y of [...ZEROS, ...INFS]) for (const x of [...ZEROS, ...INFS, fin(-3), fin(-3, true)]) all(x, y);
      for (const x of [fin(-3), den()]) for (const y of SPECIALS) one(x, y);
      for (const v of [1, 3, 7, -0.5, -0.75, 0.5, -1, -2, 100, -0.99]) all(fromNum(v), fin(0)); // outside the range: the mathematical value
      all(fin(-2, false, limit), fin(0)); all(fin(-2, true, limit), fin(0));
      for (const e of [-7, -8, -9, -20, -63, -64, -65, -100, -16382]) { all(fin(e), fin(0)); all(fin(e, true), fin(0)); }
      for (let i = 0; i < 4; i++) all(den(randomSign()), fin(0, randomSign()));
      all(fin(-3), fin(16383)); all(fin(-20), fin(-16382)); // overflow, underflow
      for (let i = 0; i < 1000; i++) {
        const e = -3 - (rand32() % 10);
        one(fin(e, randomSign()), fin((rand32() % 40) - 20, randomSign()));
      }
      for (let i = 0; i < 200; i++) one(fin(-2, randomSign(), J | (rand64() % (limit - J))), fin(0, randomSign()));
      for (let i = 0; i < 200; i++) one(fin(-3 - (rand32() % 200), randomSign()), fin((rand32() % 40) - 20, randomSign()));
      break;
    }
  }
  return cases;
}

