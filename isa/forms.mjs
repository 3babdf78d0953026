// Reads the instruction table's notation (isa/opcodes.mjs): what an
// encoding takes after its opcode. Shared by the generator and the tests.

/** The operand words of a mnemonic ("add Ev, Gv" -> ["Ev", "Gv"]). */
export function operands(mn) {
  return mn.split(/[\s,]+/).slice(1).filter(Boolean);
}

const MODRM_OPERAND = /^[EGMRSCD][a-z]*$/;

/** Whether the encoding has a ModRM byte. */
export function takesModrm(row) {
  return /^grp/.test(row.mn) || operands(row.mn).some((o) => MODRM_OPERAND.test(o));
}

/** Bytes of immediate after the ModRM bytes, for a row (and the group
 *  member its reg field selects), at an operand and address size. */
export function immediateBytes(row, member, opsize32, addr32) {
  const v = opsize32 ? 4 : 2;
  let n = 0;
  for (const o of [...operands(row.mn), ...(member ? operands(member.mn) : [])]) {
    switch (o) {
      case "Ib": case "Ibs": case "Jb": n += 1; break;
      case "Iw": n += 2; break;
      case "Iz": case "Iv": case "Jz": n += v; break;
      case "Ob": case "Ov": n += addr32 ? 4 : 2; break;
      case "Ap": n += v + 2; break;
      case "I": n += /\bEb\b/.test(row.mn) ? 1 : v; break; // a member's immediate has the row's width
      default: break;
    }
  }
  return n;
}

/** The group member for a reg field, or undefined (a group's undefined member is #UD). */
export function memberFor(row, reg) {
  return row.members?.find((m) => m.reg === reg);
}

/** Every problem with a map's rows: opcodes in two rows, bad properties. */
export function tableProblems(rows, name) {
  const problems = [];
  const seen = new Map();
  const FLAGS = /^(\*|\$cc|[OSZAPCDI]*)$/;
  const ENDS = ["branch", "jump", "call", "ret", "far", "int", "halt", "mode", "shadow"];
  for (const r of rows) {
    for (const op of r.ops) {
      if (!(op >= 0 && op <= 255)) problems.push(`${name}: ${r.mn}: opcode ${op} is not a byte`);
      if (seen.has(op)) problems.push(`${name}: opcode 0x${op.toString(16)} is in "${seen.get(op)}" and "${r.mn}"`);
      seen.set(op, r.mn);
    }
    for (const x of [r, ...(r.members ?? [])]) {
      for (const k of ["r", "w"]) if (x[k] !== undefined && !FLAGS.test(x[k])) problems.push(`${name}: ${x.mn}: bad ${k} "${x[k]}"`);
      if (x.lock !== undefined && x.lock !== "mem") problems.push(`${name}: ${x.mn}: lock must be "mem"`);
      if (x.ends !== undefined && !ENDS.includes(x.ends)) problems.push(`${name}: ${x.mn}: ends "${x.ends}" is not one of ${ENDS.join(", ")}`);
      if (x.lock && !takesModrm(r)) problems.push(`${name}: ${x.mn}: lockable without a memory operand`);
    }
    if (typeof r.code !== "string" || !r.code.trim()) problems.push(`${name}: ${r.mn}: no code`);
  }
  return problems;
}
