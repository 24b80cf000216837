// Single sign-on through a real OpenID Provider (npm's oidc-provider, its
// own login page), started by scripts/test.sh (LANYARD_E2E_SSO=1) with the
// accounts of e2e/oidc/accounts.json. The people are imported here by HR,
// with no password: single sign-on is their only way in.
import { expect, test, type Page } from '@playwright/test';
import { PASSWORD } from './helpers';

test.skip(!process.env.LANYARD_E2E_SSO, 'needs the test OpenID Provider (scripts/test.sh)');

const HR = 'hr@lanyard.example';
const IMPORTED = 'sso.imported@lanyard.example';
const HR_BY_GROUP = 'sso.hr@lanyard.example';
const LEAVER = 'sso.leaver@lanyard.example';
const STRANGER = 'stranger@elsewhere.example';

test.beforeAll(async ({ request }) => {
  const signedIn = await request.post('/api/session', { data: { email: HR, password: PASSWORD } });
  expect(signedIn.status()).toBe(200);
  const csv = [
    'name,email,title,department,location,phone,manager_email,role',
    `Imani Ssoimported,${IMPORTED},Analyst,Finance,Lisbon,,,employee`,
    `Hana Ssohr,${HR_BY_GROUP},People Partner,People,Lisbon,,,employee`,
    `Leo Ssoleaver,${LEAVER},Analyst,Finance,Lisbon,,,employee`,
  ].join('\n');
  const imported = await request.post('/api/hr/import', { data: { csv, dry_run: false } });
  expect(imported.status(), await imported.text()).toBe(200);
});

/** Signs in with the provider as `email`, through its own login form. */
async function signInWithProvider(page: Page, email: string) {
  // The directory's second page: a page of the SPA with a query to return to.
  await page.goto('/sign-in?next=%2F%3Fpage%3D2');
  await page.getByTestId('sso-sign-in').click();
  // The provider's development login page.
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
}

async function me(page: Page) {
  const response = await page.request.get('/api/me');
  return { status: response.status(), body: response.ok() ? await response.json() : null };
}

test('an imported person with no password signs in and lands where they started', async ({ page }) => {
  await signInWithProvider(page, IMPORTED);
  await expect(page).toHaveURL(/\/\?page=2$/);
  await expect(page.getByTestId('people-grid')).toBeVisible();
  const who = await me(page);
  expect(who.status).toBe(200);
  expect(who.body.email).toBe(IMPORTED);
  expect(who.body.role).toBe('employee');
});

test("a member of the provider's HR group gets HR's desk", async ({ page }) => {
  await signInWithProvider(page, HR_BY_GROUP);
  await expect(page.getByTestId('people-grid')).toBeVisible();
  expect((await me(page)).body.role).toBe('hr');
  await page.goto('/hr/reviews');
  await expect(page.getByRole('heading', { name: /review/i }).first()).toBeVisible();
});

test('someone not in the directory is told to ask HR', async ({ page }) => {
  await signInWithProvider(page, STRANGER);
  await expect(page.getByTestId('sign-in-problem')).toContainText('Ask HR');
  expect((await me(page)).status).toBe(401);
});

test('a deactivated person is refused', async ({ page, request }) => {
  expect((await request.post('/api/session', { data: { email: HR, password: PASSWORD } })).status()).toBe(200);
  const found = await request.get(`/api/hr/people?q=${encodeURIComponent(LEAVER)}&status=all`);
  const { people } = await found.json();
  expect(people.length).toBe(1);
  expect((await request.post(`/api/hr/people/${people[0].id}/deactivate`)).status()).toBe(200);

  await signInWithProvider(page, LEAVER);

  await expect(page.getByTestId('sign-in-problem')).toContainText('Ask HR');
  expect((await me(page)).status).toBe(401);
});

test("signing out ends Lanyard's session and offers the provider's sign-out", async ({ page }) => {
  await signInWithProvider(page, IMPORTED);
  await expect(page.getByTestId('people-grid')).toBeVisible();

  await page.getByTestId('sign-out').click();

  await expect(page.getByTestId('provider-sign-out')).toBeVisible();
  expect((await me(page)).status).toBe(401);
  await page.getByTestId('provider-sign-out').click();
  // The provider asks to confirm, then sends the browser back to Lanyard.
  await page.locator('button[type="submit"], button[autofocus]').first().click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/(sign-in.*)?$/);
});
