// The page's terminal and newer controls in real Chromium: the bundled
// font draws every glyph at a device pixel ratio of 1 (the underscore
// vanished with Debian's own monospace font), the terminal fits the window
// and follows it, a guest program can ask its size, the README opens as a
// page in a tab of its own, and the memory control reboots the guest with
// the size chosen.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { root } from "../helpers/machine.js";
import { CHROMIUM, haveChromium, servePage, waitForScreen, type Served } from "../helpers/browser.js";
import { decodePng } from "../helpers/png.js";

if (!haveChromium) console.log(`skipping: the browser tests need Debian's chromium at ${CHROMIUM}`);
const webTest = haveChromium ? test : test.skip;

let served: Served;
let page: Page;
const PROMPT = /wasm386:\/\$ $/m;

test.before(async () => {
  if (!haveChromium) return;
  served = await servePage();
  page = await served.browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(served.base);
  await waitForScreen(page, PROMPT);
});

test.after(async () => {
  await served?.close();
});

type TermLike = { cols: number; rows: number; write(s: string): void };
const termSize = (p: Page) => p.evaluate(() => {
  const t = (window as unknown as { wasm386Terminal: TermLike }).wasm386Terminal;
  return { cols: t.cols, rows: t.rows };
});

/** Runs a command and waits for its output and the next prompt. */
async function run(p: Page, command: string, output: RegExp, ms?: number): Promise<string> {
  await p.click("#terminal");
  await p.keyboard.type(`${command}\n`);
  const escaped = command.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return waitForScreen(p, new RegExp(`(?:^|\\$ )${escaped}\\n${output.source}`, "m"), ms);
}

webTest("underscores draw at a device pixel ratio of 1", async () => {
  await run(page, "echo ___", /___\n/);
  // The renderer draws on its next frame, which may come after the buffer has the text.
  await page.waitForFunction(() => Array.from(document.querySelectorAll(".xterm-rows > div")).some((r) => r.textContent?.trimEnd() === "___"),
    undefined, { timeout: 10_000 });
  // The row the guest's output is on (not the echoed command line), as xterm's DOM renderer lays it out.
  const box = await page.evaluate(() => {
    const rows = Array.from(document.querySelectorAll<HTMLElement>(".xterm-rows > div"));
    const row = rows.find((r) => r.textContent?.trimEnd() === "___");
    if (!row) return undefined;
    const r = row.getBoundingClientRect();
    const t = (window as unknown as { wasm386Terminal: { cols: number } }).wasm386Terminal;
    return { x: r.x, y: r.y, width: (r.width / t.cols) * 3, height: r.height };
  });
  assert.ok(box, "a terminal row shows ___");
  const shot = decodePng(await page.screenshot({ clip: box! }));
  // Underscores are one unbroken line across the three cells: some pixel
  // row of the clip is lit (on the black background) most of the way.
  let longest = 0;
  for (let y = 0; y < shot.height; y++) {
    let lit = 0;
    for (let x = 0; x < shot.width; x++) if (shot.rgba[(y * shot.width + x) * 4] > 100) lit++;
    longest = Math.max(longest, lit);
  }
  assert.ok(longest >= shot.width * 0.7, `the most lit pixel row has ${longest} of ${shot.width} pixels`);
  const family = await page.$eval(".xterm-rows", (e) => getComputedStyle(e).fontFamily);
  assert.match(family, /^"JetBrains Mono"/);
  assert.ok(await page.evaluate(() => document.fonts.check('14px "JetBrains Mono"', "a_b")), "the bundled font has loaded");
});

webTest("the terminal fits a narrow window, and follows it when the window widens", async () => {
  const p = await served.browser.newPage({ viewport: { width: 500, height: 700 }, deviceScaleFactor: 1 });
  await p.goto(served.base);
  await waitForScreen(p, PROMPT);
  const narrow = await termSize(p);
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.is(overflow, 0, "no horizontal scrolling");
  const inside = await p.evaluate(() => {
    const box = document.getElementById("terminal")!.getBoundingClientRect();
    const xterm = document.querySelector(".xterm-screen")!.getBoundingClientRect();
    return xterm.right <= box.right && xterm.left >= box.left;
  });
  assert.ok(inside, "the terminal's screen lies inside its box");
  assert.ok(narrow.cols >= 40 && narrow.cols < 100, `${narrow.cols} columns at 500 px`);
  mkdirSync(`${root}test-artifacts`, { recursive: true });
  await p.screenshot({ path: `${root}test-artifacts/web-narrow.png`, fullPage: true });
  await p.setViewportSize({ width: 1400, height: 1000 });
  await p.waitForFunction((c) => (window as unknown as { wasm386Terminal: TermLike }).wasm386Terminal.cols > c, narrow.cols, { timeout: 5_000 });
  const wide = await termSize(p);
  assert.ok(wide.cols >= 120, `${wide.cols} columns at 1400 px`);
  assert.ok(wide.rows > narrow.rows, `${wide.rows} rows at 1000 px high, ${narrow.rows} at 700`);
  // The guest's output wraps at the new width: a line longer than the old one stays on one row.
  const long = "x".repeat(narrow.cols + 10);
  const s = await run(p, `echo ${long}`, new RegExp(`${long}\\n`));
  assert.ok(s.includes(`\n${long}\n`));
  await p.close();
});

webTest("a guest program can ask the terminal's size (CSI 18 t)", async () => {
  const { cols, rows } = await termSize(page);
  await page.click("#terminal");
  // As xterm's resize(1) asks: the answer comes back as input. cat reads it
  // through the canonical tty, which echoes it (ESC as ^[); the shell's own
  // line editor would take it as a key sequence.
  await page.keyboard.type("cat\n");
  await waitForScreen(page, /\$ cat\n$/m, 5_000);
  await page.evaluate(() => (window as unknown as { wasm386Terminal: TermLike }).wasm386Terminal.write("\x1b[18t"));
  const s = await waitForScreen(page, /\^\[\[8;\d+;\d+t$/m, 5_000);
  const [, r, c] = /\^\[\[8;(\d+);(\d+)t$/m.exec(s)!;
  assert.equal([Number(r), Number(c)], [rows, cols]);
  await page.keyboard.press("Control+C"); // ends cat; the shell prompts again
  await waitForScreen(page, /t\^C\n.*\$ $/m, 5_000);
});

webTest("the README link opens the README as a page in a new tab; the machine runs on", async () => {
  const link = await page.$eval("#readme-link", (a) => ({ target: a.getAttribute("target"), rel: a.getAttribute("rel"), href: (a as HTMLAnchorElement).href }));
  assert.is(link.target, "_blank");
  assert.match(link.rel ?? "", /noopener/);
  const [tab] = await Promise.all([page.context().waitForEvent("page"), page.click("#readme-link")]);
  await tab.waitForLoadState();
  assert.match(tab.url(), /README\.html#booting-your-own-kernel$/);
  const headings = readFileSync(`${root}README.md`, "utf8").split("\n").filter((l) => l.startsWith("## "))
    .map((l) => l.slice(3).replace(/`/g, ""));
  assert.ok(headings.length >= 5, "README.md has sections");
  const h2 = await tab.$$eval("h2", (hs) => hs.map((h) => h.textContent));
  assert.equal(h2, headings);
  const target = await tab.$eval("#booting-your-own-kernel", (e) => e.tagName);
  assert.is(target, "H2", "the link's anchor is its section's heading");
  assert.ok(await tab.$("table"), "the README's tables are tables");
  await tab.close();
  assert.is(page.url(), served.base, "the machine's page stayed where it was");
  await run(page, "echo still here", /still here\n/);
});

webTest("the memory control shows the size and reboots the guest with the one chosen", async () => {
  assert.is(await page.inputValue("#memory"), "128");
  const choices = await page.$$eval("#memory option", (os) => os.map((o) => Number((o as HTMLOptionElement).value)));
  assert.ok(choices[0] === 16 && choices.at(-1) === 1024, `choices ${choices}`);
  await page.selectOption("#memory", "64");
  await waitForScreen(page, /^memory: 64 MiB$/m);
  await waitForScreen(page, PROMPT);
  const s = await run(page, "cat /proc/meminfo", /MemTotal: +\d+ kB\n/);
  const total = Number(/MemTotal: +(\d+) kB/.exec(s)![1]);
  // The kernel keeps its image and page tables back from what it reports.
  assert.ok(total > 56 * 1024 && total <= 64 * 1024, `MemTotal ${total} kB`);
  assert.match(page.url(), /[?&]mem=64$/, "the address keeps the size");
  await page.click("#reset");
  await waitForScreen(page, /^memory: 64 MiB$/m);
  await page.reload();
  await waitForScreen(page, /^memory: 64 MiB$/m);
  assert.is(await page.inputValue("#memory"), "64");
});

webTest("the memory control reaches 1024 MiB, and ?mem= sizes outside the list show too", async () => {
  await waitForScreen(page, PROMPT);
  await page.selectOption("#memory", "1024");
  await waitForScreen(page, /^memory: 1024 MiB$/m);
  await waitForScreen(page, PROMPT);
  const s = await run(page, "cat /proc/meminfo", /MemTotal: +\d+ kB\n/);
  const total = Number(/MemTotal: +(\d+) kB/.exec(s)![1]);
  // The kernel maps (and so uses) physical memory up to 896 MiB only (PHYSTOP_MAX).
  assert.ok(total > 860 * 1024 && total <= 896 * 1024, `MemTotal ${total} kB`);
  await page.goto(`${served.base}?mem=24`);
  await waitForScreen(page, /^memory: 24 MiB$/m);
  assert.is(await page.inputValue("#memory"), "24");
  await page.goto(`${served.base}?mem=lots`);
  await page.waitForSelector("#error:not([hidden])", { timeout: 10_000 });
  assert.match((await page.textContent("#error")) ?? "", /memory size must be a whole number of MiB/);
});

test.run();
