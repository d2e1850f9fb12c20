// Waits in a page for the drop-in's warm-up to end, through the DevTools protocol itself, for the
// load benchmark (scripts/load-bench.mjs) and the e2e long-task report: playwright's
// `waitForFunction` and `evaluate` first inject its own script into the page, 16-43 ms of parsing
// at 1x CPU (four times that at 4x) on the main thread right after `load`, which figures of the
// page's load would then count.

/**
 * Resolves, `waitMs` after the drop-in's `signup-guard:ready` mark, to the value of the JS
 * `expression` in the page of the CDP session `cdp` (rejects after 60 s without the mark).
 */
export async function afterReady(cdp, expression, waitMs) {
  const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", {
    awaitPromise: true, returnByValue: true, expression: `new Promise((resolve, reject) => {
      const late = setTimeout(() => reject(new Error("no signup-guard:ready mark in 60 s")), 60000);
      const seen = new PerformanceObserver((list) => {
        if (!list.getEntries().some((m) => m.name === "signup-guard:ready")) return;
        seen.disconnect();
        clearTimeout(late);
        setTimeout(() => resolve(${expression}), ${waitMs});
      });
      seen.observe({ type: "mark", buffered: true });
    })`,
  });
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}
