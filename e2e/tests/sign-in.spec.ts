// Signing in and out, and who gets sent to the sign-in page.
import { expect, test } from '@playwright/test';
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
