// Linux as the page's second machine (web/linux.ts): Debian's kernel and
// busybox, given to the page, boot to a shell on the same terminal. A
// kernel file that is not a bzImage is refused with the reason.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Page } from "playwright-core";
import { root } from "../helpers/machine.js";
import { CHROMIUM, haveChromium, servePage, pageAtPrompt, errorText, waitForScreen, type Served } from "../helpers/browser.js";
import { debianTest, KERNEL } from "../host/linux-debian.js";
import { BUSYBOX } from "../linux/linux.js";

if (!haveChromium) console.log(`skipping: the browser tests need Debian's chromium at ${CHROMIUM}`);
const webTest = haveChromium ? debianTest() : test.skip;

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


webTest("a Multiboot kernel is not a bzImage: Boot Linux refuses it, with why", async () => {
  await page.click("#boot-linux");
  assert.match(await errorText(page), /choose Linux's kernel \(Kernel\) and busybox \(Busybox\) first/);
  await page.setInputFiles("#kernel-file", `${root}images/kernel.elf`);
  await page.setInputFiles("#busybox-file", BUSYBOX);
  await page.click("#boot-linux");
  await page.waitForFunction(() => !(document.getElementById("error") as HTMLElement).hidden);
  assert.match(await errorText(page), /kernel\.elf cannot be the kernel: it is not a Linux kernel image/);
});

webTest("Debian's kernel and busybox boot to a Linux shell in the page's terminal", async () => {
  await page.setInputFiles("#kernel-file", KERNEL!);
  await page.setInputFiles("#busybox-file", BUSYBOX);
  await page.click("#boot-linux");
  await waitForScreen(page, /Linux version 6\.\d+\.\d+-\d+-686/, 60_000);
  await waitForScreen(page, /^\[linux\]# $/m, 240_000);
  assert.is(await errorText(page), "");
  await page.click("#terminal");
  await page.keyboard.type("uname -sm; grep -c ^processor /proc/cpuinfo; echo $((6*7)) > /tmp/x; cat /tmp/x\n");
  await waitForScreen(page, /\nLinux i686\n1\n42\n\[linux\]# $/m, 60_000);
});

test.run();
