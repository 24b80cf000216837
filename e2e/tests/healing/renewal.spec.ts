// Photos outlive their URLs: with 8-second URLs, a directory left open
// across several expiries keeps every photo on screen, renewed in one
// coalesced call per wave.
import { expect, test } from '@playwright/test';
import { photosOnScreen } from '../helpers';
import {
  latestExpiry,
  openWatchedDirectory,
  photoEvents,
  report,
  stalePhotosOnScreen,
  urlExpiry,
  waitUntil,
  waves,
} from './network';

const EXPIRIES = 3;

test('photos on screen stay loaded across three expiries, at most two re-sign calls a wave', async ({ page }) => {
  test.setTimeout(90_000);
  const { traffic, photos: onScreen } = await openWatchedDirectory(page);
  expect(onScreen, 'photos on the first screen').toBeGreaterThan(0);
  const loadedAt = Date.now();

  let current = await photosOnScreen(page);
  const srcs = new Map(current.map((a) => [a.person, a.src]));
  const checkpoints: { expiry: number; renewed: number }[] = [];
  for (let i = 0; i < EXPIRIES; i++) {
    // Just past the moment every URL now on screen has expired.
    const expiry = latestExpiry(current);
    await waitUntil(page, expiry + 1_000);
    await expect
      .poll(() => stalePhotosOnScreen(page), { message: `photos on screen after expiry ${i + 1}`, timeout: 5_000 })
      .toEqual([]);
    current = await photosOnScreen(page);
    // Renewal really happened: each photo shows a URL other than the one
    // it had, living past the expiry just passed.
    const same = current.filter((a) => srcs.get(a.person) === a.src).map((a) => a.person);
    expect(same, `photos still on the URL they had before expiry ${i + 1}`).toEqual([]);
    expect(Math.min(...current.map((a) => urlExpiry(a.src!))), 'the earliest expiry on screen').toBeGreaterThan(expiry);
    checkpoints.push({ expiry, renewed: current.length });
    current.forEach((a) => srcs.set(a.person, a.src));
  }

  const calls = traffic.resignsBetween(loadedAt);
  const grouped = waves(calls);
  expect(grouped.length, 'renewal waves').toBeGreaterThanOrEqual(EXPIRIES);
  expect(grouped.map((w) => w.length).filter((n) => n > 2), 'waves with more than two re-sign calls').toEqual([]);
  expect(calls.length).toBeLessThanOrEqual(2 * grouped.length);
  // Every wave hands out URLs that live longer than the last wave's.
  // (A wave whose answer is still on its way has no expiries yet.)
  const waveExpiry = grouped.map((w) => Math.max(...w.flatMap((c) => c.expiries))).filter(Number.isFinite);
  for (let i = 1; i < waveExpiry.length; i++) {
    expect(waveExpiry[i], `expires_at of wave ${i + 1} against wave ${i}`).toBeGreaterThan(waveExpiry[i - 1]);
  }

  // Renewal came before expiry, so no <img> ever failed or gave up.
  const events = await photoEvents(page);
  expect(events.imgErrors, 'people whose <img> fired an error').toEqual([]);
  expect(events.states.filter((s) => s.to === 'failed'), 'photos that gave up').toEqual([]);

  report('renewal', {
    onScreen,
    waves: grouped.length,
    callsPerWave: grouped.map((w) => w.length),
    idsPerWave: grouped.map((w) => w.reduce((n, c) => n + c.people.length, 0)),
    storeRequests: traffic.storeBetween(loadedAt).length,
    leftLoaded: events.states.filter((s) => s.from === 'loaded').length,
    checkpoints: checkpoints.length,
  });
});
