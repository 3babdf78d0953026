// The monitor on the terminal (Ctrl-A c), as QEMU's `(qemu) ` prompt: a
// line editor over raw-mode input (echo, Backspace, Ctrl-U, Ctrl-C, the
// up and down arrows for earlier lines), each line run by the monitor and
// its output written back with the terminal's line ends.

export const PROMPT = "(wasm386) ";
/** Longer lines are not kept: a paste cannot grow the buffer. */
const MAX_LINE = 1024;
const MAX_HISTORY = 100;

export class MonitorConsole {
  private line = "";
  private history: string[] = [];
  private back = 0; // how far up the history the line came from (0: a new line)
  private esc: "" | "esc" | "csi" = "";
  private csi = "";
  private lastCR = false;
  private closed = false;

  constructor(private readonly write: (text: string) => void, private readonly run: (line: string) => string) {}

  /** The monitor takes the terminal: a greeting and the prompt. */
  open(note: string): void {
    this.line = "";
    this.back = 0;
    this.write(`\r\nwasm386 monitor - type 'help' for the commands, Ctrl-A c to return to the console${note}\r\n${PROMPT}`);
  }

  input(bytes: Uint8Array): void {
    for (const b of bytes) if (!this.closed) this.key(b);
  }

  /** The emulator is ending (quit): no more prompts. */
  close(): void { this.closed = true; }

  private key(b: number): void {
    const afterCR = this.lastCR;
    this.lastCR = b === 0x0d;
    if (this.esc) return this.escape(b);
    if (b === 0x1b) { this.esc = "esc"; return; }
    if (b === 0x0d || b === 0x0a) {
      if (b === 0x0a && afterCR) return; // CR LF is one Enter
      return this.enter();
    }
    if (b === 0x7f || b === 0x08) {
      if (!this.line) return;
      this.line = this.line.slice(0, -1);
      return this.write("\b \b");
    }
    if (b === 0x15) return this.replace(""); // Ctrl-U
    if (b === 0x03) { // Ctrl-C: the line is dropped
      this.line = "";
      this.back = 0;
      return this.write(`^C\r\n${PROMPT}`);
    }
    if (b < 0x20 || b > 0x7e || this.line.length >= MAX_LINE) return;
    this.line += String.fromCharCode(b);
    this.write(String.fromCharCode(b));
  }

  /** ESC [ A and ESC [ B walk the history; other sequences are dropped whole. */
  private escape(b: number): void {
    if (this.esc === "esc") {
      if (b === 0x5b || b === 0x4f) { this.esc = "csi"; this.csi = ""; } else this.esc = "";
      return;
    }
    if (b < 0x40 || b > 0x7e) { if (this.csi.length < 16) this.csi += String.fromCharCode(b); return; }
    this.esc = "";
    if (this.csi) return;
    if (b === 0x41 && this.back < this.history.length) { this.back++; this.replace(this.history[this.history.length - this.back]); }
    if (b === 0x42 && this.back > 0) { this.back--; this.replace(this.back ? this.history[this.history.length - this.back] : ""); }
  }

  private replace(text: string): void {
    this.write("\b \b".repeat(this.line.length) + text);
    this.line = text;
  }

  private enter(): void {
    const line = this.line;
    this.line = "";
    this.back = 0;
    this.write("\r\n");
    if (line.trim() && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > MAX_HISTORY) this.history.shift();
    }
    const out = this.run(line).replace(/\n/g, "\r\n");
    this.write(this.closed ? out : out + PROMPT);
  }
}
