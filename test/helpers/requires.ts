// Tests that need Debian's or the host's tools (busybox, the kernel,
// gcc -m32, QEMU): where one is missing they are skipped and say why;
// with WASM386_REQUIRE_LINUX=1 (CI sets it) they fail instead.
import { test } from "uvu";

const required = process.env.WASM386_REQUIRE_LINUX === "1";

/** test, or test.skip with the reason printed (a failure when required);
 *  missing: what is absent, false for what is there. */
export function testNeeding(missing: (string | false | undefined)[]) {
  const absent = missing.filter(Boolean);
  if (absent.length === 0) return test;
  const reason = `skipping: these tests need ${absent.join(", ")}`;
  if (required) return (name: string) => test(name, () => { throw new Error(`${reason}, and WASM386_REQUIRE_LINUX=1`); });
  console.log(reason);
  return test.skip;
}
