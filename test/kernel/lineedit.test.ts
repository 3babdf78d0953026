// The shell's line editor (kernel/user/lib/lineedit.c), driven through the
// serial port with the bytes a terminal sends for each key. Most checks
// look at what the command that ran printed (echo shows the line it was
// given); the screen checks replay the shell's output through a model of
// an 80-column terminal (test/helpers/screen.ts) and compare what it shows
// with the line, for lines that wrap and are edited across the wrap.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wasmSession, lines, outputOf, type Step } from "../helpers/session.js";
import { screen, lineAtCursor } from "../helpers/screen.js";

const ESC = "\x1b";
const LEFT = `${ESC}[D`, RIGHT = `${ESC}[C`, UP = `${ESC}[A`, DOWN = `${ESC}[B`;
const PROMPT = "wasm386:/$ ";
const opts = { cmdline: "nomodules" };

/** The output of the command line that echoed as `shown` (what the
 *  editor wrote for it, escapes and all) at its nth prompt. */
const ran = (t: string, shown: string, nth = 0) => outputOf(t, shown, nth);

/** How a line typed at the end shows: the editor ends each row of 80
 *  columns (the prompt's included) with CR LF before the next character. */
const rows = (line: string) => line.replace(new RegExp(`(?<=^.{${80 - PROMPT.length}}(.{80})*)(?=.)`, "gs"), "\r\n");

/** Fails unless the output `out` of one command follows some prompt. */
function printed(t: string, out: string) {
  assert.ok(t.includes(`\r\n${out}\r\nwasm386:`), `no command printed ${JSON.stringify(out)} in:\n${JSON.stringify(t.slice(-3000))}`);
}

let keys = "";
test.before(async () => {
  const steps: Step[] = [
    { send: "ech\t hi\r" },                                 // Tab completes a command
    { send: `echo abc${LEFT}${LEFT}X\r` },                   // Left Left, then insert
    { send: `echo abc${ESC}OD${ESC}ODY\r` },                 // the arrows as ESC O D
    { send: `${UP}${LEFT}${LEFT}${LEFT}${RIGHT}Z\r` },       // Up recalls the last line
    { send: `cho 12${ESC}[He${ESC}[F3\r` },                  // Home/End as ESC [ H / F
    { send: `cho 45${ESC}[1~e${ESC}[4~6\r` },                // ... as ESC [ 1~ / 4~
    { send: "cho 78\x01e\x059\r" },                          // ... as Ctrl-A / Ctrl-E
    { send: `echo abXc${LEFT}${LEFT}${ESC}[3~\r` },          // Delete
    { send: "echo abc\x7f\x08d\r" },                         // Backspace as 0x7f and 0x08
    { send: "junk junk\x15echo after kill\r" },              // Ctrl-U at the end
    { send: "XXXecho mid\x01" + RIGHT.repeat(3) + "\x15\r" }, // Ctrl-U in the middle
    { send: "echo keep cut" + LEFT.repeat(4) + "\x0b\r" },   // Ctrl-K
    { send: "echo one two\x17three\r" },                     // Ctrl-W
    { send: "echo never\x03" },                              // Ctrl-C abandons the line
    { send: `echo wxyz${LEFT}\x04\r` },                      // Ctrl-D on a line deletes
    { send: `echo a${ESC}[15~b${ESC}[1;5Pc${ESC}xd${ESC}[200~e${ESC}[?1;2cf\r` }, // unknown sequences
    { send: `echo g${ESC}\r` },                              // a lone ESC does not eat the Enter
    { send: "echo cleared\x0c" }, { send: "\r", afterMs: 50 }, // Ctrl-L
    { send: "cat /etc/hostn\t\r" },                          // a path, to a unique file
    { send: "ls /et\t\r" },                                  // a directory gets a '/'
    { send: "expo\tCOMPLETED=yes\r" },                       // builtins complete too
    { send: "echo $COMPLETED | w\t\r" },                     // a command after '|'
    { send: "cat /etc/mo\t" }, { send: "\t", afterMs: 50 }, { send: "td\t\r", afterMs: 50 }, // two Tabs list
    { send: "zzz\t\r" },                                     // nothing to complete: the bell
    { send: "echo spaced > '/tmp/sp ace'\r" }, { send: "cat /tmp/sp\t\r" }, // names are escaped
    { send: "echo redirected > /tmp/sp\t\r" },                // ... after a redirection too
    { send: "cat < /tmp/sp\t\r" },
    { send: "sh\r" }, { send: "\x04" },                       // Ctrl-D on an empty line ends sh
    { send: "poweroff\r" },
  ];
  ({ serial: keys } = await wasmSession(steps, opts));
});

test("Tab completes a command's name (`ech` Tab ` hi` runs echo hi)", () => {
  assert.is(ran(keys, "echo  hi"), "hi\r\n");
});

test("Left moves the cursor and typing inserts there (echo abc, Left Left, X: aXbc)", () => {
  printed(keys, "aXbc");
  printed(keys, "aYbc"); // ESC O D, as some terminals send it
});

test("Up recalls the last line, which can then be edited", () => {
  printed(keys, "aYZbc");
});

test("Home and End, in all three spellings", () => {
  printed(keys, "123");
  printed(keys, "456");
  printed(keys, "789");
});

test("Delete and both Backspaces", () => {
  printed(keys, "abc");
  assert.ok(keys.includes("\r\nad\r\nwasm386:"), "0x7f and 0x08 each erased one");
});

test("Ctrl-U erases to the start, Ctrl-K to the end, Ctrl-W a word", () => {
  printed(keys, "after kill");
  printed(keys, "mid");
  printed(keys, "keep");
  printed(keys, "one three");
});

test("Ctrl-C abandons the line for a new prompt; Ctrl-D on a line deletes under the cursor", () => {
  assert.match(keys, /\$ echo never\^C\r\nwasm386:\/\$ /);
  assert.not.ok(keys.includes("\r\nnever\r\n"), "the abandoned line was not run");
  printed(keys, "wxy");
});

test("unknown escape sequences are swallowed whole; a lone ESC is dropped", () => {
  printed(keys, "abcdef");
  printed(keys, "g");
});

test("Ctrl-L clears the screen and draws the prompt and the line again", () => {
  assert.ok(keys.includes(`echo cleared${ESC}[H${ESC}[2J${PROMPT}echo cleared\r\ncleared\r\n`));
});

test("Tab completes paths: a unique file with a blank, a directory with '/'", () => {
  assert.is(ran(keys, "cat /etc/hostname "), "wasm386\r\n");
  assert.is(ran(keys, "ls /etc/"), "group\r\nhostname\r\nmodules\r\nmotd\r\npasswd\r\n");
  assert.is(ran(keys, "export COMPLETED=yes"), "");
  assert.is(ran(keys, "echo $COMPLETED | wc "), "      1       1       4\r\n");
});

test("with several candidates, Tab completes what they share and a second Tab lists them", () => {
  // /etc/modules and /etc/motd share "mo": the bell, then the list, then
  // the prompt and the line as they were; "td" Tab finishes motd.
  assert.ok(keys.includes(`$ cat /etc/mo\x07\r\nmodules  motd\r\n${PROMPT}cat /etc/motd \r\n`));
});

test("no candidate: the bell, and nothing is inserted", () => {
  assert.ok(keys.includes(`$ zzz\x07\r\nsh: zzz: command not found\r\n`));
});

test("completed names are escaped as sh reads them back", () => {
  assert.is(ran(keys, "cat /tmp/sp\\ ace "), "spaced\r\n");
  assert.is(ran(keys, "cat < /tmp/sp\\ ace "), "redirected\r\n");
});

test("Ctrl-D on an empty line ends the shell", () => {
  assert.match(keys, /\$ sh\r\nwasm386:\/\$ exit\r\nwasm386:\/\$ poweroff\r\n/);
});

test("history: distinct lines, edits of a recalled line leave it alone, Down comes back to the new line", async () => {
  const steps: Step[] = [
    ...lines("echo h1", "echo h2", "echo h1"), // h1 again: one entry, now the newest
    // A new line, then Up (h1), Up (h2), edit it to hX, Down (h1), Up: h2
    // as it was; Down, Down: the new line as typed.
    { send: `echo draft${UP}${UP}\x7fX${DOWN}${UP}${DOWN}${DOWN}\r` },
    { send: `${UP}${UP}${UP}\r` },  // draft, h1, h2: runs echo h2
    { send: `${UP}${UP}${UP}${UP}\r` }, // h2, draft, h1, and no further: runs echo h1
    ...Array.from({ length: 40 }, (_, i) => `export H=${i + 1}\r`).map((send) => ({ send })),
    { send: `${UP.repeat(45)}\r` },    // back as far as it goes: the oldest of 32
    ...lines("echo H=$H", "poweroff"),
  ];
  const { serial } = await wasmSession(steps, opts);
  printed(serial, "draft");
  assert.not.ok(serial.includes("\r\nhX\r\n"), "the edit was not kept");
  const runs = (out: string) => serial.split(`\r\n${out}\r\nwasm386:`).length - 1;
  assert.is(runs("h2"), 2, "h2: typed, then recalled as it was before the edit");
  assert.is(runs("h1"), 3, "h1: typed twice, then the oldest line Up reaches");
  // 40 distinct lines were typed after the echo lines; 32 are kept, the
  // oldest of them H=9 (40 - 32 + 1).
  assert.ok(serial.includes("\r\nH=9\r\nwasm386:"), "Up stops at the oldest of the last 32");
});

test("a pasted line of 1,500 and of 4,095 bytes runs whole; a longer one is refused with a message", async () => {
  // Each line prints its first and its last part: nothing in between was
  // cut (echo itself prints at most 1,022 bytes).
  const line = (n: number) => {
    const head = `echo ${"A".repeat(1000)};`, tail = "echo end";
    return head + " ".repeat(n - head.length - tail.length) + tail;
  };
  const l1500 = line(1500), l4095 = line(4095), l4096 = line(4096).replace("end", "bad");
  assert.is(l4095.length, 4095);
  const { serial } = await wasmSession([...lines("echo before"), { send: `${l1500}\r` }, { send: `${l4095}\r` },
    { send: `${l4096}\r` }, { send: `echo overflow${"B".repeat(5000)}\r` }, ...lines("echo after", "poweroff")], opts);
  assert.is(ran(serial, rows(l1500)), `${"A".repeat(1000)}\r\nend\r\n`);
  assert.is(ran(serial, rows(l4095)), `${"A".repeat(1000)}\r\nend\r\n`);
  assert.ok(serial.includes(`$ ${rows(l4096.slice(0, 4095))}\x07\r\nsh: line too long (more than 4095 bytes): not run\r\nwasm386:`));
  assert.not.ok(serial.includes("\r\nbad\r\n"));
  assert.match(serial, /B\x07\r\nsh: line too long \(more than 4095 bytes\): not run\r\nwasm386:\/\$ echo after\r\nafter\r\n/);
});

test("without a terminal nothing changes: sh FILE, sh -c and a pipe give no prompt or echo; long lines run whole", async () => {
  const long = `echo ${"D".repeat(1000)}`;
  const { serial } = await wasmSession([
    ...lines("echo 'echo piped' | sh", "sh -c 'echo dash c'", `echo ${long} > /tmp/l.sh`, "sh /tmp/l.sh; echo $?"),
    // 5,000 bytes and a newline (echo prints at most 1,022 at once)
    ...lines(`echo -n ${"E".repeat(1000)} > /tmp/p`, "cat /tmp/p /tmp/p /tmp/p /tmp/p /tmp/p > /tmp/m.sh"),
    ...lines("echo >> /tmp/m.sh", "echo echo next >> /tmp/m.sh"),
    ...lines("sh /tmp/m.sh; echo $?", "poweroff"),
  ], opts);
  assert.is(ran(serial, "echo 'echo piped' | sh"), "piped\r\n");
  assert.is(ran(serial, "sh -c 'echo dash c'"), "dash c\r\n");
  assert.is(ran(serial, "sh /tmp/l.sh; echo $?"), `${"D".repeat(1000)}\r\n0\r\n`);
  // a line of 5,000 bytes: refused, and the next line runs
  assert.is(ran(serial, "sh /tmp/m.sh; echo $?"), "sh: line too long (more than 4095 bytes): not run\r\nnext\r\n0\r\n");
});

/** The screen when a step is about to be typed, and what must be on it. */
interface Look { at: string; line: string; cursor: number }

test("lines that wrap: the screen shows the line and the cursor where the model has them, on 80 columns and wider", async () => {
  const looks: Look[] = [];
  // Types `keys`, then looks at the screen (expecting `line`, the cursor
  // after `cursor` of its characters), then types `then`.
  const look = (keys: string, line: string, cursor: number, then: string): Step[] => [
    { send: keys },
    { send: (t) => { looks.push({ at: t, line, cursor }); return then; }, afterMs: 100 },
  ];
  const digits = "0123456789".repeat(19); // 190: the line wraps twice
  const long = `echo ${digits}`;
  const at69 = `echo ${"x".repeat(64)}`; // with the prompt, exactly 80 columns
  const edited = `${long.slice(0, 95)}-${long.slice(95)}`;
  const steps: Step[] = [
    // Left 100 times (across a wrap), insert '-'
    ...look(`${long}${LEFT.repeat(100)}-`, edited, 96, "\r"),
    // Home and in again across both wraps; End
    ...look(`${UP}${ESC}[H${RIGHT.repeat(170)}+`, `${edited.slice(0, 170)}+${edited.slice(170)}`, 171, `${ESC}[F\r`),
    // the 80th column: the cursor waits there, Backspace erases that column
    ...look(`${at69}\x7f`, at69.slice(0, -1), at69.length - 1, "\x15\r"),
    ...look(`${at69}yz${LEFT.repeat(3)}Q`, `${at69.slice(0, -1)}Q${at69.slice(-1)}yz`, at69.length, "\x15\r"),
    ...look(`${at69}${LEFT}${RIGHT}q`, `${at69}q`, at69.length + 1, "\x15\r"),
    // Up from a short line to the long one and Down again: no rows left over
    ...lines("echo short"),
    ...look(`${UP}${UP}${UP}${DOWN}${DOWN}`, "echo short", 10, "\x15\r"),
    // Ctrl-U, Ctrl-W and Ctrl-K across the wraps
    ...look(`${long}${LEFT.repeat(50)}\x15`, digits.slice(-50), 0, "\x15\r"),
    ...look(`${long} tail\x17`, `${long} `, long.length + 1, "\x15\r"),
    ...look(`${long}${ESC}[H${RIGHT.repeat(30)}\x0b`, long.slice(0, 30), 30, "\x15\r"),
    // Ctrl-L with the cursor in a wrapped line's middle
    ...look(`${long}${LEFT.repeat(120)}\x0c`, long, long.length - 120, "\x15\r"),
    ...lines("poweroff"),
  ];
  const { serial } = await wasmSession(steps, opts);
  assert.is(looks.length, 10, "every look was taken");
  // On the tty's 80 columns, and on a wider terminal (the page's is 100):
  // the same rows of 80.
  for (const { at, line, cursor } of looks) for (const cols of [80, 100]) {
    const s = screen(at.slice(at.indexOf(PROMPT)), cols);
    assert.is(lineAtCursor(s, "wasm386:", 80), (PROMPT + line).trimEnd(), `${cols} columns: the screen shows the line (a trailing blank is not seen)`);
    let top = s.y;
    while (!s.rows[top].startsWith("wasm386:")) top--;
    const where = (s.y - top) * 80 + s.x + (s.pending ? 1 : 0);
    assert.is(where, PROMPT.length + cursor, `${cols} columns: the cursor is after ${cursor} characters of the line`);
  }
  printed(serial, `${edited.slice(5, 170)}+${edited.slice(170)}`);
});

test.run();
