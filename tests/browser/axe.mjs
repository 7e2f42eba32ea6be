// Runs axe-core on a page in Debian's headless Chromium and prints the
// violations as JSON: node axe.mjs FILE_OR_URL WIDTH [WIDTH...]
// The browser and the rules come from harness.mjs, shared with serve.mjs.
import { pathToFileURL } from "node:url";
import { launch, runAxe } from "./harness.mjs";

const [target, ...widths] = process.argv.slice(2);
if (!target || widths.length === 0) {
  console.error("usage: node axe.mjs FILE_OR_URL WIDTH [WIDTH...]");
  process.exit(2);
}
const url = /^https?:/.test(target) ? target : pathToFileURL(target).href;
const browser = await launch();
const results = [];
try {
  for (const width of widths) {
    const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
    await page.goto(url, { waitUntil: "load" });
    const violations = await runAxe(page);
    results.push({ width: Number(width), violations });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
