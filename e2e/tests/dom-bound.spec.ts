// Issue 8, budget 3: however far someone goes through the directory, the
// page holds one page of cards, never an ever-growing list (the directory
// pages rather than scrolls forever; at 100,000 people a growing list
// would be 100,000 cards).
import { expect, test, type Page } from '@playwright/test';
import { directoryPageSize, signIn, totalCount } from './helpers';

/** The SPA's page size, read from its own first request (not copied). */
let PAGE_SIZE = 0;

test.beforeEach(async ({ page }) => {
  await signIn(page);
  PAGE_SIZE = await directoryPageSize(page, () => page.reload());
  expect(PAGE_SIZE).toBeGreaterThan(0);
});

/**
 * Waits until page `number` is the one shown, then checks that the whole
 * document holds exactly that page's cards and avatars: the bound that an
 * ever-growing list (or cards kept hidden after paging) would break, checked
 * on every page of the walk, far from the first.
 */
async function expectPage(page: Page, number: number, total: number) {
  // The pager is drawn from the answer, so its current page changes only
  // once the new page's cards are in.
  await expect(page.getByTestId('pager').locator('[aria-current="page"]')).toHaveText(String(number));
  const expected = Math.min(PAGE_SIZE, total - (number - 1) * PAGE_SIZE);
  // Every card in the document, not only the grid's: nothing left behind.
  const cards = page.locator('[data-testid="person-card"]');
  await expect(cards, `cards on page ${number}`).toHaveCount(expected);
  // And no photos of earlier pages kept anywhere (the header may show the
  // signed-in person's own).
  const photos = await page.locator('img[alt^="Photo of "]').count();
  expect(photos, `photos in the whole document on page ${number}`).toBeLessThanOrEqual(expected + 1);
}

test('walking every page keeps one page of cards in the DOM', async ({ page }) => {
  test.setTimeout(120_000);
  const total = await totalCount(page);
  const pages = Math.ceil(total / PAGE_SIZE);
  expect(pages, 'the demo directory spans several pages').toBeGreaterThan(2);

  const seen = new Set<string>();
  const next = page.getByTestId('pager').getByRole('link', { name: 'Next →' });
  for (let number = 1; number <= pages; number++) {
    if (number > 1) {
      await next.click();
      await expect(page).toHaveURL(new RegExp(`[?&]page=${number}(&|$)`));
    }
    await expectPage(page, number, total);
    // Each step shows new people: the walk really moves through the list.
    for (const link of await page.getByTestId('person-card').locator('a').all()) {
      seen.add((await link.getAttribute('href')) ?? '');
    }
  }
  await expect(next).toHaveCount(0);
  expect(seen.size, 'distinct people seen on the walk').toBe(total);

  // And back again with the browser's Back button, through the history the
  // walk left.
  for (let number = pages - 1; number >= Math.max(1, pages - 3); number--) {
    await page.goBack();
    await expectPage(page, number, total);
  }
});

test('jumping to the last page and back keeps one page of cards', async ({ page }) => {
  const total = await totalCount(page);
  const pages = Math.ceil(total / PAGE_SIZE);
  const pager = page.getByTestId('pager');
  await pager.getByRole('link', { name: String(pages), exact: true }).click();
  await expectPage(page, pages, total);
  await pager.getByRole('link', { name: '1', exact: true }).click();
  await expectPage(page, 1, total);
});
