// What a terminal shows after a stream of output: a small model of an
// xterm-like screen for the tests of the shell's line editor, enough for
// the bytes that editor writes (text, CR, LF, BS, TAB, BEL, cursor moves,
// erases). The last column keeps the cursor with the wrap pending until
// the next character, as xterm and the VT100 do; any other control or
// escape sequence throws, so stray bytes cannot pass unseen.

export interface Screen {
  /** The rows, trailing blanks removed. */
  rows: string[];
  /** The cursor's column and row. */
  x: number;
  y: number;
  /** The cursor is in the last column with the wrap pending: the next
   *  character goes to the next row's start. */
  pending: boolean;
}

export function screen(output: string, cols = 80, height = 24): Screen {
  const blank = () => Array<string>(cols).fill(" ");
  const grid = Array.from({ length: height }, blank);
  let x = 0, y = 0, pending = false;
  const down = () => {
    if (y < height - 1) y++;
    else { grid.shift(); grid.push(blank()); }
  };
  const clear = (row: number, from: number) => { for (let i = from; i < cols; i++) grid[row][i] = " "; };
  for (let i = 0; i < output.length; i++) {
    const c = output[i];
    if (c === "\x1b") {
      const m = /^\x1b\[(\d*)([ABCDHJK])/.exec(output.slice(i, i + 12));
      if (!m) throw new Error(`unexpected escape sequence at ${i}: ${JSON.stringify(output.slice(i, i + 12))}`);
      const n = m[1] === "" ? 1 : Number(m[1]);
      i += m[0].length - 1;
      pending = false;
      switch (m[2]) {
        case "A": y = Math.max(0, y - n); break;
        case "B": y = Math.min(height - 1, y + n); break;
        case "C": x = Math.min(cols - 1, x + n); break;
        case "D": x = Math.max(0, x - n); break;
        case "H": x = y = 0; break;
        case "J":
          if (m[1] === "2") grid.forEach((_, r) => clear(r, 0));
          else if (m[1] === "") { clear(y, x); for (let r = y + 1; r < height; r++) clear(r, 0); }
          else throw new Error(`unexpected ESC[${m[1]}J`);
          break;
        case "K": clear(y, x); break;
      }
      continue;
    }
    const code = c.charCodeAt(0);
    if (c === "\r") { x = 0; pending = false; }
    else if (c === "\n") { down(); pending = false; }
    else if (c === "\b") { x = Math.max(0, x - 1); pending = false; }
    else if (c === "\t") { x = Math.min(cols - 1, (x + 8) & ~7); pending = false; }
    else if (c === "\x07") { /* the bell */ }
    else if (code < 32 || code === 127) throw new Error(`unexpected control character ${code} at ${i}`);
    else {
      if (pending) { x = 0; down(); pending = false; }
      grid[y][x] = c;
      if (x === cols - 1) pending = true;
      else x++;
    }
  }
  return { rows: grid.map((r) => r.join("").trimEnd()), x, y, pending };
}

/** The logical line that ends on the cursor's row or below it, from its
 *  first row (the last one starting with the prompt), wrapped rows joined. */
export function lineAtCursor(s: Screen, prompt = "wasm386:", cols = 80): string {
  let top = s.y;
  while (top > 0 && !s.rows[top].startsWith(prompt)) top--;
  let bottom = s.y;
  while (bottom + 1 < s.rows.length && s.rows[bottom + 1] !== "") bottom++;
  return s.rows.slice(top, bottom + 1).map((r, i, all) => (i < all.length - 1 ? r.padEnd(cols) : r)).join("");
}
