// The x87's transcendental instructions on the register stack: fsin, fcos,
// fsincos, fptan, fpatan, f2xm1, fyl2x, fyl2xp1 (SDM vol. 2). The values
// are computed in fpu/transcend.ts; here are the stack faults, the
// condition codes and where results go, following fpu/ops.ts.
import { FPU_SW } from "../layout";
import { setControls, exc, roundedUp, rSE, rM, classify, isNaNClass, IE, DE, ZE, SF, NAN_SE, NAN_M, J } from "./float80";
import {
  stSE, stM, isEmpty, setST, pop, decTop, controlWord, setCC, recordExceptions, stackUnderflow, SW_C0, SW_C1, SW_C2, SW_C3,
} from "./stack";
import { trig, outOfRange, cosSE, cosM, atan2, exp2m1, yl2x, T_SIN, T_COS, T_SINCOS, T_TAN } from "./transcend";

function begin(): void { setControls(controlWord()); }

const KEEP_C2: i32 = -1;
// Records the exceptions, C1 (rounded up) and C2 (0, 1, or kept where the
// SDM leaves it undefined); false when an unmasked IE, DE or ZE means the
// destination must stay as it was.
// An unmasked denormal operand stops the instruction before it computes
// anything (SDM vol. 1, 8.7.1): DE alone is reported, C1 clear.
function finish(c2: i32): bool {
  let bits = exc, up = roundedUp;
  if ((bits & DE) != 0 && (controlWord() & DE) == 0) { bits = DE; up = false; }
  const unmasked = recordExceptions(bits);
  const sw = load<u32>(FPU_SW);
  let cc = sw & (SW_C0 | SW_C3);
  if (c2 == KEEP_C2) cc |= sw & SW_C2;
  else if (c2 != 0) cc |= SW_C2;
  if (up) cc |= SW_C1;
  setCC(cc);
  return (unmasked & (IE | DE | ZE)) == 0;
}

// fsin, fcos: ST(0) = f(ST(0)); |ST(0)| >= 2^63 leaves it, with C2 set.
function oneResult(which: i32): void {
  begin();
  if (isEmpty(0)) { if (stackUnderflow()) setST(0, NAN_SE, NAN_M); return; }
  trig(stSE(0), stM(0), which);
  if (outOfRange) { finish(1); return; }
  if (finish(0)) setST(0, rSE, rM);
}
export function fsin(): void { oneResult(T_SIN); }
export function fcos(): void { oneResult(T_COS); }

// fsincos (ST(1) = sin, ST(0) = cos) and fptan (ST(1) = tan, ST(0) = 1.0).
// A NaN result (NaN operand, infinity, invalid encoding) goes to both, and
// a masked stack underflow or overflow leaves two default NaNs, as an x87
// does (measured on the AMD host; fxtract's overflow is the same). C1 is
// set when either result was rounded up.
function twoResults(tan: bool): void {
  begin();
  if (isEmpty(0)) {
    if (!stackUnderflow()) return;
    setST(0, NAN_SE, NAN_M);
    decTop();
    setST(0, NAN_SE, NAN_M);
    return;
  }
  if (!isEmpty(7)) {
    setCC((load<u32>(FPU_SW) & (SW_C0 | SW_C2 | SW_C3)) | SW_C1);
    if (recordExceptions(IE | SF) != 0) return;
    setST(0, NAN_SE, NAN_M);
    decTop();
    setST(0, NAN_SE, NAN_M);
    return;
  }
  trig(stSE(0), stM(0), tan ? T_TAN : T_SINCOS);
  if (outOfRange) { finish(1); return; }
  if (!finish(0)) return;
  const se = rSE, m = rM;
  let se2: u32, m2: u64;
  if (tan) {
    const nan = isNaNClass(classify(se, m));
    se2 = nan ? se : 0x3fff; m2 = nan ? m : J;
  } else { se2 = cosSE; m2 = cosM; }
  setST(0, se, m);
  decTop();
  setST(0, se2, m2);
}
export function fsincos(): void { twoResults(false); }
export function fptan(): void { twoResults(true); }

// fpatan, fyl2x, fyl2xp1: ST(1) = f(ST(1), ST(0)), then a pop.
const K_ATAN: i32 = 0, K_YL2X: i32 = 1, K_YL2XP1: i32 = 2;
function binaryPop(kind: i32): void {
  begin();
  if (isEmpty(0) || isEmpty(1)) {
    if (!stackUnderflow()) return;
    setST(1, NAN_SE, NAN_M);
    pop();
    return;
  }
  if (kind == K_ATAN) atan2(stSE(1), stM(1), stSE(0), stM(0));
  else yl2x(stSE(1), stM(1), stSE(0), stM(0), kind == K_YL2XP1);
  if (!finish(KEEP_C2)) return;
  setST(1, rSE, rM);
  pop();
}
export function fpatan(): void { binaryPop(K_ATAN); }
export function fyl2x(): void { binaryPop(K_YL2X); }
export function fyl2xp1(): void { binaryPop(K_YL2XP1); }

// f2xm1: ST(0) = 2^ST(0) - 1.
export function f2xm1(): void {
  begin();
  if (isEmpty(0)) { if (stackUnderflow()) setST(0, NAN_SE, NAN_M); return; }
  exp2m1(stSE(0), stM(0));
  if (finish(KEEP_C2)) setST(0, rSE, rM);
}
