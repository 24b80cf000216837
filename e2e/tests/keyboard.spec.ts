// Finding people from the keyboard (issue 19): `/` puts the cursor in the
// search box, ↓ goes on to the first result, the arrow keys move through
// the grid (↑/↓ keep the column), Home/End jump, ↑ from the first row goes
// back to the box, and Enter opens the focused person.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

/** The focused card's index among the results, or -1 (-2: the search box). */
function focusedCard(page: Page): Promise<number> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active?.getAttribute('data-testid') === 'search') return -2;
    const links = [...document.querySelectorAll('[data-testid=people-grid] .person-card__link')];
    return links.indexOf(active as Element);
  });
}

test('arrow keys and Enter move through the results', async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId('person-card').first()).toBeVisible();
  await page.locator('body').press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await page.keyboard.type('an');
  await page.waitForURL(/q=an/);
  await expect(page.getByTestId('total')).toContainText('found');

  const { count, columns } = await page.evaluate(() => {
    const cards = [...document.querySelectorAll<HTMLElement>('[data-testid=people-grid] .person-card__link')];
    const top = cards[0].offsetTop;
    return { count: cards.length, columns: cards.filter((c) => c.offsetTop === top).length };
  });
  expect(count, 'enough results for two rows').toBeGreaterThan(columns);
  expect(columns).toBeGreaterThan(1);

  await page.keyboard.press('ArrowDown');
  expect(await focusedCard(page)).toBe(0);
  await page.keyboard.press('ArrowRight');
  expect(await focusedCard(page)).toBe(1);
  await page.keyboard.press('ArrowDown');
  expect(await focusedCard(page), 'the same column, a row down').toBe(1 + columns);
  await page.keyboard.press('ArrowLeft');
  expect(await focusedCard(page)).toBe(columns);
  await page.keyboard.press('ArrowUp');
  expect(await focusedCard(page)).toBe(0);
  await page.keyboard.press('End');
  expect(await focusedCard(page)).toBe(count - 1);
  await page.keyboard.press('Home');
  expect(await focusedCard(page)).toBe(0);
  await page.keyboard.press('ArrowUp');
  expect(await focusedCard(page), 'back in the search box').toBe(-2);
  await expect(page.getByTestId('search')).toHaveValue('an');

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  const href = await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute('href'));
  expect(href).toMatch(/^\/people\/\d+$/);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`${href}$`));
  await expect(page.getByTestId('profile-name')).toBeVisible();
});
