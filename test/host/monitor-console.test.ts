// The monitor's line editor on a raw terminal (host/node/monitor-console.ts):
// what is echoed and what line reaches the monitor for each kind of key.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { MonitorConsole, PROMPT } from "../../host/node/monitor-console.js";

function console_() {
  let screen = "";
  const ran: string[] = [];
  const c = new MonitorConsole((t) => { screen += t; }, (line) => { ran.push(line); return `ran ${line}\n`; });
  const type = (keys: string) => c.input(Uint8Array.from([...keys].map((k) => k.charCodeAt(0))));
  return { c, ran, type, screen: () => screen, clear: () => { screen = ""; } };
}

test("Enter runs the line; its output comes back with CR LF and a new prompt", () => {
  const t = console_();
  t.c.open(" (paused)");
  assert.ok(t.screen().endsWith(`(paused)\r\n${PROMPT}`));
  t.clear();
  t.type("info mem\r");
  assert.equal(t.ran, ["info mem"]);
  assert.is(t.screen(), `info mem\r\nran info mem\r\n${PROMPT}`);
  t.type("a\r\nb\n"); // CR LF is one Enter; LF alone is one too
  assert.equal(t.ran, ["info mem", "a", "b"]);
});

test("Backspace, Ctrl-U and Ctrl-C edit; control bytes and escape sequences type nothing", () => {
  const t = console_();
  t.type("info regs\x7f\x08gisters\r");
  t.type("junk\x15x/4x 0\r");
  t.type("dropped\x03");
  t.type("\x01\x00\x1b[1;5D\x1bOHhelp\x1b[3~\r");
  t.type("\x7f\x7f\r"); // Backspace on an empty line does nothing
  assert.equal(t.ran, ["info registers", "x/4x 0", "help", ""]);
  assert.match(t.screen(), /dropped\^C\r\n\(wasm386\) /);
});

test("the arrows walk back through earlier lines; a line past 1024 characters is cut", () => {
  const t = console_();
  t.type("first\r");
  t.type("second\r");
  t.type("\x1b[A\x1b[A\r"); // up twice: first
  t.type("\x1b[A\x1b[A\x1b[A\x1b[B\r"); // history first, second, first: up to the oldest, then down: second
  t.type("x".repeat(2000) + "\r");
  assert.equal(t.ran.slice(0, 4), ["first", "second", "first", "second"]);
  assert.is(t.ran[4].length, 1024);
  const c = console_();
  c.c.close();
  c.type("quit\r");
  assert.equal(c.ran, []);
});

test.run();
