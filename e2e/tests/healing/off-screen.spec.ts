// Only photos on screen cost anything: off-screen avatars get no URL, no
// renewal and no store request; scrolled into view, they load.
import { expect, test, type Page } from '@playwright/test';
import { avatars, expectPhotosOnScreenLoaded, photosOnScreen } from '../helpers';
import {
  latestExpiry,
  openWatchedDirectory,
  PhotoTraffic,
  report,
  stalePhotosOnScreen,
  waitUntil,
  waves,
} from './network';

// The SPA's IntersectionObserver counts avatars within 64 px of the viewport
// as on screen; a few pixels more absorb rounding. Farther out is off screen.
const OFF_SCREEN = 64 + 8;

// Small, so most of the 48 cards start below the fold.
test.use({ viewport: { width: 900, height: 520 } });

/**
 * Waits through the next renewal of the photos on screen and checks that it
 * asked for, and fetched, nobody off screen. Returns the wave's figures.
 */
async function expectRenewalSparesOffScreen(page: Page, traffic: PhotoTraffic, when: string) {
  const all = await avatars(page);
  const withPhoto = all.filter((a) => a.state !== 'none');
  const off = new Set(withPhoto.filter((a) => a.distance > OFF_SCREEN).map((a) => a.person));
  const nearby = withPhoto.length - off.size;
  expect(off.size, `photos off screen ${when}`).toBeGreaterThan(0);

  const from = Date.now();
  await waitUntil(page, latestExpiry(await photosOnScreen(page)) + 1_000);
  await expect
    .poll(() => stalePhotosOnScreen(page), { message: `photos on screen after a renewal ${when}`, timeout: 5_000 })
    .toEqual([]);

  const calls = traffic.resignsBetween(from);
  expect(calls.length, `re-sign calls across the renewal ${when}`).toBeGreaterThan(0);
  const asked = calls.flatMap((c) => c.people);
  expect(asked.filter((p) => off.has(p)), `off-screen people re-signed ${when}`).toEqual([]);
  const fetched = traffic.storeBetween(from);
  expect(fetched.filter((c) => c.person === undefined).length, 'store requests for URLs no API answer handed out').toBe(0);
  expect(fetched.filter((c) => off.has(c.person!)).map((c) => c.person), `off-screen people fetched ${when}`).toEqual([]);
  expect(fetched.length, `store requests ${when}`).toBeLessThanOrEqual(nearby * waves(calls).length);
  return { nearby, off: off.size, calls: calls.length, ids: asked.length, storeRequests: fetched.length };
}

test('photos off screen are neither loaded nor renewed; scrolled into view they load', async ({ page }) => {
  test.setTimeout(90_000);
  const { traffic } = await openWatchedDirectory(page);

  // Below the fold from the start: never given a URL, never fetched.
  const start = await avatars(page);
  const below = start.filter((a) => a.state !== 'none' && a.distance > OFF_SCREEN);
  expect(below.length, 'photos below the fold').toBeGreaterThan(0);
  expect(below.filter((a) => a.src || a.state === 'loaded').map((a) => a.person), 'off-screen photos given a src').toEqual([]);
  const atTop = await expectRenewalSparesOffScreen(page, traffic, 'at the top');

  // Scroll at least a screen and a half down: the first rows leave the screen.
  const firstScreen = new Set((await photosOnScreen(page)).map((a) => a.person));
  const h = page.viewportSize()!.height;
  const target = below.find((a) => a.distance > h / 2)!;
  expect(target, 'a photo half a screen below the fold').toBeTruthy();
  await page.locator(`[data-testid="avatar"][data-person="${target.person}"]`)
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const scrolled = await expectPhotosOnScreenLoaded(page, 20_000);
  expect(scrolled, 'photos on screen after scrolling').toBeGreaterThan(0);
  const left = (await avatars(page)).filter((a) => firstScreen.has(a.person) && a.distance > OFF_SCREEN);
  expect(left.length, 'first-screen photos now off screen').toBeGreaterThan(0);
  const down = await expectRenewalSparesOffScreen(page, traffic, 'after scrolling down');

  // Back to the top: the first rows' URLs have long expired; they heal.
  await page.getByTestId('person-card').first().evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await page.evaluate(() => window.scrollTo(0, 0));
  await expectPhotosOnScreenLoaded(page, 20_000);
  await expect.poll(() => stalePhotosOnScreen(page), { message: 'photos back on screen' }).toEqual([]);
  const back = (await photosOnScreen(page)).filter((a) => firstScreen.has(a.person));
  expect(back.length, 'first-screen photos back on screen').toBeGreaterThan(0);

  report('off-screen', { atTop, down, leftScreen: left.length });
});
