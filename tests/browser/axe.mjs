// Runs axe-core on a page in Debian's headless Chromium and prints the
// violations as JSON: node axe.mjs FILE_OR_URL WIDTH [WIDTH...]
// The one browser harness of the tests: playwright-core drives the system
// chromium (CHROMIUM or /usr/bin/chromium) and never downloads a browser.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [target, ...widths] = process.argv.slice(2);
if (!target || widths.length === 0) {
  console.error("usage: node axe.mjs FILE_OR_URL WIDTH [WIDTH...]");
  process.exit(2);
}
const url = /^https?:/.test(target) ? target : pathToFileURL(target).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const results = [];
try {
  for (const width of widths) {
    const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
    await page.goto(url, { waitUntil: "load" });
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: {
          type: "tag",
          values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        },
        resultTypes: ["violations"],
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
        count: v.nodes.length,
      }));
    });
    results.push({ width: Number(width), violations });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
