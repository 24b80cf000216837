// Phone layout (issue 18): on a 360 px wide phone (the narrowest common
// one) and at 390 px, every page fits the screen: nothing scrolls sideways,
// and nothing in the top bar (the home link, HR's and My photo's links,
// one's photo, Sign out) overlaps anything else or leaves the screen.
// At 390 px the avatar used to sit on top of "Sign out".
import { expect, test, type Page } from '@playwright/test';
import { PASSWORD, signIn } from './helpers';

const HR = 'hr@lanyard.example';

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The top bar's visible parts, with their boxes. */
async function topBarParts(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const parts = document.querySelectorAll<HTMLElement>(
      '.topbar__home, .topbar__link, .topbar__me .avatar, .topbar__name, [data-testid="sign-out"]',
    );
    return [...parts]
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).display !== 'none')
      .map((el) => {
        const r = el.getBoundingClientRect();
        const name = el.dataset.testid ?? el.className;
        return { name, x: r.x, y: r.y, width: r.width, height: r.height };
      });
  });
}

function overlaps(a: Box, b: Box): boolean {
  // Touching edges is fine; half a pixel of rounding too.
  const e = 0.5;
  return a.x + a.width > b.x + e && b.x + b.width > a.x + e && a.y + a.height > b.y + e && b.y + b.height > a.y + e;
}

async function expectFits(page: Page, what: string, signedIn = true) {
  await page.waitForLoadState('networkidle');
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${what}: nothing scrolls sideways`).toBeLessThanOrEqual(innerWidth);
  if (!signedIn) return;
  const parts = await topBarParts(page);
  expect(parts.map((p) => p.name), `${what}: the top bar's parts`).toContain('sign-out');
  for (const part of parts) {
    expect(part.x, `${what}: ${part.name} starts on screen`).toBeGreaterThanOrEqual(0);
    expect(part.x + part.width, `${what}: ${part.name} ends on screen`).toBeLessThanOrEqual(innerWidth);
  }
  for (let i = 0; i < parts.length; i++) {
    for (let j = i + 1; j < parts.length; j++) {
      expect(overlaps(parts[i], parts[j]), `${what}: ${parts[i].name} overlaps ${parts[j].name}`).toBe(false);
    }
  }
}

for (const width of [360, 390]) {
  test.describe(`${width} px wide`, () => {
    test.use({ viewport: { width, height: 740 } });

    test("sign-in and an employee's pages", async ({ page }) => {
      await page.goto('/sign-in');
      await expect(page.getByTestId('email')).toBeVisible();
      await expectFits(page, 'sign-in', false);
      await signIn(page);
      await expect(page.getByTestId('person-card').first()).toBeVisible();
      await expectFits(page, 'directory');
      const me = await (await page.request.get('/api/me')).json();
      await page.goto(`/people/${me.id}`);
      await expect(page.getByTestId('profile-name')).toBeVisible();
      await expectFits(page, 'profile');
      await page.goto('/me/photo');
      await expect(page.getByTestId('my-photo-page')).toBeVisible();
      await expectFits(page, 'My photo');
    });

    test("HR's pages, whose bar has one more link", async ({ page }) => {
      await signIn(page, HR, PASSWORD);
      await expect(page.getByTestId('person-card').first()).toBeVisible();
      await expectFits(page, 'directory (HR)');
      for (const tab of ['reviews', 'people', 'import', 'audit']) {
        await page.goto(`/hr/${tab}`);
        await expect(page.locator('main')).toBeVisible();
        await expectFits(page, `HR ${tab}`);
      }
    });
  });
}
