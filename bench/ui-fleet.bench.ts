import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { buildOut, startServe, type ServeProcess } from './lib/serve-process';
import type { BenchResult, BenchSuite } from './lib/types';

/**
 * The Devices screen in Debian's Chromium against `printdeck serve --demo --demo-printers N
 * --demo-all-printing` (every printer printing, each status stream at 2 Hz), at 100 and 1,000
 * printers side by side. `PRINTDECK_BENCH_WINDOW_S` shortens the 60 s watching window for a quick
 * run; `PRINTDECK_CHROMIUM` names another Chromium.
 */
const WINDOW_MS = Number(process.env.PRINTDECK_BENCH_WINDOW_S ?? 60) * 1000;
const CHROMIUM = process.env.PRINTDECK_CHROMIUM ?? '/usr/bin/chromium';
/** At most this long for the lab to be connected and printing. */
const WARMUP_MS = 240_000;
const CLICK_ROUNDS = 3;

const TARGETS = { ready: 1500, busy: 10, longtasks: 2, click: 100, heap: 60, ws: 150 };

/**
 * Runs in the page before anything else: long tasks as they happen, and for every click or change
 * the time from the input event to the frame after the DOM reacted (a rAF, then a message: the
 * paint happens between them). Plain JavaScript, since the bench is compiled without the DOM types.
 */
const PAGE_PROBE = `
window.__longtasks = [];
window.__clicks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push(e.duration);
}).observe({ type: 'longtask', buffered: true });
const onInput = (e) => {
  const start = e.timeStamp;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    observer.disconnect();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => window.__clicks.push(performance.now() - start);
      channel.port2.postMessage(null);
    });
  };
  const observer = new MutationObserver(finish);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  // A click that changes nothing still ends at the next frame.
  setTimeout(finish, 1000);
};
window.addEventListener('click', onInput, { capture: true });
window.addEventListener('change', onInput, { capture: true });
`;

/** What the predicates below touch in the page (the bench is compiled without the DOM types). */
interface PageGlobals {
  __clicks: number[];
  document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
  location: { hash: string };
  performance: { now(): number };
}

/** Ready: the count says the whole fleet is in and the grid shows cards; the page's clock, from navigation start. */
function readyProbe(printers: number): number | false {
  const g = globalThis as unknown as PageGlobals;
  const cards = g.document.querySelectorAll('.fleet-scroller article.card').length;
  const counted = Array.from(g.document.querySelectorAll('.fleet p.muted')).some((p) => (p.textContent ?? '').startsWith(`${printers} printers`));
  return cards >= Math.min(printers, 8) && counted ? g.performance.now() : false;
}

async function metric(cdp: CDPSession, name: string): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === name)?.value ?? NaN;
}

async function waitForLab(host: ServeProcess, printers: number): Promise<void> {
  const started = Date.now();
  let printing = 0;
  while (Date.now() - started < WARMUP_MS) {
    const list = await host.call<{ state: string; link: string }[]>('devices.list').catch(() => []);
    printing = list.filter((d) => d.link === 'online' && d.state === 'printing').length;
    if (printing >= printers) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  process.stdout.write(`  only ${printing} of ${printers} printing after ${WARMUP_MS / 1000} s; measuring anyway\n`);
}

async function click(page: Page, selector: string, count: number): Promise<void> {
  await page.locator(selector).first().click();
  await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).__clicks.length >= n, count, { timeout: 10_000 });
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? NaN;
}

async function measure(browser: Browser, printers: number): Promise<BenchResult[]> {
  const host = await startServe(['--demo', '--demo-printers', String(printers), '--demo-all-printing']);
  try {
    await waitForLab(host, printers);
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await page.addInitScript({ content: PAGE_PROBE });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await cdp.send('Network.enable');
    let wsBytes = 0;
    cdp.on('Network.webSocketFrameReceived', (e: { response: { payloadData: string; opcode: number } }) => {
      // Text frames carry the text; binary ones base64.
      wsBytes += e.response.opcode === 1 ? Buffer.byteLength(e.response.payloadData) : Math.floor((e.response.payloadData.length * 3) / 4);
    });

    await page.goto(host.openUrl);
    const ready = await page.waitForFunction(readyProbe, printers, { polling: 'raf', timeout: 120_000 });
    const readyMs = (await ready.jsonValue()) as number;

    // Watching Devices, idle.
    await page.evaluate('window.__longtasks.length = 0');
    wsBytes = 0;
    const busy0 = await metric(cdp, 'TaskDuration');
    const cpu0 = host.cpuSeconds();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const wallS = (Date.now() - t0) / 1000;
    const busyS = (await metric(cdp, 'TaskDuration')) - busy0;
    const hostCpuS = host.cpuSeconds() - cpu0;
    const bytes = wsBytes;
    const longtasks = (await page.evaluate('window.__longtasks.filter((d) => d > 50).length')) as number;

    await cdp.send('HeapProfiler.collectGarbage');
    const heapMb = (await metric(cdp, 'JSHeapUsedSize')) / 1024 / 1024;

    // Clicks: a card (opens the printer), Devices (back), a filter on and off, re-sort, the list and back.
    let n = 0;
    for (let round = 0; round < CLICK_ROUNDS; round++) {
      await click(page, `.fleet-scroller .fleet-cell >> nth=${round * 3} >> article.card .card-head + p`, ++n);
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).location.hash.startsWith('#/devices/'));
      await click(page, 'nav[aria-label="Main"] a[href="#/devices"]', ++n);
      await page.locator('.fleet-scroller article.card').first().waitFor();
      await click(page, 'button.chip:has-text("Printing")', ++n);
      await click(page, 'button.chip:has-text("Printing")', ++n);
      await click(page, 'button:has-text("Re-sort")', ++n);
      await click(page, 'button.chip:has-text("List")', ++n);
      await click(page, 'button.chip:has-text("Grid")', ++n);
    }
    const clicks = (await page.evaluate('window.__clicks')) as number[];
    await context.close();

    const r1 = (v: number) => Math.round(v * 10) / 10;
    return [
      { name: `ui.devices_ready_ms_${printers}`, value: Math.round(readyMs), unit: 'ms', target: TARGETS.ready, better: 'lower' },
      { name: `ui.main_thread_busy_pct_${printers}`, value: r1((busyS / wallS) * 100), unit: '%', target: TARGETS.busy, better: 'lower' },
      { name: `ui.longtasks_over_50ms_${printers}`, value: longtasks, unit: `tasks in ${WINDOW_MS / 1000} s`, target: TARGETS.longtasks, better: 'lower' },
      { name: `ui.click_to_paint_p95_ms_${printers}`, value: r1(p95(clicks)), unit: `ms (${clicks.length} clicks)`, target: TARGETS.click, better: 'lower' },
      { name: `ui.js_heap_mb_${printers}`, value: r1(heapMb), unit: 'MB', target: TARGETS.heap, better: 'lower' },
      { name: `ui.ws_kbytes_per_sec_${printers}`, value: r1(bytes / 1024 / wallS), unit: 'kB/s', target: TARGETS.ws, better: 'lower' },
      // The demo's simulators run inside the host process: host and lab together, for information.
      { name: `ui.host_and_lab_cpu_pct_${printers}`, value: r1((hostCpuS / wallS) * 100), unit: '% of one core', target: null, better: 'lower' },
      { name: `ui.host_and_lab_rss_mb_${printers}`, value: host.rssMb(), unit: 'MB', target: null, better: 'lower' },
    ];
  } finally {
    await host.stop();
  }
}

const suite: BenchSuite = {
  prefix: 'ui',
  async run() {
    buildOut();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    try {
      const results: BenchResult[] = [];
      for (const printers of [100, 1000]) results.push(...(await measure(browser, printers)));
      // Side by side: each figure at 100, then at 1,000.
      return results.sort((a, b) => a.name.replace(/_\d+$/, '').localeCompare(b.name.replace(/_\d+$/, '')));
    } finally {
      await browser.close();
    }
  },
};
export default suite;
