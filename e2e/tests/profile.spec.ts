// The profile page: photo, contact details, manager and reports.
import { expect, test } from '@playwright/test';
import { expectPhotosOnScreenLoaded, signIn } from './helpers';

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('a profile shows its photo and links to the manager', async ({ page }) => {
  const me = await (await page.request.get('/api/me')).json();
  await page.goto(`/people/${me.id}`);

  await expect(page.getByTestId('profile-name')).toHaveText(me.name);
  await expect(page).toHaveTitle(`${me.name} · Lanyard`);
  const photo = page.getByTestId('profile').locator('.profile-hero img[data-testid="avatar-img"]');
  await expect(photo).toHaveAttribute('alt', `Photo of ${me.name}`);
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expectPhotosOnScreenLoaded(page);

  await expect(page.getByTestId('email-link')).toHaveAttribute('href', `mailto:${me.email}`);
  await expect(page.getByTestId('phone-link')).toHaveAttribute('href', /^tel:\+?\d+$/);

  const manager = page.getByTestId('manager-link');
  await expect(manager).toBeVisible();
  const managerName = (await manager.locator('.person-link__name').textContent())!.trim();
  await manager.click();
  await expect(page.getByTestId('profile-name')).toHaveText(managerName);
  // The manager's reports include the person we came from.
  await expect(page.getByTestId('reports')).toContainText(me.name);
});

test('an unknown person is a clear 404', async ({ page }) => {
  await page.goto('/people/99999999');
  await expect(page.getByTestId('profile-not-found')).toBeVisible();
  await page.goto('/people/not-a-number');
  await expect(page.getByTestId('profile-not-found')).toBeVisible();
});

test('an unknown address is a 404 inside the app', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expect(page.getByTestId('sign-out')).toBeVisible();
});
