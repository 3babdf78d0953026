// The page boots Debian's busybox on the teaching kernel when the user
// gives it the binary (web/busybox.ts): the same busybox system as npm run
// busybox, built in the tab. A file that cannot be busybox is refused with
// a reason, and the machine that runs goes on.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { root } from "../helpers/machine.js";
import { CHROMIUM, haveChromium, servePage, pageAtPrompt, errorText, waitForScreen, type Served } from "../helpers/browser.js";
import { linuxTest, BUSYBOX } from "../linux/linux.js";

if (!haveChromium) console.log(`skipping: the browser tests need Debian's chromium at ${CHROMIUM}`);
const webTest = haveChromium ? linuxTest({ busybox: true }) : test.skip;

let served: Served;
let page: Page;

test.before(async () => {
  if (!haveChromium) return;
  served = await servePage();
  page = await pageAtPrompt(served);
});

test.after(async () => {
  await served?.close();
});


webTest("a file that is not a static i386 program is refused, with why; the teaching kernel runs on", async () => {
  const notElf = join(served.out, "not-busybox.txt"), dynamic = join(served.out, "dynamic.elf");
  writeFileSync(notElf, "echo hello\n");
  // an i386 executable's header with one PT_INTERP program header: what a dynamically linked program has
  const elf = new Uint8Array(52 + 32);
  const v = new DataView(elf.buffer);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true); v.setUint16(18, 3, true); v.setUint32(28, 52, true); v.setUint16(42, 32, true); v.setUint16(44, 1, true);
  v.setUint32(52, 3, true);
  writeFileSync(dynamic, elf);
  await page.click("#boot-busybox");
  assert.match(await errorText(page), /choose a busybox file first/);
  for (const [file, why] of [[notElf, /not-busybox\.txt cannot be busybox: it is not an ELF file/],
    [dynamic, /dynamic\.elf cannot be busybox: it is dynamically linked/],
    [join(root, "README.md"), /README\.md cannot be busybox: it is not an ELF file/]] as const) {
    await page.setInputFiles("#busybox-file", file);
    await page.click("#boot-busybox");
    await page.waitForFunction(() => !(document.getElementById("error") as HTMLElement).hidden);
    assert.match(await errorText(page), why);
  }
  await page.click("#terminal");
  await page.keyboard.type("echo still here\n");
  await waitForScreen(page, /wasm386:\/\$ echo still here\nstill here\n/, 10_000);
});

webTest("Debian's busybox, given to the page, boots to a busybox shell whose applets and job control work", async () => {
  await page.setInputFiles("#busybox-file", BUSYBOX);
  await page.click("#boot-busybox");
  const prompt = /busybox:[^\n]*# $/m;
  await waitForScreen(page, prompt, 60_000);
  assert.is(await errorText(page), "");
  await page.click("#terminal");
  await page.keyboard.type("echo $((6*7)) $(uname -m) | tr 0-9 a-j; ls /bin | grep -c .\n");
  const s = await waitForScreen(page, /\nec igig\n\d+\n.*# $/m, 20_000);
  assert.ok(Number(/\nec igig\n(\d+)\n/.exec(s)![1]) > 50, "busybox --install -s made the applets' links");
  await page.keyboard.type("sleep 100\n");
  await page.waitForTimeout(500);
  await page.keyboard.press("Control+C");
  await page.keyboard.type("echo status $?\n");
  await waitForScreen(page, /\nstatus 130\n/, 20_000);
});

test.run();
