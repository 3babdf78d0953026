// The serial console on a terminal: raw mode when stdin is a TTY, and the
// QEMU-style escapes: Ctrl-A x quits, Ctrl-A h lists the escapes, Ctrl-A c
// switches to the monitor and back, Ctrl-A s saves the machine's state now,
// Ctrl-A Ctrl-A sends one Ctrl-A. What the other keys mean is the caller's.
import type { ReadStream } from "node:tty";

const CTRL_A = 0x01;

export interface Terminal {
  write(bytes: Uint8Array): void;
  onInput(fn: (bytes: Uint8Array) => void): void;
  onQuit(fn: () => void): void;
  /** Ctrl-A followed by a key that is not x or Ctrl-A (h, c, s, ...). */
  onEscape(fn: (key: string) => void): void;
  close(): void;
}

export function attachTerminal(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Terminal {
  const tty = (input as ReadStream).isTTY === true;
  const early: Uint8Array[] = []; // typed before onInput is set
  let inputFn: (b: Uint8Array) => void = (b) => { early.push(b); };
  let quitFn: () => void = () => {};
  let escapeFn: (key: string) => void = () => {};
  let escape = false;
  let closed = false;
  // Input that arrives before the machine exists, or while its ring is full.
  const onData = (chunk: Buffer) => {
    const out: number[] = [];
    for (const b of chunk) {
      if (escape) {
        escape = false;
        if (b === 0x78 /* x */) { quitFn(); return; }
        if (b === CTRL_A) out.push(CTRL_A);
        else escapeFn(String.fromCharCode(b));
        continue;
      }
      if (tty && b === CTRL_A) { escape = true; continue; }
      out.push(b);
    }
    if (out.length) inputFn(Uint8Array.from(out));
  };
  if (tty) (input as ReadStream).setRawMode(true);
  input.on("data", onData);
  input.resume();
  return {
    write: (b) => { output.write(b); },
    onInput: (fn) => {
      inputFn = fn;
      for (const b of early.splice(0)) fn(b);
    },
    onQuit: (fn) => { quitFn = fn; },
    onEscape: (fn) => { escapeFn = fn; },
    close: () => {
      if (closed) return;
      closed = true;
      input.off("data", onData);
      if (tty) (input as ReadStream).setRawMode(false);
      input.pause();
    },
  };
}
