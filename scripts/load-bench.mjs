// How soon the drop-in can give a verdict, in headless Chromium (Debian's), printed, never
// asserted (timings from a busy machine prove nothing; run it on a quiet one):
//   * at 1x CPU, the time from the page's `load` event to the form's `signup-guard:ready` (the
//     first moment a blur gets a verdict) and to the warm-up's end (`signup-guard:ready` mark),
//     and from the navigation's start to that first moment (what a change that moves the load
//     event itself, such as preloading, is judged by);
//   * at 4x CPU throttling (CDP `Emulation.setCPUThrottlingRate`), the main-thread tasks over
//     50 ms from navigation to the end of the warm-up (long tasks, PerformanceObserver), and
//     which of them ran the drop-in's code: a script of ours (its URL) that the Long Animation
//     Frames API saw running 5 ms or more inside the task (the page's own layout, its scripts and
//     the browser's start-up are long tasks too on a slow phone). No trace: tracing made our
//     module's evaluation two to three times longer (V8 collects source positions for it), so a
//     traced load says little about which tasks are long without it.
//
//   node scripts/load-bench.mjs [URL] [--runs N] [--old DIR]
//
// Without URL it serves the demo page itself (www/index.html, /v1/policy, files from pkg/ then
// www/; build pkg/ first with `bash scripts/build-wasm.sh`); playwright-core comes from
// tests/browser (`npm ci` there). The load average is printed beside the figures. `--old DIR`
// serves a second checkout (e.g. a `git worktree` of an older commit with its pkg/ built) the
// same way and alternates cold loads of the two, so the comparison is between loads of one run.

import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { chromium } = await import(path.join(root, "tests/browser/node_modules/playwright-core/index.mjs"));
// Reads the page without playwright's injected script (see there).
const { afterReady } = await import(path.join(root, "tests/browser/after-ready.mjs"));

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 7;
const oldAt = args.indexOf("--old");
const oldDir = oldAt >= 0 ? path.resolve(args.splice(oldAt, 2)[1]) : null;

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css",
  ".wasm": "application/wasm", ".json": "application/json",
};
const servers = [];
/** Serves the demo page of the checkout at `dir` on a free 127.0.0.1 port: its URL. */
async function serve(dir) {
  const server = createServer(async (req, res) => {
    const p = new URL(req.url, "http://127.0.0.1").pathname;
    const name = p === "/" ? "index.html" : p === "/v1/policy" ? "policy.json" : p.slice(1);
    const dirs = name === "index.html" || name === "policy.json" ? ["www"] : ["pkg", "www"];
    for (const sub of /^[\w.-]+$/.test(name) ? dirs : []) {
      try {
        const body = await readFile(path.join(dir, sub, name));
        res.writeHead(200, { "content-type": TYPES[path.extname(name)] || "application/octet-stream" });
        return res.end(body);
      } catch {}
    }
    res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/`;
}
const targets = [["this checkout", args[0] ?? await serve(root)]];
if (oldDir) targets.unshift([`old (${oldDir})`, await serve(oldDir)]);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

/** One cold load (fresh context, no cache) at `rate`x CPU: the figures of that load. */
async function load(url, rate) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
  await page.addInitScript(() => {
    window.__bench = { tasks: [], scripts: [], attached: null };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
    // Scripts that ran 5 ms or more in a frame of 50 ms or more, with where they came from.
    if (PerformanceObserver.supportedEntryTypes?.includes("long-animation-frame")) {
      new PerformanceObserver((list) => {
        for (const frame of list.getEntries()) {
          for (const s of frame.scripts) {
            window.__bench.scripts.push({ url: s.sourceURL, start: s.startTime, duration: s.duration });
          }
        }
      }).observe({ type: "long-animation-frame", buffered: true });
    }
    document.addEventListener("signup-guard:ready", () => {
      window.__bench.attached ??= performance.now();
    }, true);
  });
  await page.goto(url, { waitUntil: "load" });
  const out = await afterReady(cdp, `(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const mark = (name) => performance.getEntriesByName(\`signup-guard:\${name}\`)[0]?.startTime;
    return { load: nav.loadEventStart, attached: window.__bench.attached, warm: mark("ready"),
      started: mark("load"), instantiated: mark("wasm"), tasks: window.__bench.tasks,
      scripts: window.__bench.scripts };
  })()`, 100);
  await context.close();
  const ours = (s) => /\/(signup-guard|signup_guard)[\w.-]*\.js$/.test(s.url);
  out.oursLong = out.tasks.filter((t) => out.scripts.some((s) => ours(s) &&
    s.start < t.start + t.duration && s.start + s.duration > t.start)).map((t) => t.duration);
  out.tasks = out.tasks.map((t) => t.duration);
  // Our longest script run the API saw (in frames of 50 ms or more): how near a task of ours came.
  out.oursScript = Math.max(0, ...out.scripts.filter(ours).map((s) => s.duration));
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

console.log(`load-bench: ${targets.map(([name, url]) => `${name} ${url}`).join(", ")}; ${runs} cold loads per setting, ` +
  `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
for (const rate of [1, 4]) {
  const results = targets.map(() => []);
  // Alternating, so a change in the machine's load falls on both alike.
  for (let i = 0; i < runs; i++) {
    // Which checkout loads first alternates: the second load of a pair met the first one's
    // leftovers (its renderer going away), which had made "this checkout" look 3-5 ms slower
    // even in phases a change had not touched.
    const order = [...targets.entries()];
    if (i % 2) order.reverse();
    for (const [t, [, url]] of order) results[t].push(await load(url, rate));
  }
  const medians = [];
  for (const [t, all] of results.entries()) {
    const toVerdict = all.map((r) => r.attached - r.load);
    const toWarm = all.map((r) => r.warm - r.load);
    const long = all.map((r) => r.tasks.length);
    const longest = all.map((r) => Math.max(0, ...r.tasks));
    const oursLong = all.map((r) => r.oursLong.length);
    medians.push(median(toVerdict));
    // Where the time after `load` goes (the drop-in's marks): waiting for a task after first
    // paint, instantiating the module, attaching to the form.
    const phase = (from, to) => ms(median(all.map((r) => (r[to] ?? NaN) - r[from])));
    console.log(`${rate}x CPU, ${targets[t][0]}: load -> first possible verdict median ${ms(median(toVerdict))} ` +
      `(min ${ms(Math.min(...toVerdict))}, max ${ms(Math.max(...toVerdict))}); ` +
      `load -> warmed up median ${ms(median(toWarm))}; ` +
      `navigation -> first possible verdict median ${ms(median(all.map((r) => r.attached)))}, load event at ${ms(median(all.map((r) => r.load)))}; ` +
      `tasks > 50 ms per load median ${median(long)} (max ${Math.max(...long)}), longest ${ms(Math.max(...longest))}, ` +
      `running the drop-in's code ${oursLong.join(" ")} (longest ${ms(Math.max(0, ...all.flatMap((r) => r.oursLong)))}), ` +
      `the drop-in's longest script run median ${ms(median(all.map((r) => r.oursScript)))} (max ${ms(Math.max(...all.map((r) => r.oursScript)))}); ` +
      `medians: load -> start ${phase("load", "started")}, -> instantiated ${phase("started", "instantiated")}, ` +
      `-> attached ${phase("instantiated", "attached")}`);
  }
  if (medians.length === 2) {
    console.log(`${rate}x CPU: this checkout / old, load -> first possible verdict: ${(medians[1] / medians[0]).toFixed(2)}`);
  }
}
console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
await browser.close();
for (const server of servers) server.close();
