// Shared steps for Lanyard's end-to-end tests.
import { expect, type Page } from '@playwright/test';

export const EMPLOYEE = 'employee@lanyard.example';
export const PASSWORD = process.env.LANYARD_DEMO_PASSWORD ?? 'demo-pass-123';

/**
 * Signs in through the form, waits for the directory grid, and checks the
 * session really belongs to `email` (the header names that person).
 */
export async function signIn(page: Page, email = EMPLOYEE, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByTestId('email').fill(email);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('people-grid')).toBeVisible();
  const me = await page.request.get('/api/me');
  expect(me.status(), 'GET /api/me after signing in').toBe(200);
  const who = await me.json();
  expect(who.email).toBe(email);
  await expect(page.getByTestId('current-user')).toContainText(who.name);
}

/** The number in the "N people …" line above the grid. */
export async function totalCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('total').textContent()) ?? '';
  const match = text.replace(/,/g, '').match(/(\d+)/);
  expect(match, `a number in "${text}"`).not.toBeNull();
  return Number(match![1]);
}

/** One avatar as the page shows it (see the `Avatar` component). */
export interface AvatarOnPage {
  /** `data-person`: whose photo. */
  person: number;
  /** `data-photo`: none | waiting | loading | loaded | failed. */
  state: string;
  /** Whether the frame carries `data-photo-error`. */
  error: boolean;
  /** Whether it offers the retry button. */
  retry: boolean;
  /** The photo's URL, when the `<img>` is there (a credential: never print it). */
  src: string | null;
  /** The decoded image's width; 0 until it has decoded. */
  width: number;
  /**
   * How far outside the viewport the frame is, in CSS pixels (0 when any of
   * it is inside); Infinity for a frame that is not laid out at all.
   */
  distance: number;
}

/** Every avatar in the page, with its distance from the viewport. */
export async function avatars(page: Page): Promise<AvatarOnPage[]> {
  return page.evaluate(() => {
    const h = window.innerHeight, w = window.innerWidth;
    return [...document.querySelectorAll<HTMLElement>('[data-testid="avatar"]')].map((el) => {
      const r = el.getBoundingClientRect();
      const laidOut = r.width > 0 && r.height > 0;
      const dy = Math.max(0, -r.bottom, r.top - h);
      const dx = Math.max(0, -r.right, r.left - w);
      const img = el.querySelector<HTMLImageElement>('img[data-testid="avatar-img"]');
      return {
        person: Number(el.dataset.person),
        state: el.dataset.photo ?? '',
        error: el.hasAttribute('data-photo-error'),
        retry: !!el.querySelector('[data-testid="photo-retry"]'),
        src: img?.getAttribute('src') || null,
        width: img?.naturalWidth ?? 0,
        // A frame touching the edge (distance 0) is on screen.
        distance: laidOut ? Math.max(dx, dy) : Infinity,
      };
    });
  });
}

/** The avatars with a photo (data-photo is not "none") inside the viewport. */
export async function photosOnScreen(page: Page): Promise<AvatarOnPage[]> {
  return (await avatars(page)).filter((a) => a.state !== 'none' && a.distance === 0);
}

/**
 * Waits until every photo inside the viewport has loaded (data-photo =
 * "loaded"), then checks each really decoded (naturalWidth > 0) and that no
 * photo gave up (data-photo-error). Returns how many photos were on screen.
 */
export async function expectPhotosOnScreenLoaded(page: Page, timeout = 15_000): Promise<number> {
  await expect
    .poll(
      async () => (await photosOnScreen(page)).filter((a) => a.state !== 'loaded').map((a) => `${a.person}: ${a.state}`),
      { message: 'on-screen photos that have not loaded', timeout },
    )
    .toEqual([]);
  const photos = await photosOnScreen(page);
  expect(photos.filter((p) => p.width === 0).map((p) => p.person), 'photos that did not decode').toEqual([]);
  await expect(page.locator('[data-photo-error]'), 'photos that failed to load').toHaveCount(0);
  return photos.length;
}
