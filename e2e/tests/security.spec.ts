// Browser hardening, in a real browser: the app runs under its strict
// Content-Security-Policy without a single violation, and a page of another
// site cannot make a signed-in browser change anything.
import { expect, test } from '@playwright/test';
import { EMPLOYEE, expectPhotosOnScreenLoaded, makeJpeg, signIn, watchCspViolations } from './helpers';

test('the page is served with a strict policy and no framing', async ({ page }) => {
  const response = await page.goto('/');
  const headers = response!.headers();
  const csp = headers['content-security-policy'];
  const scripts = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src '));
  expect(scripts).toMatch(/^script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'$/);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
});

test('browsing and cropping cause no CSP violation', async ({ page }) => {
  test.setTimeout(60_000);
  const violations = await watchCspViolations(page);

  // Sign in, browse the directory, search, open a profile.
  await signIn(page);
  await expectPhotosOnScreenLoaded(page);
  await page.getByTestId('person-card').first().click();
  await expect(page.getByTestId('profile-name')).toBeVisible();
  await expectPhotosOnScreenLoaded(page);
  await page.goBack();
  await page.getByTestId('search').fill('a');
  await expect(page.getByTestId('total')).toContainText('found');
  await expectPhotosOnScreenLoaded(page);

  // Choose a photo (previewed from a blob: URL) and crop it. Uploading it
  // is my-photo.spec.ts's, which watches for violations too: both demo
  // accounts' uploads belong to serial specs (a new upload cancels the
  // person's others in flight).
  await page.getByTestId('my-photo-link').click();
  await expect(page.getByTestId('file-input')).toBeEnabled();
  await page.getByTestId('file-input').setInputFiles({
    name: 'portrait.jpg',
    mimeType: 'image/jpeg',
    buffer: await makeJpeg(page, 900, 600),
  });
  await expect(page.getByTestId('cropper')).toBeVisible();
  await expect
    .poll(() => page.locator('.cropper__img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  // The cropper places the photo through the CSSOM, which the policy allows.
  await page.getByTestId('crop-zoom').fill('150');
  const width = await page.locator('.cropper__img').evaluate((img: HTMLImageElement) => img.style.width);
  expect(width).toBe('225%');

  // Sign out, back to the sign-in page.
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('sign-in-form')).toBeVisible();

  expect(violations).toEqual([]);
});

test('a form on another site cannot sign the visitor in as someone else', async ({ page, baseURL }) => {
  // The same server under its other loopback name is another site.
  const app = new URL(baseURL!);
  const names: Record<string, string> = { '127.0.0.1': 'localhost', localhost: '127.0.0.1' };
  test.skip(!(app.hostname in names), `no second name for ${app.hostname}`);
  const other = new URL(baseURL!);
  other.hostname = names[app.hostname];
  await signIn(page);
  const me = await (await page.request.get('/api/me')).json();

  // The other site's page, served by the test (a fetch from it would meet
  // Chromium's local-network checks; a form navigation is the classic
  // attack anyway): a text/plain form whose body reads as JSON.
  const evil = await page.context().newPage();
  await evil.route(`${other.origin}/evil`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body:
        `<!doctype html><title>Another site</title>` +
        `<form method="post" enctype="text/plain" action="${app.origin}/api/session">` +
        `<input name='{"email":"${EMPLOYEE}","password":"' value='guess"}'></form>`,
    }),
  );
  await evil.goto(`${other.origin}/evil`);
  const answer = evil.waitForResponse((r) => r.url() === `${app.origin}/api/session`);
  await evil.evaluate(() => document.forms[0].submit());

  const refused = await answer;
  expect(refused.status()).toBe(403);
  expect((await refused.json()).code).toBe('forbidden');
  // The visitor's own session is untouched.
  const still = await page.request.get('/api/me');
  expect(still.status()).toBe(200);
  expect((await still.json()).id).toBe(me.id);
  await evil.close();
});
