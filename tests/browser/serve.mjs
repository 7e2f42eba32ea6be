// Drives one page of `pack serve` in Debian's headless Chromium for
// tests/serve.rs. Reads one JSON command a line on stdin and answers one
// JSON line on stdout, so the test can change files between steps:
//   {"cmd":"open","url":U}                   load U once; never navigated again
//   {"cmd":"waitText","text":T,"ms":N}       until T is in the page's text
//   {"cmd":"waitGone","text":T,"ms":N}       until T is no longer in it
//   {"cmd":"scroll","y":Y} / {"cmd":"scrollY"} scroll, or read the position
//   {"cmd":"box","selector":S}               the first match's text and place in the window
//   {"cmd":"click","selector":S}             click the first match (a link: follow it)
//   {"cmd":"axe"}                            axe-core's violations now
// Every answer is {"ok":true,...} or {"ok":false,"error":...}.
import { createInterface } from "node:readline";
import { launch, runAxe } from "./harness.mjs";

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1024, height: 600 } });
let opened = 0;
page.on("framenavigated", (f) => { if (f === page.mainFrame()) opened += 1; });

async function textHas(text) {
  try {
    return await page.evaluate((t) => document.body !== null && document.body.innerText.includes(t), text);
  } catch {
    return null; // the page is reloading
  }
}

// The page reloads itself after every rebuild, and one save can make two
// (the watcher may see a file emptied, then written): a question asked
// while it reloads is asked again once the new page has loaded.
async function ask(fn, arg) {
  for (let tries = 0; ; tries += 1) {
    try {
      return await page.evaluate(fn, arg);
    } catch (e) {
      if (tries >= 5 || !/context was destroyed|navigat/i.test(String(e))) throw e;
      await page.waitForLoadState("load").catch(() => {});
    }
  }
}

async function until(want, text, ms) {
  const start = Date.now();
  for (;;) {
    const has = await textHas(text);
    if (has === want) return { ok: true, ms: Date.now() - start, loads: opened };
    if (Date.now() - start > ms) {
      const body = await page.evaluate(() => document.body ? document.body.innerText : "").catch(() => "");
      return { ok: false, error: `after ${ms} ms the page ${want ? "lacks" : "still has"} ${JSON.stringify(text)}`, body: body.slice(0, 4000) };
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function run(c) {
  switch (c.cmd) {
    case "open":
      await page.goto(c.url, { waitUntil: "load" });
      return { ok: true };
    case "waitText":
      return until(true, c.text, c.ms ?? 10000);
    case "waitGone":
      return until(false, c.text, c.ms ?? 10000);
    case "scroll":
      await ask((y) => window.scrollTo(0, y), c.y);
      return { ok: true, y: await ask(() => window.scrollY) };
    case "scrollY":
      return { ok: true, y: await ask(() => window.scrollY) };
    case "box":
      return {
        ok: true,
        ...(await ask((sel) => {
          const el = document.querySelector(sel);
          if (!el) return { found: false };
          const r = el.getBoundingClientRect();
          return {
            found: true,
            text: el.innerText,
            top: r.top,
            bottom: r.bottom,
            innerHeight: window.innerHeight,
            scrollY: window.scrollY,
            scrollHeight: document.documentElement.scrollHeight,
          };
        }, c.selector)),
      };
    case "click":
      await page.click(c.selector);
      return { ok: true };
    case "axe":
      await page.waitForLoadState("load");
      return { ok: true, violations: await runAxe(page) };
    default:
      return { ok: false, error: `unknown command ${c.cmd}` };
  }
}

const lines = createInterface({ input: process.stdin });
try {
  for await (const line of lines) {
    if (!line.trim()) continue;
    let answer;
    try {
      answer = await run(JSON.parse(line));
    } catch (e) {
      answer = { ok: false, error: String(e && e.stack || e) };
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  }
} finally {
  await browser.close();
}
