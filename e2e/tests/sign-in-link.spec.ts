// One-time sign-in links: HR makes one from a person's record and copies
// it; the person opens it in a browser of their own, chooses a password and
// is in. The link then works no more, and one left unused expires (on the
// short-lifetime server, whose links live 4 s: LANYARD_SIGN_IN_LINK_TTL=4).
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

const HR = 'hr@lanyard.example';
const DEMO = ['employee@lanyard.example', HR];
const shortURL = process.env.LANYARD_E2E_SHORT_URL ?? 'http://127.0.0.1:18081';
/** The server's sentence for a link that was used, replaced or has expired. */
const NOT_VALID = /not valid/;

interface Person {
  id: number;
  name: string;
  email: string;
}

/**
 * An active seeded person who is not a demo account, so has no password
 * (the demo seed gives passwords to the demo accounts only), taken from HR's
 * list at `page` so the tests never share one.
 */
async function personWithoutPassword(hr: Page, page: number): Promise<Person> {
  const answer = await hr.request.get(`/api/hr/people?page=${page}`);
  expect(answer.status()).toBe(200);
  const { people } = await answer.json();
  const person = people.find((p: Person & { active: boolean }) => p.active && !DEMO.includes(p.email));
  expect(person, `an active person on HR's page ${page}`).toBeTruthy();
  return person;
}

/**
 * Creates a link for `person` from their record (accepting the
 * confirmation) and answers it as shown, with what the server said.
 */
async function createLink(hr: Page, person: Person) {
  await hr.goto(`/hr/people/${person.id}`);
  await expect(hr.getByTestId('person-status')).toContainText('Active');
  hr.once('dialog', async (dialog) => {
    expect(dialog.message()).toContain('earlier link');
    await dialog.accept();
  });
  const made = hr.waitForResponse((r) => r.url().endsWith(`/api/hr/people/${person.id}/sign-in-link`));
  await hr.getByTestId('create-sign-in-link').click();
  const answer = await made;
  expect(answer.status()).toBe(201);
  const link: { server_time: number; expires_at: number } = await answer.json();
  const field = hr.getByTestId('sign-in-link');
  await expect(field).toHaveValue(/\/welcome#token=[\w-]{43}$/);
  await expect(hr.getByTestId('sign-in-link-made')).toContainText('will not be shown again');
  return { url: await field.inputValue(), lifetime: link.expires_at - link.server_time };
}

/** The link's page on `base` (the server's public URL may name another host). */
function on(base: string, link: string): string {
  const url = new URL(link);
  return new URL(`${url.pathname}${url.hash}`, base).href;
}

test('HR makes a link; the person sets a password with it and is in, once', async ({ page, context, browser, baseURL }) => {
  test.setTimeout(60_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, HR);
  const person = await personWithoutPassword(page, 5);

  // Through the desk: People, the search, the person's record.
  await page.goto('/hr/people');
  await page.getByTestId('search').fill(person.email);
  await page.getByTestId('hr-person-row').filter({ hasText: person.email }).getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/hr/people/${person.id}$`));
  const { url } = await createLink(page, person);

  await page.getByTestId('copy-sign-in-link').click();
  await expect(page.getByTestId('copy-status')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied === url, 'the clipboard holds the link shown').toBe(true);

  // The person, in a browser of their own.
  const theirs = await browser.newContext({ baseURL });
  try {
    const welcome = await theirs.newPage();
    const passwordsSent: number[] = [];
    welcome.on('response', (r) => {
      if (r.url().endsWith('/api/sign-in-link/password')) passwordsSent.push(r.status());
    });
    await welcome.goto(on(baseURL!, copied));
    await expect(welcome.getByTestId('welcome-name')).toHaveText(`Welcome, ${person.name}`);
    await expect(welcome.getByTestId('welcome-email')).toHaveText(person.email);
    // The token left the address bar, and so the history entry, at once.
    expect(await welcome.evaluate(() => location.href)).toMatch(/\/welcome$/);

    // Caught before asking the server: too short, not repeated the same.
    await welcome.getByTestId('welcome-password').fill('too short');
    await welcome.getByTestId('welcome-repeat').fill('too short');
    await welcome.getByTestId('welcome-submit').click();
    await expect(welcome.getByTestId('welcome-form-error')).toContainText('at least 12 characters');
    await welcome.getByTestId('welcome-password').fill('purple otter kite');
    await welcome.getByTestId('welcome-repeat').fill('purple otter kites');
    await welcome.getByTestId('welcome-submit').click();
    await expect(welcome.getByTestId('welcome-form-error')).toHaveText('The two passwords are not the same.');
    expect(passwordsSent).toEqual([]);

    // Refused by the server (400): its sentence is shown.
    await welcome.getByTestId('welcome-password').fill('password1234');
    await welcome.getByTestId('welcome-repeat').fill('password1234');
    await welcome.getByTestId('welcome-submit').click();
    await expect(welcome.getByTestId('welcome-form-error')).toContainText('first that anyone would guess');
    expect(passwordsSent).toEqual([400]);

    const chosen = `purple otter kite ${Date.now()}`;
    await welcome.getByTestId('welcome-password').fill(chosen);
    await welcome.getByTestId('welcome-repeat').fill(chosen);
    await welcome.getByTestId('welcome-submit').click();
    await expect(welcome).toHaveURL(/\/$/);
    await expect(welcome.getByTestId('people-grid')).toBeVisible();
    await expect(welcome.getByTestId('current-user')).toContainText(person.name);
    const me = await welcome.request.get('/api/me');
    expect(me.status()).toBe(200);
    expect((await me.json()).email).toBe(person.email);

    // The same link a second time: spent.
    await welcome.goto(on(baseURL!, copied));
    await expect(welcome.getByTestId('welcome-error')).toContainText(NOT_VALID);
    await expect(welcome.getByTestId('welcome-password')).toHaveCount(0);

    // The password chosen is theirs from now on.
    await welcome.goto('/');
    await welcome.getByTestId('sign-out').click();
    await expect(welcome.getByTestId('sign-in-form')).toBeVisible();
    await signIn(welcome, person.email, chosen);
  } finally {
    await theirs.close();
  }
});

test('a link that has expired is refused', async ({ browser }) => {
  test.setTimeout(60_000);
  const hrContext = await browser.newContext({ baseURL: shortURL });
  const theirs = await browser.newContext({ baseURL: shortURL });
  try {
    const hr = await hrContext.newPage();
    await signIn(hr, HR);
    const person = await personWithoutPassword(hr, 6);
    const { url, lifetime } = await createLink(hr, person);
    expect(lifetime, 'links on the short-lifetime server live 4 s (LANYARD_SIGN_IN_LINK_TTL=4)').toBeLessThanOrEqual(4_000);

    await hr.waitForTimeout(lifetime + 1_000);
    const welcome = await theirs.newPage();
    await welcome.goto(on(shortURL, url));
    await expect(welcome.getByTestId('welcome-error')).toContainText(NOT_VALID);
    await expect(welcome.getByTestId('welcome-name')).toHaveCount(0);
  } finally {
    await hrContext.close();
    await theirs.close();
  }
});

test('the welcome page without a link says what it needs', async ({ page }) => {
  await page.goto('/welcome');
  await expect(page.getByTestId('welcome-error')).toContainText('sign-in link HR gave you');
});
