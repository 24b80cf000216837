// A tab in the background renews nothing; when it is shown again it
// catches up in one batch and every photo on screen is live again.
import { expect, test, type Page } from '@playwright/test';
import { photosOnScreen } from '../helpers';
import { openWatchedDirectory, photoEvents, report, stalePhotosOnScreen, waves } from './network';

// Longer than a whole 8-second URL lifetime.
const HIDDEN_MS = 12_000;
// A request Playwright reports this soon after hiding may have started just
// before it.
const GRACE_MS = 500;

/**
 * Hides or shows the tab as the page sees it. Headless Chromium never hides
 * a page by itself, so the document's own properties are overridden (the
 * SPA reads them through the document) and the event is sent as a browser
 * would send it.
 */
async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((hide) => {
    if (hide) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    } else {
      // Back to Document.prototype's real getters.
      delete (document as { visibilityState?: unknown }).visibilityState;
      delete (document as { hidden?: unknown }).hidden;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('a hidden tab renews nothing, then catches up in one batch when shown', async ({ page }) => {
  test.setTimeout(90_000);
  const { traffic, photos } = await openWatchedDirectory(page);
  const before = new Map((await photosOnScreen(page)).map((a) => [a.person, a.src]));

  await setHidden(page, true);
  expect(await page.evaluate(() => document.visibilityState)).toBe('hidden');
  const hidden = Date.now();
  await page.waitForTimeout(HIDDEN_MS);
  const shown = Date.now();
  const whileHidden = traffic.resignsBetween(hidden + GRACE_MS, shown);
  expect(whileHidden.length, 're-sign calls while hidden').toBe(0);
  expect(traffic.storeBetween(hidden + GRACE_MS, shown).length, 'store requests while hidden').toBe(0);

  // Every URL on screen expired while hidden: shown again, one catch-up.
  await setHidden(page, false);
  expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
  await expect.poll(() => stalePhotosOnScreen(page), { message: 'photos on screen after showing', timeout: 15_000 })
    .toEqual([]);
  const healed = Date.now();
  const after = await photosOnScreen(page);
  expect(after.filter((a) => before.get(a.person) === a.src).map((a) => a.person), 'photos never renewed').toEqual([]);
  const catchUp = waves(traffic.resignsBetween(shown, healed));
  expect(catchUp.length, 'catch-up waves').toBe(1);
  expect(catchUp[0].length, 're-sign calls in the catch-up').toBeLessThanOrEqual(2);
  const asked = new Set(catchUp[0].flatMap((c) => c.people));
  expect(after.filter((a) => !asked.has(a.person)).map((a) => a.person), 'photos left out of the catch-up').toEqual([]);
  const events = await photoEvents(page);
  expect(events.states.filter((s) => s.to === 'failed'), 'photos that gave up').toEqual([]);

  report('hidden tab', {
    photos,
    resignsWhileHidden: whileHidden.length,
    catchUpCalls: catchUp[0].length,
    catchUpIds: asked.size,
    imgErrors: events.imgErrors.length,
  });
});
