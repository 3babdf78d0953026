// The shell's help names every program in /bin (init and sh aside), so a
// new tool cannot be left out of it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wasmSession, lines, outputOf } from "../helpers/session.js";

test("help mentions every program in /bin", async () => {
  const { serial } = await wasmSession(lines("help", "ls /bin", "poweroff"), { cmdline: "nomodules" });
  const help = outputOf(serial, "help");
  const programs = outputOf(serial, "ls /bin").split(/\r\n/).filter(Boolean);
  assert.ok(programs.length > 40, `${programs.length} programs`);
  const words = new Set(help.split(/[^A-Za-z0-9_]+/));
  const missing = programs.filter((p) => !["init", "sh"].includes(p) && !words.has(p));
  assert.equal(missing, [], `help does not name: ${missing.join(" ")}`);
});

test.run();
