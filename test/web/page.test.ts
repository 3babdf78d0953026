// The page in real Chromium (Debian's, driven by playwright-core): it boots
// the teaching kernel to the shell prompt in an xterm.js terminal, typed
// commands show their output, and a bad kernel file shows the loader's
// error. A screenshot of the session is kept in test-artifacts/.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { root } from "../helpers/machine.js";
import { busyPort, runNode } from "../helpers/process.js";
import { CHROMIUM, haveChromium, servePage, waitForScreen as waitFor, type Served } from "../helpers/browser.js";

if (!haveChromium) console.log(`skipping: the browser tests need Debian's chromium at ${CHROMIUM}`);
const webTest = haveChromium ? test : test.skip;

let served: Served | undefined;
let browser: Browser | undefined;
let page: Page;
let base = "";
let out = "";

test.before(async () => {
  if (!haveChromium) return;
  served = await servePage();
  ({ browser, base, out } = served);
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
});

test.after(async () => {
  await served?.close();
});

const waitForScreen = (pattern: RegExp, ms?: number) => waitFor(page, pattern, ms);

webTest("the page boots the teaching kernel to the shell prompt", async () => {
  await page.goto(base);
  const s = await waitForScreen(/wasm386:\/\$ $/m);
  assert.match(s, /wasm386 teaching kernel 0\.1/);
  assert.match(s, /init: \/dev\/hda mounted on \/mnt/);
  assert.match(s, /memory: 128 MiB/, "the page's guest has the CLI's memory size");
});

webTest("typed commands show their output in the terminal", async () => {
  await page.click("#terminal");
  await page.keyboard.type("uname -a\n");
  await waitForScreen(/wasm386 wasm386 0\.1 #1 teaching kernel i686/);
  await page.keyboard.type("ls /\n");
  const s = await waitForScreen(/\$ ls \/\nbin\ndev\netc\nhost\ninit\nlib\nmnt\nproc\ntmp\n/);
  assert.ok(s.includes("bin"));
  const stats = await page.textContent("#stats");
  assert.match(stats ?? "", /MIPS .* uptime \d+\.\d s/);
  mkdirSync(join(root, "test-artifacts"), { recursive: true });
  await page.screenshot({ path: join(root, "test-artifacts", "web-shell.png") });
});

webTest("the JIT runs in the browser: a busy program gets its hot blocks compiled", async () => {
  const compiled = async () => Number(/(\d+) blocks compiled/.exec((await page.textContent("#stats")) ?? "")?.[1]);
  await page.click("#terminal");
  await page.keyboard.type("bench_getpid\n");
  await waitForScreen(/\$ bench_getpid\n[0-9a-f]{8}\n/);
  await page.waitForTimeout(700); // the next stats message
  const n = await compiled();
  assert.ok(n > 0, `${n} blocks compiled`);
});

webTest("pause stops the guest and resume restarts it; the disk downloads", async () => {
  const instructions = async () => Number(/(\d+) M instructions/.exec((await page.textContent("#stats")) ?? "")?.[1]);
  await page.click("#pause");
  assert.is(await page.textContent("#pause"), "Resume");
  await page.waitForTimeout(1200);
  const a = await instructions();
  await page.waitForTimeout(1200);
  assert.is(await instructions(), a, "no instructions while paused");
  assert.match((await page.textContent("#stats")) ?? "", /^0\.0 MIPS/);
  await page.click("#pause");
  await page.click("#terminal");
  await page.keyboard.type("echo resumed\n");
  await waitForScreen(/\$ echo resumed\nresumed\n/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  assert.is(download.suggestedFilename(), "disk.img");
  const path = await download.path();
  const { statSync } = await import("node:fs");
  assert.is(statSync(path!).size, 4 << 20);
});

webTest("the trace panel shows system calls and counts while a command runs", async () => {
  await page.check("#trace-on");
  await page.click("#terminal");
  await page.keyboard.type("cat /etc/hostname\n");
  await page.waitForFunction(() => /open\("\/etc\/hostname", 0x0\) = 3/.test(document.getElementById("trace-log")?.textContent ?? ""), null, { timeout: 15_000 });
  const counts = await page.textContent("#trace-counts");
  assert.match(counts ?? "", /^CPU in ring [03] · per second: \d+ ring transitions, \d+ faults, \d+ interrupts$/);
  await page.screenshot({ path: join(root, "test-artifacts", "web-trace.png") });
  await page.uncheck("#trace-on");
});

webTest("reset boots the machine again", async () => {
  await page.click("#reset");
  const s = await waitForScreen(/init: starting \/bin\/sh[^\n]*\nwasm386:\/\$ $/m);
  assert.ok(!s.includes("resumed"), "the terminal starts over");
});

webTest("a bad kernel file shows the loader's error on the page", async () => {
  await page.setInputFiles("#kernel-file", { name: "junk.bin", mimeType: "application/octet-stream", buffer: Buffer.from("this is not a kernel at all, just text") });
  await page.click("#boot");
  await page.waitForSelector("#error:not([hidden])", { timeout: 10_000 });
  const error = await page.textContent("#error");
  assert.match(error ?? "", /kernel|Multiboot|ELF/i);
  await page.screenshot({ path: join(root, "test-artifacts", "web-bad-kernel.png") });
});

webTest("the teaching kernel boots again after that", async () => {
  await page.click("#boot-default");
  await waitForScreen(/wasm386:\/\$ $/m);
  const hidden = await page.$eval("#error", (e) => (e as HTMLElement).hidden);
  assert.ok(hidden, "the error is cleared");
});

webTest("the address names the files, command line and memory to boot; the page reports the run's end", async () => {
  const p = await browser!.newPage();
  await p.goto(`${base}?kernel=images/kernel.elf&initrd=images/initrd.cpio&append=init%3D/bin/true%20quiet&mem=24`);
  await p.waitForFunction(() => "wasm386Done" in window, null, { timeout: 30_000 });
  const done = await p.evaluate(() => (window as unknown as { wasm386Done: { reason: string; instructions: number; runMs: number; pageMs: number } }).wasm386Done);
  assert.is(done.reason, "exit");
  assert.ok(done.instructions > 100_000, `${done.instructions} instructions`);
  assert.ok(done.runMs > 0 && done.pageMs >= done.runMs, `run ${done.runMs} ms, page ${done.pageMs} ms`);
  const text = await p.evaluate(() => (window as unknown as { wasm386Terminal: { buffer: { active: { length: number; getLine(i: number): { translateToString(t: boolean): string } | undefined } } } }).wasm386Terminal.buffer.active.getLine(1)?.translateToString(true) ?? "");
  assert.match(text, /memory: 24 MiB/);
  assert.is(await p.inputValue("#memory"), "24", "the memory control shows the address's size");
  await p.goto(`${base}?kernel=images/no-such.elf`);
  await p.waitForSelector("#error:not([hidden])", { timeout: 10_000 });
  assert.match((await p.textContent("#error")) ?? "", /images\/no-such\.elf: HTTP 404/);
  await p.close();
});

webTest("the machine boots without waiting for the page's script; what it printed meanwhile reaches the terminal", async () => {
  const p = await browser!.newPage();
  // main.js is held back until the worker (started by index.html) has run
  // the guest to its end; then the page shows all the guest printed.
  // ... and has reported its speed too (the twice-a-second stats message):
  // the page takes both before its controls could exist.
  const endedEarly = () => p.evaluate(() => {
    const early = (window as unknown as { wasm386Early?: { type: string }[] }).wasm386Early ?? [];
    return early.some((m) => m.type === "done") && early.some((m) => m.type === "stats");
  });
  let ended = false;
  await p.route("**/main.js", async (r) => {
    for (const until = Date.now() + 20_000; !ended && Date.now() < until;) {
      ended = await endedEarly().catch(() => false);
      if (!ended) await new Promise((s) => setTimeout(s, 50));
    }
    await r.continue();
  });
  await p.goto(`${base}?kernel=images/kernel.elf&initrd=images/initrd.cpio&append=init%3D/bin/true&mem=24`);
  await p.waitForFunction(() => "wasm386Done" in window, null, { timeout: 30_000 });
  assert.ok(ended, "the guest ran to its end before the page's script loaded");
  assert.is(await p.inputValue("#memory"), "24", "the controls exist before the page takes what the worker said");
  const s = await waitFor(p, /memory: 24 MiB/);
  assert.match(s, /wasm386 teaching kernel 0\.1/, "the first line the guest printed is shown");
  await p.close();
});

webTest("opened from a file, the page says how to serve it instead of starting forever; it has an icon", async () => {
  const bare = await browser!.newPage();
  await bare.goto(`file://${out}/index.html`);
  await bare.waitForSelector("#error:not([hidden])", { timeout: 10_000 });
  assert.match((await bare.textContent("#error")) ?? "", /Opened from a file[^]*npm run web/);
  await bare.close();
  const icon = await fetch(`${base}favicon.svg`);
  assert.is(icon.status, 200);
  assert.match(icon.headers.get("content-type") ?? "", /image\/svg\+xml/);
});

test("npm run web on a port in use is one line and exit 1, not a stack trace", async () => {
  const busy = await busyPort();
  const { status, stderr } = await runNode([`${root}scripts/web.js`, "--serve", "--port", String(busy.port)], root, 30_000);
  busy.close();
  assert.is(status, 1, stderr);
  assert.match(stderr, /^wasm386: cannot serve the page on 127\.0\.0\.1:\d+: the port is in use[^\n]*\n$/);
});

webTest("a browser without WebAssembly gets a clear message instead of a broken page", async () => {
  const bare = await browser!.newPage();
  await bare.addInitScript(() => { delete (window as unknown as { WebAssembly?: unknown }).WebAssembly; });
  await bare.goto(base);
  await bare.waitForSelector("#error:not([hidden])", { timeout: 10_000 });
  assert.match((await bare.textContent("#error")) ?? "", /cannot run WebAssembly/);
  await bare.close();
});

test.run();
