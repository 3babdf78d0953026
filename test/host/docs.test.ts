// The examples of docs/api.md and the README run as written, with plain
// node inside this checkout (the package refers to itself by name, as an
// installed copy is found): each exits 0 and prints what the text says.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { examplesOf, missingLines, runExample } from "../helpers/docs.js";

const dir = "test-artifacts/docs";

for (const doc of ["docs/api.md", "README.md"]) {
  const examples = examplesOf(readFileSync(doc, "utf8"));
  test(`${doc} has runnable examples`, () => {
    assert.ok(examples.length >= (doc === "README.md" ? 1 : 3), `${examples.length} examples`);
  });
  examples.forEach((ex, i) => {
    test(`${doc} example at line ${ex.line} runs as written`, async () => {
      const r = await runExample(ex, dir, `${doc.replace(/\W/g, "_")}_${i}`);
      assert.is(r.status, 0, r.stderr);
      if (ex.prints) assert.equal(missingLines(r.stdout, ex.prints), [], `printed:\n${r.stdout}`);
    });
  });
}

test("the example reader takes what an example prints only from its own block", () => {
  const md = "```js\na()\n```\n\nIt prints:\n\n```text\nx\ny\n```\n\n```js\nb()\n```\n\n```text\nnot this\n```\n";
  assert.equal(examplesOf(md), [{ line: 1, code: "a()\n", prints: ["x", "y"] }, { line: 12, code: "b()\n" }]);
  assert.equal(missingLines("a\nx\nb\ny\n", ["x", "y"]), []);
  assert.equal(missingLines("y\nx\n", ["x", "y"]), ["y"]);
});

test.run();
