// The serial console's terminal: xterm.js in a bundled monospace font,
// fitted to its box and refitted whenever the box changes size.
import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import "@xterm/xterm/css/xterm.css";
// JetBrains Mono (SIL Open Font License 1.1), regular and bold. With the
// system's monospace font (DejaVu Sans Mono on Debian) the underscore sits
// below the cell xterm measures and vanishes at a device pixel ratio of 1.
import "@fontsource/jetbrains-mono/400.css";
import "@fontsource/jetbrains-mono/700.css";

export const FONT_FAMILY = "JetBrains Mono";
const FONT_SIZE = 14;

/** Opens the terminal in `box` once the font has loaded: xterm measures the
 *  cell when it opens, and a fallback font's metrics would stay. A font that
 *  fails to load (offline, blocked) leaves the fallback, not a dead page. */
export async function openTerminal(box: HTMLElement): Promise<Terminal> {
  await Promise.all([`${FONT_SIZE}px "${FONT_FAMILY}"`, `bold ${FONT_SIZE}px "${FONT_FAMILY}"`]
    .map((f) => document.fonts.load(f, "a_b").catch(() => [])));
  const term = new Terminal({
    convertEol: false, cursorBlink: true, fontSize: FONT_SIZE, fontFamily: `"${FONT_FAMILY}", monospace`,
    // A serial line carries no window size: a guest program that wants the
    // terminal's asks it, as xterm's resize(1) does (CSI 18 t).
    windowOptions: { getWinSizeChars: true },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(box);
  fit.fit();
  // The box follows the window (CSS); refit once per frame at most.
  let queued = false;
  new ResizeObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; fit.fit(); });
  }).observe(box);
  return term;
}
