// The x87 instruction table: one row per form of the escape opcodes D8-DF
// (SDM vol. 2, and the opcode map's "escape opcode" tables, A.4).
// scripts/gen-isa.js turns it into assembly/cpu/gen/x87.ts, which the
// one-byte map's D8-DF row calls after the ModRM byte and the #NM check.
//
// A row: x(escape byte, reg field, "m" (memory operand) or "r" (register
// operand; then `rm` members when the rm field selects the instruction
// rather than ST(i)), mnemonic, properties, code).
// - properties: nowait, a "no-wait" control form (fninit, fnstsw...) that
//   does not report a pending exception first; control, a form that
//   leaves the last-instruction pointers (FIP, FDP, FOP) as they were.
// - code: runs with `op` the escape byte and `i` the rm field (ST(i)).
//   The semantics live in assembly/fpu/ (ops, env).
// Forms in no row (and rm values in no member) are #UD.

const x = (op, reg, mod, mn, props, code) => ({ op, reg, mod, mn, ...props, code });
const m = (rm, mn, code, props = {}) => ({ rm, mn, code, ...props });

const ARITH = ["fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"];
const IARITH = ["fiadd", "fimul", "ficom", "ficomp", "fisub", "fisubr", "fidiv", "fidivr"];

// Memory arithmetic and compares: D8 m32fp, DA m32int, DC m64fp, DE m16int.
const memArith = [[0xd8, "m32fp", "M_F32", ARITH], [0xda, "m32int", "M_I32", IARITH], [0xdc, "m64fp", "M_F64", ARITH],
  [0xde, "m16int", "M_I16", IARITH]].flatMap(([op, t, kind, names]) => names.map((n, reg) =>
  x(op, reg, "m", `${n} ${t}`, {}, reg === 2 || reg === 3 ? `compareMem(${kind}, ${reg === 3});` : `arithMem(${reg}, ${kind});`)));

// The CMOV-style conditions of fcmovcc: b e be u, and their negations.
const FCMOV = ["b", "e", "be", "u"];
const FCMOV_CC = [2, 4, 6, 10];

export const X87 = [
  ...memArith,
  // D8 register forms: ST(0) = ST(0) op ST(i).
  ...ARITH.map((n, reg) => x(0xd8, reg, "r", `${n} ST(0), ST(i)`, {},
    reg === 2 || reg === 3 ? `compareReg(i, false, ${reg - 2}, false);` : `arithReg(${reg}, 0, i, false);`)),

  // D9
  x(0xd9, 0, "m", "fld m32fp", {}, `fldMem(M_F32);`),
  x(0xd9, 2, "m", "fst m32fp", {}, `fstMem(0, false);`),
  x(0xd9, 3, "m", "fstp m32fp", {}, `fstMem(0, true);`),
  x(0xd9, 4, "m", "fldenv m14/28byte", { control: true }, `fldenv();`),
  x(0xd9, 5, "m", "fldcw m2byte", { control: true }, `fldcw();`),
  x(0xd9, 6, "m", "fnstenv m14/28byte", { control: true, nowait: true }, `fnstenv();`),
  x(0xd9, 7, "m", "fnstcw m2byte", { control: true, nowait: true }, `fnstcw();`),
  x(0xd9, 0, "r", "fld ST(i)", {}, `fldReg(i);`),
  x(0xd9, 1, "r", "fxch ST(i)", {}, `fxch(i);`),
  x(0xd9, 2, "r", "fnop", { rm: [m(0, "fnop", ``)] }),
  x(0xd9, 3, "r", "fstp1 ST(i)", {}, `fstReg(i, true); // an alias of fstp ST(i) (DD D8+i)`),
  x(0xd9, 4, "r", "fchs/fabs/ftst/fxam", { rm: [m(0, "fchs", `signOp(false);`), m(1, "fabs", `signOp(true);`),
    m(4, "ftst", `ftst();`), m(5, "fxam", `fxam();`)] }),
  x(0xd9, 5, "r", "fld1/fldl2t/fldl2e/fldpi/fldlg2/fldln2/fldz", {
    rm: ["fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"].map((n, rm) => m(rm, n, `loadConstant(${rm});`)) }),
  x(0xd9, 6, "r", "f2xm1/fyl2x/fptan/fpatan/fxtract/fprem1/fdecstp/fincstp", { rm: [
    m(0, "f2xm1", `f2xm1();`), m(1, "fyl2x", `fyl2x();`), m(2, "fptan", `fptan();`), m(3, "fpatan", `fpatan();`),
    m(4, "fxtract", `fxtract();`), m(5, "fprem1", `fprem(true);`), m(6, "fdecstp", `stepTop(false);`),
    m(7, "fincstp", `stepTop(true);`)] }),
  x(0xd9, 7, "r", "fprem/fyl2xp1/fsqrt/fsincos/frndint/fscale/fsin/fcos", { rm: [
    m(0, "fprem", `fprem(false);`), m(1, "fyl2xp1", `fyl2xp1();`), m(2, "fsqrt", `unaryOp(0);`),
    m(3, "fsincos", `fsincos();`), m(4, "frndint", `unaryOp(1);`), m(5, "fscale", `fscale();`), m(6, "fsin", `fsin();`),
    m(7, "fcos", `fcos();`)] }),

  // DA
  ...FCMOV.map((c, reg) => x(0xda, reg, "r", `fcmov${c} ST(0), ST(i)`, {}, `fcmov(${FCMOV_CC[reg]}, i);`)),
  x(0xda, 5, "r", "fucompp", { rm: [m(1, "fucompp", `compareReg(1, true, 2, false);`)] }),

  // DB
  x(0xdb, 0, "m", "fild m32int", {}, `fldMem(M_I32);`),
  x(0xdb, 2, "m", "fist m32int", {}, `fstMem(1, false);`),
  x(0xdb, 3, "m", "fistp m32int", {}, `fstMem(1, true);`),
  x(0xdb, 5, "m", "fld m80fp", {}, `fldMem(4);`),
  x(0xdb, 7, "m", "fstp m80fp", {}, `fstMem(4, true);`),
  ...FCMOV.map((c, reg) => x(0xdb, reg, "r", `fcmovn${c} ST(0), ST(i)`, {}, `fcmov(${FCMOV_CC[reg] + 1}, i);`)),
  x(0xdb, 4, "r", "fneni/fndisi/fnclex/fninit/fnsetpm", { control: true, nowait: true, rm: [
    m(0, "fneni", `// 8087 only: a no-op since the 287`), m(1, "fndisi", `// 8087 only`),
    m(2, "fnclex", `fnclex();`), m(3, "fninit", `fninit();`), m(4, "fnsetpm", `// 287 only`)] }),
  x(0xdb, 5, "r", "fucomi ST(0), ST(i)", {}, `compareReg(i, true, 0, true);`),
  x(0xdb, 6, "r", "fcomi ST(0), ST(i)", {}, `compareReg(i, false, 0, true);`),

  // DC register forms: ST(i) = ST(i) op ST(0); the sub/div pairs swap
  // their reg fields relative to D8 (E0+i is fsubr, E8+i fsub).
  ...ARITH.map((n, reg) => x(0xdc, reg, "r", `${reg === 2 ? "fcom2" : reg === 3 ? "fcomp3" : ["fadd", "fmul", , , "fsubr", "fsub", "fdivr", "fdiv"][reg]} ST(i)${reg >= 2 && reg <= 3 ? "" : ", ST(0)"}`, {},
    reg === 2 || reg === 3 ? `compareReg(i, false, ${reg - 2}, false); // an alias of D8` : `arithReg(${reg < 4 ? reg : reg ^ 1}, i, 0, false);`)),

  // DD
  x(0xdd, 0, "m", "fld m64fp", {}, `fldMem(M_F64);`),
  x(0xdd, 2, "m", "fst m64fp", {}, `fstMem(2, false);`),
  x(0xdd, 3, "m", "fstp m64fp", {}, `fstMem(2, true);`),
  x(0xdd, 4, "m", "frstor m94/108byte", { control: true }, `frstor();`),
  x(0xdd, 6, "m", "fnsave m94/108byte", { control: true, nowait: true }, `fnsave();`),
  x(0xdd, 7, "m", "fnstsw m2byte", { control: true, nowait: true }, `fnstsw(false);`),
  x(0xdd, 0, "r", "ffree ST(i)", {}, `ffree(i, false);`),
  x(0xdd, 1, "r", "fxch4 ST(i)", {}, `fxch(i); // an alias of D9 C8+i`),
  x(0xdd, 2, "r", "fst ST(i)", {}, `fstReg(i, false);`),
  x(0xdd, 3, "r", "fstp ST(i)", {}, `fstReg(i, true);`),
  x(0xdd, 4, "r", "fucom ST(i)", {}, `compareReg(i, true, 0, false);`),
  x(0xdd, 5, "r", "fucomp ST(i)", {}, `compareReg(i, true, 1, false);`),

  // DE register forms: as DC, then pop.
  ...[0, 1, 4, 5, 6, 7].map((reg) => x(0xde, reg, "r", `${["faddp", "fmulp", , , "fsubrp", "fsubp", "fdivrp", "fdivp"][reg]} ST(i), ST(0)`, {},
    `arithReg(${reg < 4 ? reg : reg ^ 1}, i, 0, true);`)),
  x(0xde, 2, "r", "fcomp5 ST(i)", {}, `compareReg(i, false, 1, false); // an alias of D8 D8+i`),
  x(0xde, 3, "r", "fcompp", { rm: [m(1, "fcompp", `compareReg(1, false, 2, false);`)] }),

  // DF
  x(0xdf, 0, "m", "fild m16int", {}, `fldMem(M_I16);`),
  x(0xdf, 2, "m", "fist m16int", {}, `fstMem(3, false);`),
  x(0xdf, 3, "m", "fistp m16int", {}, `fstMem(3, true);`),
  x(0xdf, 4, "m", "fbld m80bcd", {}, `fldMem(6);`),
  x(0xdf, 5, "m", "fild m64int", {}, `fldMem(5);`),
  x(0xdf, 6, "m", "fbstp m80bcd", {}, `fstMem(6, true);`),
  x(0xdf, 7, "m", "fistp m64int", {}, `fstMem(5, true);`),
  x(0xdf, 0, "r", "ffreep ST(i)", {}, `ffree(i, true);`),
  x(0xdf, 1, "r", "fxch7 ST(i)", {}, `fxch(i); // an alias of D9 C8+i`),
  x(0xdf, 2, "r", "fstp8 ST(i)", {}, `fstReg(i, true); // an alias of DD D8+i`),
  x(0xdf, 3, "r", "fstp9 ST(i)", {}, `fstReg(i, true); // an alias of DD D8+i`),
  x(0xdf, 4, "r", "fnstsw AX", { control: true, nowait: true, rm: [m(0, "fnstsw AX", `fnstsw(true);`)] }),
  x(0xdf, 5, "r", "fucomip ST(0), ST(i)", {}, `compareReg(i, true, 1, true);`),
  x(0xdf, 6, "r", "fcomip ST(0), ST(i)", {}, `compareReg(i, false, 1, true);`),
];

/** Problems with the table: a form in two rows, a member outside 0..7. */
export function x87Problems(rows = X87) {
  const problems = [];
  const seen = new Map();
  for (const r of rows) {
    const key = `${r.op.toString(16)} /${r.reg} ${r.mod}`;
    if (seen.has(key)) problems.push(`${key} is in "${seen.get(key)}" and "${r.mn}"`);
    seen.set(key, r.mn);
    if (r.mod !== "m" && r.mod !== "r") problems.push(`${r.mn}: mod must be "m" or "r"`);
    if (r.rm && r.mod !== "r") problems.push(`${r.mn}: rm members need a register form`);
    if (!r.rm && typeof r.code !== "string") problems.push(`${r.mn}: no code`);
    for (const mm of r.rm ?? []) if (!(mm.rm >= 0 && mm.rm <= 7)) problems.push(`${r.mn}: rm ${mm.rm}`);
  }
  return problems;
}
