// Signing in and out, and who gets sent to the sign-in page.
import { expect, test, type Page } from '@playwright/test';
import { EMPLOYEE, PASSWORD, signIn } from './helpers';

test('a visitor without a session is sent to sign-in', async ({ page }) => {
  await page.goto('/people/1');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fpeople%2F1$/);
  await expect(page.getByTestId('sign-in-form')).toBeVisible();
});

test('a wrong password shows one clear message', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByTestId('email').fill(EMPLOYEE);
  await page.getByTestId('password').fill('not-the-password');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sign-in-error')).toHaveText('Email or password is incorrect.');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('an unknown email gets the same message as a wrong password', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByTestId('email').fill('nobody@lanyard.example');
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sign-in-error')).toHaveText('Email or password is incorrect.');
});

test('empty fields are caught before asking the server', async ({ page }) => {
  let asked = false;
  page.on('request', (r) => { if (r.url().endsWith('/api/session')) asked = true; });
  await page.goto('/sign-in');
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('sign-in-error')).toHaveText('Enter your email and password.');
  expect(asked).toBe(false);
});

test('signing in returns to the page asked for', async ({ page }) => {
  await page.goto('/?q=engineer');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByTestId('email').fill(EMPLOYEE);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await expect(page).toHaveURL(/\/\?q=engineer$/);
  await expect(page.getByTestId('search')).toHaveValue('engineer');
});

test('the header shows who is signed in; sign-out ends the session', async ({ page }) => {
  await signIn(page);
  const me = await (await page.request.get('/api/me')).json();
  await expect(page.getByTestId('current-user')).toContainText(me.name);

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId('sign-in-form')).toBeVisible();

  // The session is gone server-side too: the directory sends us back.
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get('/api/me')).status()).toBe(401);
});

test('a session that ends mid-visit leads back to sign-in', async ({ page, context }) => {
  await signIn(page);
  await context.clearCookies();
  await page.getByTestId('search').fill('a');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});

// What the sign-in page offers comes from GET /api/session/options; the
// answers below are the browser's own (page.route), so these run against
// any server, single sign-on set up or not.

test('a failing options call still shows the password form', async ({ page }) => {
  await page.route('**/api/session/options', (route) => route.abort());
  await page.goto('/sign-in');
  await expect(page.getByTestId('sign-in-form')).toBeVisible();
  await expect(page.getByText('Trying the demo?')).toBeVisible();
  await expect(page.getByTestId('sso-sign-in')).toHaveCount(0);
});

test('with single sign-on only, the provider is offered and the form is not', async ({ page }) => {
  await page.route('**/api/session/options', (route) =>
    route.fulfill({ json: { password: false, provider: { name: 'Example ID', start: '/api/sso/start' } } }),
  );
  await page.goto('/sign-in?next=%2Fpeople%2F7%3Ftab%3Da%26b');
  const sso = page.getByTestId('sso-sign-in');
  await expect(sso).toHaveText('Sign in with Example ID');
  // A full-page navigation the app's router leaves alone, back to `next`.
  await expect(sso).toHaveAttribute('href', '/api/sso/start?return_to=%2Fpeople%2F7%3Ftab%3Da%26b');
  await expect(sso).toHaveAttribute('rel', 'external');
  await expect(page.getByTestId('sign-in-form')).toHaveCount(0);
  await expect(page.getByText('Trying the demo?')).toHaveCount(0);
});

/** Answers sign-out as a server would for a single sign-on session. */
async function signOutOfProvider(page: Page, providerSignOut: string) {
  await page.route('**/api/session/options', (route) =>
    route.fulfill({ json: { password: true, provider: { name: 'Example ID', start: '/api/sso/start' } } }),
  );
  await page.route('**/api/session', async (route) => {
    if (route.request().method() !== 'DELETE') return route.fallback();
    const response = await route.fetch();
    expect(response.status(), 'the real sign-out').toBe(200);
    await route.fulfill({ response, json: { provider_sign_out: providerSignOut } });
  });
}

test("signing out of a single sign-on session offers the provider's sign-out, in memory only", async ({ page }) => {
  const providerSignOut = 'http://127.0.0.1:9/end-session?id_token_hint=secret-hint';
  await signIn(page);
  await signOutOfProvider(page, providerSignOut);
  await page.getByTestId('sign-out').click();

  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId('signed-out')).toContainText('You are signed out of Lanyard.');
  const link = page.getByTestId('provider-sign-out');
  await expect(link).toHaveText('Also sign out of Example ID');
  await expect(link).toHaveAttribute('href', providerSignOut);
  await expect(link).toHaveAttribute('rel', 'external');
  await expect(page.getByTestId('sign-in-form')).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(401);
  // Never in the address bar or storage: a reload forgets it.
  const kept = await page.evaluate(() => [location.href, JSON.stringify(localStorage), JSON.stringify(sessionStorage)].join(' '));
  expect(kept).not.toContain('secret-hint');
  await page.reload();
  await expect(page.getByTestId('sign-in-form')).toBeVisible();
  await expect(page.getByTestId('provider-sign-out')).toHaveCount(0);
});

test("signing out on HR's desk offers the provider's sign-out there", async ({ page }) => {
  const providerSignOut = 'http://127.0.0.1:9/end-session';
  await signIn(page, 'hr@lanyard.example');
  await page.goto('/hr/reviews');
  await expect(page.getByTestId('hr-tabs')).toBeVisible();
  await signOutOfProvider(page, providerSignOut);
  await page.getByTestId('sign-out').click();

  // The desk is another bundle than the sign-in page: the notice shows here.
  await expect(page.getByTestId('provider-sign-out')).toHaveAttribute('href', providerSignOut);
  await expect(page.getByTestId('provider-sign-out')).toHaveText('Also sign out of Example ID');
  expect((await page.request.get('/api/me')).status()).toBe(401);
  await page.getByTestId('sign-in-again').click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId('sign-in-form')).toBeVisible();
});
