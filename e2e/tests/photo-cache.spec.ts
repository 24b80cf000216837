// A reload shows the photos from the browser's HTTP cache: within one
// signing window (450 s for hour-long URLs) the server hands out the
// byte-identical URLs, and the store said the browser may keep them.
// Against the default server. No page.route here: routing turns the
// HTTP cache off.
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { expectPhotosOnScreenLoaded, photosOnScreen, signIn } from './helpers';

/** One request for a photo object, as Chromium's network domain saw it. */
interface StoreLoad {
  load: number;
  cached: boolean;
  bytes: number;
}

/**
 * Counts, per page load, the photo requests and the bytes that came over
 * the network for them (0 for a copy from the memory or disk cache).
 */
async function watchStore(cdp: CDPSession) {
  const loads = new Map<string, StoreLoad>();
  let load = 0;
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.includes('X-Amz-Signature=')) loads.set(e.requestId, { load, cached: false, bytes: 0 });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const l = loads.get(e.requestId);
    if (l) l.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const l = loads.get(e.requestId);
    if (l && (e.response.fromDiskCache || e.response.fromMemoryCache)) l.cached = true;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const l = loads.get(e.requestId);
    if (l) l.bytes = e.encodedDataLength;
  });
  return {
    nextLoad: () => { load += 1; },
    of: (n: number) => [...loads.values()].filter((l) => l.load === n),
  };
}

/** Each on-screen photo's URL by person (credentials: compared, never printed). */
async function urlsOnScreen(page: Page): Promise<Map<number, string>> {
  return new Map((await photosOnScreen(page)).filter((a) => a.src).map((a) => [a.person, a.src!]));
}

/** The signing time a URL carries (X-Amz-Date): its window. */
const signedAt = (url: string) => new URL(url).searchParams.get('X-Amz-Date');

test('a reload takes the photos from the browser cache: same URLs, no bytes from the store', async ({ page }) => {
  test.setTimeout(60_000);
  const store = await watchStore(await page.context().newCDPSession(page));
  await signIn(page);
  const photos = await expectPhotosOnScreenLoaded(page);
  expect(photos, 'photos on the first screen').toBeGreaterThan(0);
  let previous = await urlsOnScreen(page);
  const firstBytes = store.of(0).reduce((n, l) => n + l.bytes, 0);
  expect(firstBytes, 'photo bytes on the first visit').toBeGreaterThan(0);

  // Reload; should a signing window end between two loads (rare: a few
  // seconds out of 450), the next reload is wholly inside the new one.
  let current = previous;
  let load = 0;
  for (let attempt = 1; attempt <= 2; attempt++) {
    store.nextLoad();
    load += 1;
    await page.reload();
    await expect(page.getByTestId('people-grid')).toBeVisible();
    await expectPhotosOnScreenLoaded(page);
    current = await urlsOnScreen(page);
    const windowEnded = [...current].some(
      ([person, url]) => previous.has(person) && signedAt(previous.get(person)!) !== signedAt(url),
    );
    if (!windowEnded) break;
    previous = current;
  }

  expect(current.size, 'photos on screen after the reload').toBe(previous.size);
  const differing = [...current].filter(([person, url]) => previous.get(person) !== url).map(([person]) => person);
  expect(differing, 'people whose photo URL changed with the reload').toEqual([]);
  const reloaded = store.of(load);
  const network = reloaded.filter((l) => !l.cached);
  expect(network.length, 'photo requests that went to the store after the reload').toBe(0);
  expect(network.reduce((n, l) => n + l.bytes, 0), 'photo bytes from the store after the reload').toBe(0);
  console.log(`[cache] ${JSON.stringify({
    photos,
    firstRequests: store.of(0).length,
    firstBytes,
    reloads: load,
    reloadRequests: reloaded.length,
    fromCache: reloaded.filter((l) => l.cached).length,
  })}`);
});
