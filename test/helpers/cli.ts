// How tests start the wasm386 CLI: the bundle users run (dist/wasm386.js),
// or, under npm run coverage (WASM386_CLI_SOURCE=1), the same CLI from its
// TypeScript sources, so that coverage is counted against host/ line by
// line (a bundle's remapped coverage is not reliable).
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** node's arguments before the CLI's own. */
export const CLI: string[] = process.env.WASM386_CLI_SOURCE === "1"
  ? ["--import", "tsx", `${root}host/node/bin.ts`]
  : [`${root}dist/wasm386.js`];

/** The CLI as a shell command line (for script -qec). */
export const CLI_SHELL = [process.execPath, ...CLI].join(" ");
