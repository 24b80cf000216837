// The directory grid: photos, search, filters, pages.
import { expect, test } from '@playwright/test';
import { directoryPageSize, expectPhotosOnScreenLoaded, signIn, totalCount } from './helpers';

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('every photo on the first screen loads from the store', async ({ page }) => {
  const cards = page.getByTestId('person-card');
  expect(await cards.count()).toBeGreaterThan(0);
  const photos = await expectPhotosOnScreenLoaded(page);
  expect(photos, 'photos on the first screen').toBeGreaterThan(0);
  // The photos come straight from the store by presigned URL. (Checked in
  // the page: a failing attribute assertion would print the whole URL, and
  // a presigned URL is a credential.)
  const first = await page.getByTestId('avatar-img').first().evaluate((img) => ({
    signed: /X-Amz-Signature=/.test(img.getAttribute('src') ?? ''),
    alt: img.getAttribute('alt'),
  }));
  expect(first.signed, 'the src is a presigned URL').toBe(true);
  expect(first.alt).toMatch(/^Photo of /);
});

test('search narrows the grid as you type', async ({ page }) => {
  const pageSize = await directoryPageSize(page, () => page.reload());
  const before = await totalCount(page);
  await expect(page.getByTestId('total')).toContainText('in the directory');
  const name = (await page.getByTestId('person-name').first().textContent())!.trim();
  const surname = name.split(' ').pop()!;

  await page.getByTestId('search').pressSequentially(surname, { delay: 30 });
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(surname)}`));
  await expect(page.getByTestId('total')).toContainText('found');
  // Screen readers hear the new count through the page's one live region.
  await expect(page.getByTestId('announcement')).toHaveText(/ found$/);
  const after = await totalCount(page);
  expect(after).toBeGreaterThan(0);
  expect(after).toBeLessThan(before);
  const names = await page.getByTestId('person-name').allTextContents();
  expect(names.length).toBe(Math.min(after, pageSize));
  expect(names).toContain(name);

  // The search is in the URL: a reload shows the same result.
  await page.reload();
  await expect(page.getByTestId('search')).toHaveValue(surname);
  expect(await totalCount(page)).toBe(after);
});

test('a search nobody matches says so', async ({ page }) => {
  await page.getByTestId('search').fill('zzzz-no-such-person');
  await expect(page.getByTestId('empty')).toContainText('No one matches');
  await expect(page.getByTestId('person-card')).toHaveCount(0);
});

test('the department filter narrows the grid', async ({ page }) => {
  const before = await totalCount(page);
  const select = page.getByTestId('department-filter');
  await expect(select.locator('option')).not.toHaveCount(1);
  const department = (await select.locator('option').nth(1).textContent())!.trim();
  await select.selectOption(department);

  await expect(page).toHaveURL(/[?&]department=/);
  await expect(page.getByTestId('total')).toContainText('found');
  const after = await totalCount(page);
  expect(after).toBeGreaterThan(0);
  expect(after).toBeLessThan(before);
  const departments = await page.getByTestId('person-department').allTextContents();
  expect(new Set(departments)).toEqual(new Set([department]));
});

test('pages move through the directory', async ({ page }) => {
  const first = await page.getByTestId('person-name').first().textContent();
  await page.getByTestId('pager').getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(page.getByTestId('person-name').first()).not.toHaveText(first!);
  await expectPhotosOnScreenLoaded(page);
});

test('a card opens the profile', async ({ page }) => {
  const card = page.getByTestId('person-card').first();
  const name = (await card.getByTestId('person-name').textContent())!.trim();
  await card.click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.getByTestId('profile-name')).toHaveText(name);
});
