// The browser's clock jumps ten minutes (a laptop clock set by hand, a
// resync after sleep): ahead, the SPA must not take every URL for expired
// and re-sign in a loop; behind, it must not wait ten minutes to renew.
// Either way photos keep renewing on the server's clock.
import { expect, test } from '@playwright/test';
import { photosOnScreen } from '../helpers';
import { openWatchedDirectory, photoEvents, report, stalePhotosOnScreen, waves } from './network';

// Long enough for two or three ordinary renewals of 8-second URLs.
const WATCH_MS = 16_000;
// Those renewals, plus one catch-up after the jump is noticed.
const MAX_WAVES = 4;

for (const [label, shift] of [['fast', 10 * 60_000], ['slow', -10 * 60_000]] as const) {
  test(`a browser clock ten minutes ${label} causes no re-sign storm and photos still heal`, async ({ page }) => {
    test.setTimeout(90_000);
    // Installed before the page exists; the clock keeps flowing (and timers
    // keep firing) until the test moves it.
    await page.clock.install();
    const { traffic, photos } = await openWatchedDirectory(page);
    const before = new Map((await photosOnScreen(page)).map((a) => [a.person, a.src]));

    // Ten minutes off, and time goes on flowing from there.
    const pageNow = await page.evaluate(() => Date.now());
    await page.clock.setSystemTime(pageNow + shift);
    const jumped = Date.now();
    await page.waitForTimeout(WATCH_MS);
    const calls = traffic.resignsBetween(jumped, jumped + WATCH_MS);
    const grouped = waves(calls);
    expect(grouped.length, 're-sign waves after the jump').toBeLessThanOrEqual(MAX_WAVES);
    expect(grouped.map((w) => w.length).filter((n) => n > 2), 'waves with more than two re-sign calls').toEqual([]);

    // Every photo on screen holds a URL live by the server's clock (Node
    // shares the server's clock), other than the one it had before the jump.
    await expect.poll(() => stalePhotosOnScreen(page), { message: 'photos on screen after the jump', timeout: 10_000 })
      .toEqual([]);
    const after = await photosOnScreen(page);
    expect(after.filter((a) => before.get(a.person) === a.src).map((a) => a.person), 'photos never renewed').toEqual([]);
    const events = await photoEvents(page);
    expect(events.states.filter((s) => s.to === 'failed'), 'photos that gave up').toEqual([]);

    report(`clock ${label}`, {
      photos,
      resigns: calls.length,
      waves: grouped.length,
      callsPerWave: grouped.map((w) => w.length),
      imgErrors: events.imgErrors.length,
      storeRequests: traffic.storeBetween(jumped, jumped + WATCH_MS).length,
    });
  });
}
