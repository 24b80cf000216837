// Finding and keeping people (issue 19): copy buttons for email and phone,
// "Add to contacts" (a vCard with no photo), `/` to search, dark mode.
import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { signIn } from './helpers';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('email and phone copy to the clipboard and say so', async ({ page }) => {
  const me = await (await page.request.get('/api/me')).json();
  await page.goto(`/people/${me.id}`);
  await expect(page.getByTestId('profile-name')).toHaveText(me.name);

  await page.getByTestId('copy-email').click();
  await expect(page.getByTestId('copy-email')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(me.email);
  // The link stays a mailto: link.
  await expect(page.getByTestId('email-link')).toHaveAttribute('href', `mailto:${me.email}`);

  const phone = (await page.getByTestId('phone-link').textContent())!.trim();
  await page.getByTestId('copy-phone').click();
  await expect(page.getByTestId('copy-phone')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(phone);
  // And back to "Copy" a moment later.
  await expect(page.getByTestId('copy-phone')).toHaveText('Copy', { timeout: 5_000 });
});

test('"Add to contacts" downloads a vCard without a photo', async ({ page }) => {
  const me = await (await page.request.get('/api/me')).json();
  await page.goto(`/people/${me.id}`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('add-to-contacts').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.vcf$/);
  const text = await readFile((await download.path())!, 'utf8');
  expect(text).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
  expect(text).toContain(`EMAIL:${me.email}`);
  expect(text.replace(/\r\n /g, '')).toContain(`FN:${me.name.replace(/,/g, '\\,')}`);
  expect(text.toUpperCase()).not.toContain('PHOTO');
  expect(text).not.toContain('X-Amz-');
});

test('"/" puts the cursor in the search box, but types a slash inside it', async ({ page }) => {
  await expect(page.getByTestId('people-grid')).toBeVisible();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await expect(page.getByTestId('search')).not.toBeFocused();
  await page.keyboard.press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await expect(page.getByTestId('search')).toHaveValue('');
  await page.keyboard.type('a/b');
  await expect(page.getByTestId('search')).toHaveValue('a/b');
});

/** The relative luminance (WCAG) of a computed `rgb(…)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

test('dark mode follows the system setting and keeps text readable', async ({ page }) => {
  const colours = async () =>
    page.evaluate(() => {
      const body = getComputedStyle(document.body);
      const card = document.querySelector('.person-card__link');
      const name = document.querySelector('[data-testid="person-name"]');
      return {
        bg: body.backgroundColor,
        text: body.color,
        card: card ? getComputedStyle(card).backgroundColor : '',
        name: name ? getComputedStyle(name).color : '',
      };
    });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await expect(page.getByTestId('person-card').first()).toBeVisible();
  const light = await colours();
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  const dark = await colours();
  expect(luminance(light.bg)).toBeGreaterThan(0.8);
  expect(luminance(dark.bg)).toBeLessThan(0.05);
  // WCAG contrast of body text on the page: at least 4.5:1 in both.
  for (const { bg, text } of [light, dark]) {
    const [hi, lo] = [luminance(bg), luminance(text)].sort((a, b) => b - a);
    expect((hi + 0.05) / (lo + 0.05)).toBeGreaterThanOrEqual(4.5);
  }
  // The cards turn dark too, and their names stay readable on them.
  expect(light.card).toBe('rgb(255, 255, 255)');
  expect(luminance(dark.card)).toBeLessThan(0.05);
  const [hi, lo] = [luminance(dark.name), luminance(dark.card)].sort((a, b) => b - a);
  expect((hi + 0.05) / (lo + 0.05)).toBeGreaterThanOrEqual(4.5);
});
