// Photo healing benchmark: N photos on one screen whose URLs expire
// together. Prints figures; asserts nothing about time. Run it through
// scripts/bench-photos.sh, which builds the `bench` SPA and starts a server
// with short URL lifetimes; by hand:
//
//   LANYARD_BENCH_URL=http://127.0.0.1:PORT LANYARD_DEMO_PASSWORD=... \
//   BENCH_PHOTOS=500 BENCH_TTL=20 node bench/photo-wall.mjs
//
// Scenarios, each measured in the page (performance.now):
//  1. renewal waves: the healer renews every photo at 80 % of its lifetime;
//     re-sign requests per wave, and the time from the wave's first re-sign
//     request until every photo shows its new URL, loaded;
//  2. hidden past expiry: the tab is hidden for longer than a lifetime (no
//     timers run), then shown: every URL has expired at once; requests, and
//     time until every photo is loaded again.
import { chromium } from 'playwright-core';

const base = process.env.LANYARD_BENCH_URL;
const password = process.env.LANYARD_DEMO_PASSWORD;
const count = Number(process.env.BENCH_PHOTOS ?? 500);
const ttl = Number(process.env.BENCH_TTL ?? 20);
const waves = Number(process.env.BENCH_WAVES ?? 3);
if (!base || !password) {
  console.error('set LANYARD_BENCH_URL and LANYARD_DEMO_PASSWORD (see scripts/bench-photos.sh)');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const context = await browser.newContext({ baseURL: base, viewport: { width: 1600, height: 1000 } });
const page = await context.newPage();
page.on('pageerror', (e) => console.error('page error:', e.message));

// Every re-sign request, timed in the page's own clock.
await page.addInitScript(() => {
  window.__resign = [];
  const fetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url;
    if (url.includes('/api/photos/urls')) {
      const entry = { at: performance.now(), people: 0 };
      window.__resign.push(entry);
      // gloo-net sends a Request object: read its body from a copy.
      const body = init?.body !== undefined ? Promise.resolve(init.body) : input.clone().text();
      body.then((text) => (entry.people = JSON.parse(text).people.length)).catch(() => {});
    }
    const answer = fetch.apply(this, arguments);
    if (url.includes('/api/photos/urls')) {
      const entry = window.__resign[window.__resign.length - 1];
      answer.then(() => (entry.answeredMs = performance.now() - entry.at)).catch(() => {});
    }
    return answer;
  };
  // Tab visibility the benchmark can switch.
  window.__hidden = false;
  Object.defineProperty(document, 'visibilityState', { get: () => (window.__hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { get: () => window.__hidden });
});
let storeRequests = 0;
page.on('request', (r) => {
  if (r.url().includes('X-Amz-Signature=')) storeRequests++;
});

const signIn = await page.request.post('/api/session', {
  data: { email: 'employee@lanyard.example', password },
});
if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
await page.goto(`/bench/photo-wall?count=${count}`);
await page.getByTestId('photo-wall-count').waitFor();
const shown = Number(await page.getByTestId('photo-wall-count').textContent());
const wallShownAt = await page.evaluate(() => performance.now());

const wall = '[data-testid="photo-wall"] [data-testid="avatar"]';
/** In the page: resolves with performance.now() once every photo on the wall
 *  is loaded from a URL not in `old` (all of them, when `old` is empty). */
const allLoadedFresh = (old) =>
  page.evaluate(
    ({ wall, old }) =>
      new Promise((resolve) => {
        const seen = new Set(old);
        const check = () => {
          const frames = [...document.querySelectorAll(wall)];
          const done = frames.every((f) => {
            const img = f.querySelector('img');
            return (
              f.dataset.photo === 'loaded' && img && img.complete && img.naturalWidth > 0 && !seen.has(img.getAttribute('src'))
            );
          });
          if (done) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      }),
    { wall, old },
  );
const srcs = () => page.evaluate((wall) => [...document.querySelectorAll(`${wall} img`)].map((i) => i.getAttribute('src')), wall);
const resignSince = (t) => page.evaluate((t) => window.__resign.filter((r) => r.at >= t), t);
const pageNow = () => page.evaluate(() => performance.now());

const firstLoaded = await allLoadedFresh([]);
console.log(
  `photos on one screen: ${shown} (URL lifetime ${ttl} s); first load of all of them: ` +
    `${Math.round(firstLoaded - wallShownAt)} ms (the reference for a wave's reload)`,
);
const slowest = (requests) => Math.round(Math.max(...requests.map((r) => r.answeredMs ?? NaN)));

// 1. Renewal waves.
const waveFigures = [];
for (let w = 0; w < waves; w++) {
  const before = await srcs();
  const since = await pageNow();
  const stores = storeRequests;
  const done = await allLoadedFresh(before);
  const requests = await resignSince(since);
  waveFigures.push({
    requests: requests.length,
    people: requests.map((r) => r.people).join('+'),
    ms: Math.round(done - requests[0].at),
    answered: slowest(requests),
    store: storeRequests - stores,
  });
}
for (const [i, f] of waveFigures.entries()) {
  console.log(
    `renewal wave ${i + 1}: ${f.requests} re-sign requests (${f.people} people, all answered within ${f.answered} ms), ` +
      `${f.store} photo downloads, every photo fresh and loaded ${f.ms} ms after the first request`,
  );
}

// 2. Hidden for longer than a lifetime, then shown.
const before = await srcs();
await page.evaluate(() => {
  window.__hidden = true;
  document.dispatchEvent(new Event('visibilitychange'));
});
const hiddenAt = await pageNow();
await page.waitForTimeout((ttl + 2) * 1000);
const whileHidden = (await resignSince(hiddenAt)).length;
const stores = storeRequests;
const shownAt = await page.evaluate(() => {
  window.__hidden = false;
  document.dispatchEvent(new Event('visibilitychange'));
  return performance.now();
});
const healed = await allLoadedFresh(before);
const requests = await resignSince(shownAt);
console.log(
  `hidden ${ttl + 2} s (past every expiry): ${whileHidden} re-sign requests while hidden; on show ` +
    `${requests.length} re-sign requests (${requests.map((r) => r.people).join('+')} people, answered within ${slowest(requests)} ms), ` +
    `${storeRequests - stores} photo downloads, every photo loaded again ${Math.round(healed - shownAt)} ms after showing`,
);
await browser.close();
