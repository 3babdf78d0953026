// README.md rendered as a page of its own (README.html in dist-web/), which
// the browser page links to: GitHub-flavoured Markdown by marked, headings
// with GitHub's anchors so links like README.html#booting-your-own-kernel
// land on their section.
import { Marked } from "marked";

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces
 *  as hyphens; a repeated one gets -1, -2, … */
function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text.toLowerCase().replace(/<[^>]*>/g, "").replace(/[^\p{L}\p{N}_\- ]/gu, "").replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n ? `${base}-${n}` : base;
  };
}

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

export function readmeHtml(markdown) {
  const slug = slugger();
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading({ tokens, depth, text }) {
        return `<h${depth} id="${slug(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
    },
  });
  const title = /^# (.+)$/m.exec(markdown)?.[1] ?? "README";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}: README</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<style>
  body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0 auto; max-width: 52rem; padding: 1rem; color: #222; background: #fafafa; }
  pre { background: #f0f0f0; padding: 0.6rem; overflow-x: auto; }
  code { font-family: ui-monospace, monospace; font-size: 0.9em; }
  table { border-collapse: collapse; display: block; overflow-x: auto; }
  th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; }
  h2 { border-bottom: 1px solid #ddd; margin-top: 2rem; }
</style>
</head>
<body>
${marked.parse(markdown)}</body>
</html>
`;
}
