// The runnable examples of a Markdown document: each ```js block, with the
// ```text block right after it (introduced by "It prints") as what it must
// print. Examples are complete ES modules run with plain node.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

export interface Example { line: number; code: string; prints?: string[] }

export function examplesOf(markdown: string): Example[] {
  const out: Example[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
  let last: Example | undefined;
  let lastEnd = 0;
  for (let m; (m = fence.exec(markdown));) {
    const line = markdown.slice(0, m.index).split("\n").length;
    const between = markdown.slice(lastEnd, m.index);
    if (m[1].trim() === "js") out.push((last = { line, code: m[2] }));
    else if (m[1].trim() === "text" && last && !last.prints && /It prints/.test(between))
      last.prints = m[2].replace(/\n$/, "").split("\n");
    else last = undefined;
    lastEnd = m.index + m[0].length;
  }
  return out;
}

/** Runs an example as dir/NAME.mjs with plain node: its status and output. */
export function runExample(ex: Example, dir: string, name: string, deadlineMs = 60_000)
  : Promise<{ status: number | null; stdout: string; stderr: string }> {
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${name}.mjs`);
  writeFileSync(file, ex.code);
  const child = spawn(process.execPath, [file], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "", stderr = "";
  child.stdout.on("data", (d) => { stdout += d; });
  child.stderr.on("data", (d) => { stderr += d; });
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
    child.on("close", (status) => { clearTimeout(t); resolve({ status, stdout, stderr }); });
  });
}

/** The lines of want that are not found in got's lines in that order. */
export function missingLines(got: string, want: string[]): string[] {
  const lines = got.split("\n").map((l) => l.replace(/\r$/, ""));
  const missing: string[] = [];
  let at = 0;
  for (const w of want) {
    const i = lines.indexOf(w, at);
    if (i < 0) missing.push(w);
    else at = i + 1;
  }
  return missing;
}
