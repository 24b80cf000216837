// The SPA's four bundles (src/apps/): each area loads only its own wasm,
// and links between areas hand over to the other bundle with a page load.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

const HR = 'hr@lanyard.example';

/** The wasm files this document has fetched so far. */
async function wasmLoaded(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((path) => path.endsWith('.wasm')),
  );
}

test('an employee browsing the directory never downloads the other bundles', async ({ page }) => {
  await signIn(page);
  await page.locator('.person-card__link').first().click();
  await expect(page.getByTestId('profile-name')).toBeVisible();
  const wasm = await wasmLoaded(page);
  expect(wasm).toHaveLength(1);
  expect(wasm[0]).toMatch(/^\/lanyard-spa-[0-9a-f]+_bg\.wasm$/);
});

test('"My photo" opens its own bundle and Back returns to the directory', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('my-photo-link').click();
  await expect(page).toHaveURL(/\/me\/photo$/);
  await expect(page.getByTestId('my-photo-page')).toBeVisible();
  expect(await wasmLoaded(page)).toEqual([expect.stringMatching(/^\/apps\/my-photo\/lanyard-my-photo-[0-9a-f]+_bg\.wasm$/)]);
  // The header's home link leads back into the directory bundle.
  await page.locator('.topbar__home').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('people-grid')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('my-photo-page')).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('people-grid')).toBeVisible();
});

test("HR's desk is its own bundle, and its links out of the desk load the directory", async ({ page }) => {
  await signIn(page, HR);
  await page.getByTestId('hr-link').click();
  await expect(page).toHaveURL(/\/hr\/reviews$/);
  await expect(page.getByTestId('review-queue')).toBeVisible();
  expect(await wasmLoaded(page)).toEqual([expect.stringMatching(/^\/apps\/hr\/lanyard-hr-[0-9a-f]+_bg\.wasm$/)]);
  // "Back to the directory" is a plain link to `/`: the desk's router
  // leaves it to the browser, which loads the directory bundle.
  await page.goto('/hr/no-such-section');
  await expect(page.getByTestId('not-found')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the directory' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('people-grid')).toBeVisible();
});

test('signing in from another bundle returns to it', async ({ page }) => {
  await page.goto('/me/photo');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fme%2Fphoto$/);
  await page.getByTestId('email').fill('employee@lanyard.example');
  await page.getByTestId('password').fill(process.env.LANYARD_DEMO_PASSWORD ?? 'demo-pass-123');
  await page.getByTestId('sign-in-submit').click();
  await expect(page).toHaveURL(/\/me\/photo$/);
  await expect(page.getByTestId('my-photo-page')).toBeVisible();
});

test('the org chart is its own bundle, and its profile links load the directory', async ({ page }) => {
  await signIn(page);
  const me = await (await page.request.get('/api/me')).json();
  await page.goto(`/people/${me.id}/org`);
  await expect(page.getByRole('tree')).toBeVisible();
  expect(await wasmLoaded(page)).toEqual([expect.stringMatching(/^\/apps\/org\/lanyard-org-[0-9a-f]+_bg\.wasm$/)]);
  await page.getByTestId('org-profile-link').click();
  await expect(page.getByTestId('profile-name')).toHaveText(me.name);
  expect(await wasmLoaded(page)).toEqual([expect.stringMatching(/^\/lanyard-spa-[0-9a-f]+_bg\.wasm$/)]);
});
