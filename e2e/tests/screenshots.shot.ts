// Writes desktop (1366×900) and phone (390×844) screenshots of each page to
// e2e/screenshots/ for a person to look at: `npm run screenshots`.
import { test, type Page } from '@playwright/test';
import { expectPhotosOnScreenLoaded, signIn } from './helpers';

const sizes = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
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
    });
  });
}
