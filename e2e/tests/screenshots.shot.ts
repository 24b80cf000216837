// Writes desktop (1366×900) and phone (390×844 and the narrowest common,
// 360×740) screenshots of every page to e2e/screenshots/ for a person to
// look at: `npm run screenshots`. What a machine can check of the phone
// layout (nothing overlaps, nothing scrolls sideways) is layout.spec.ts.
import { test, type Page } from '@playwright/test';
import { expectPhotosOnScreenLoaded, PASSWORD, signIn } from './helpers';

const sizes = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
  'phone-360': { width: 360, height: 740 },
};

for (const [device, viewport] of Object.entries(sizes)) {
  test.describe(device, () => {
    test.use({ viewport });

    const shot = (page: Page, name: string) =>
      page.screenshot({ path: `screenshots/${device}-${name}.png` });

    test('pages', async ({ page }) => {
      await page.goto('/sign-in');
      await page.getByTestId('sign-in-form').waitFor();
      await shot(page, '1-sign-in');

      await page.getByTestId('sign-in-submit').click();
      await page.getByTestId('sign-in-error').waitFor();
      await shot(page, '2-sign-in-error');

      await signIn(page);
      await expectPhotosOnScreenLoaded(page);
      await shot(page, '3-directory');

      await page.getByTestId('search').fill('engineer');
      await page.waitForURL(/q=engineer/);
      await page.getByTestId('total').filter({ hasText: 'found' }).waitFor();
      await expectPhotosOnScreenLoaded(page);
      await shot(page, '4-search');

      const me = await (await page.request.get('/api/me')).json();
      await page.goto(`/people/${me.id}`);
      await page.getByTestId('profile').waitFor();
      await expectPhotosOnScreenLoaded(page);
      await shot(page, '5-profile');
      await page.screenshot({ path: `screenshots/${device}-6-profile-full.png`, fullPage: true });

      await page.goto('/me/photo');
      await page.getByTestId('my-photo-page').waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, '7-my-photo');
    });

    test("HR's desk", async ({ page }) => {
      await signIn(page, 'hr@lanyard.example', PASSWORD);
      for (const [n, tab] of ['reviews', 'people', 'import', 'audit'].entries()) {
        await page.goto(`/hr/${tab}`);
        await page.locator('main').waitFor();
        await page.waitForLoadState('networkidle');
        await shot(page, `${8 + n}-hr-${tab}`);
      }
    });
  });
}
