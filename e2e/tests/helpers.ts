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

/**
 * Waits until every photo inside the viewport has finished loading, then
 * checks each really decoded (naturalWidth > 0) and that no photo fell back
 * to initials after an error. Returns how many photos were on screen.
 */
export async function expectPhotosOnScreenLoaded(page: Page): Promise<number> {
  const onScreen = `(() => {
    const h = window.innerHeight, w = window.innerWidth;
    return [...document.querySelectorAll('img[data-testid="avatar-img"]')].filter((img) => {
      const r = img.getBoundingClientRect();
      return r.bottom > 0 && r.right > 0 && r.top < h && r.left < w;
    });
  })()`;
  await page.waitForFunction(`${onScreen}.every((img) => img.complete)`);
  const photos = await page.evaluate(
    `${onScreen}.map((img) => ({ alt: img.alt, width: img.naturalWidth }))`,
  ) as { alt: string; width: number }[];
  expect(photos.filter((p) => p.width === 0), 'photos that did not decode').toEqual([]);
  await expect(page.locator('[data-photo-error]'), 'photos that failed to load').toHaveCount(0);
  return photos.length;
}
