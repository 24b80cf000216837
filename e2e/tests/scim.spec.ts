// SCIM provisioning end to end: a person an identity provider creates over
// SCIM appears in the directory and signs in through the test OpenID
// Provider (e2e/oidc: they are in its accounts); deactivated over SCIM,
// they are signed out and gone from the directory. scripts/test.sh makes
// the token (`lanyard scim-token create`) and passes it in
// LANYARD_E2E_SCIM_TOKEN.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { signIn } from './helpers';

const token = process.env.LANYARD_E2E_SCIM_TOKEN;
test.skip(!process.env.LANYARD_E2E_SSO || !token, 'needs the test OpenID Provider and a SCIM token (scripts/test.sh)');
test.describe.configure({ mode: 'serial' });

const JOINER = 'scim.joiner@lanyard.example';
const SURNAME = 'Scimjoiner';

function scim(request: APIRequestContext, method: 'post' | 'patch', path: string, body: unknown) {
  return request[method](`/scim/v2${path}`, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    data: JSON.stringify(body),
  });
}

async function search(page: Page, text: string) {
  await page.goto(`/?q=${encodeURIComponent(text)}`);
  await expect(page.getByTestId('total')).toBeVisible();
}

let id = '';

test('a person created over SCIM is in the directory and signs in with the provider', async ({ page, request, browser }) => {
  const created = await scim(request, 'post', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    userName: JOINER,
    externalId: 'e2e-joiner-1',
    name: { givenName: 'Sofia', familyName: SURNAME },
    displayName: `Sofia ${SURNAME}`,
    title: 'Payments Engineer',
    emails: [{ value: JOINER, type: 'work', primary: true }],
    active: true,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Payments' },
  });
  expect(created.status(), await created.text()).toBe(201);
  id = (await created.json()).id;

  // A colleague finds them.
  const colleague = await browser.newPage();
  await signIn(colleague);
  await search(colleague, SURNAME);
  await expect(colleague.getByTestId('person-name')).toHaveText([`Sofia ${SURNAME}`]);
  await colleague.close();

  // They sign in through the provider: no password was ever set.
  await page.goto('/sign-in');
  await page.getByTestId('sso-sign-in').click();
  await page.locator('input[name="login"]').fill(JOINER);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId('people-grid')).toBeVisible();
  const me = await page.request.get('/api/me');
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe(JOINER);

  // Deactivated over SCIM: signed out at the next request, gone from the directory.
  const off = await scim(request, 'patch', `/Users/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });
  expect(off.status(), await off.text()).toBe(200);
  expect((await page.request.get('/api/me')).status()).toBe(401);
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in/);

  const other = await browser.newPage();
  await signIn(other);
  await search(other, SURNAME);
  await expect(other.getByTestId('empty')).toContainText('No one matches');
  await other.close();
});
