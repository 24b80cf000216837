// The org chart (issue 19): from a profile to the chain of managers up to
// the top, the person, and their reports, with photos from the chart's own
// answer; a tree for the keyboard (↑/↓, →/←, Home/End, Enter) with one item
// in the Tab order.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

/** The focused tree item's person id, or null. */
function focusedPerson(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const active = document.activeElement;
    return active?.getAttribute('role') === 'treeitem' ? active.getAttribute('data-person') : null;
  });
}

test('a profile leads to the chart of its reporting line, with photos', async ({ page }) => {
  await signIn(page);
  const me = await (await page.request.get('/api/me')).json();
  const api: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/api/')) api.push(path);
  });

  await page.goto(`/people/${me.id}`);
  await page.getByTestId('org-chart-link').click();
  await page.waitForURL(new RegExp(`/people/${me.id}/org$`));
  const tree = page.getByRole('tree');
  await expect(tree).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`Org chart: ${me.name}`));

  // The chain from the top (the CEO, id 1) down to me, each branch open.
  const chart = await (await page.request.get(`/api/people/${me.id}/org`)).json();
  const chain: number[] = chart.managers.map((m: { id: number }) => m.id);
  expect(chain[0]).toBe(1);
  expect(chain[chain.length - 1]).toBe(me.manager);
  const items = tree.getByRole('treeitem');
  for (const [level, id] of chain.entries()) {
    const item = tree.locator(`[role=treeitem][data-person="${id}"]`);
    await expect(item).toHaveAttribute('aria-level', String(level + 1));
    await expect(item).toHaveAttribute('aria-expanded', 'true');
  }
  const mine = tree.locator('[aria-current=true]');
  await expect(mine).toHaveAttribute('data-person', String(me.id));
  await expect(mine).toHaveAttribute('tabindex', '0');
  await expect(items).toHaveCount(chain.length + 1 + chart.reports.people.length);
  await expect(tree.locator('[role=treeitem][tabindex="0"]')).toHaveCount(1);

  // The photos came in the chart's answer: no per-card or batch requests.
  const photos = tree.locator('[data-photo=loaded]');
  await expect(photos.first()).toBeVisible();
  expect(api.filter((p) => p.startsWith('/api/photos'))).toEqual([]);
  expect(api.filter((p) => p.endsWith('/org'))).toHaveLength(1);
});

test('the chart is a tree for the keyboard', async ({ page }) => {
  await signIn(page);
  const me = await (await page.request.get('/api/me')).json();
  // My manager's chart: them open on their reports (me among them), closed.
  await page.goto(`/people/${me.manager}/org`);
  const tree = page.getByRole('tree');
  const lead = tree.locator('[aria-current=true]');
  await expect(lead).toHaveAttribute('data-person', String(me.manager));
  const chart = await (await page.request.get(`/api/people/${me.manager}/org`)).json();

  // Tab reaches the chart's person, the one item in the Tab order.
  await page.getByTestId('org-profile-link').focus();
  await page.keyboard.press('Tab');
  expect(await focusedPerson(page)).toBe(String(me.manager));

  // Home: the top; End: the last report; ↑/↓ step through the visible items.
  await page.keyboard.press('Home');
  expect(await focusedPerson(page)).toBe('1');
  await expect(tree.locator('[role=treeitem][tabindex="0"]')).toHaveAttribute('data-person', '1');
  await page.keyboard.press('End');
  const last = chart.reports.people[chart.reports.people.length - 1];
  expect(await focusedPerson(page)).toBe(String(last.id));
  await page.keyboard.press('ArrowUp');
  expect(await focusedPerson(page)).toBe(String(chart.reports.people[chart.reports.people.length - 2].id));

  // ← from a report: its parent. ← on an open branch closes it, → opens it.
  await page.keyboard.press('ArrowLeft');
  expect(await focusedPerson(page)).toBe(String(me.manager));
  await page.keyboard.press('ArrowLeft');
  await expect(lead).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('End');
  expect(await focusedPerson(page), 'a closed branch hides its reports').toBe(String(me.manager));
  await page.keyboard.press('ArrowRight');
  await expect(lead).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  expect(await focusedPerson(page)).toBe(String(chart.reports.people[0].id));

  // Enter opens the focused person's profile.
  await lead.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/people/${me.manager}$`));
  await expect(page.getByTestId('profile-name')).toHaveText(chart.person.name);
});

test('→ on a closed branch loads its reports, in one request', async ({ page }) => {
  await signIn(page);
  // The top of the company: its reports are department heads, who have
  // reports of their own (the demo company's shape; asserted, not assumed).
  const chart = await (await page.request.get('/api/people/1/org')).json();
  const head = chart.reports.people.find((p: { reports: number }) => p.reports > 0);
  expect(head, 'a report of the CEO with reports').toBeTruthy();
  await page.goto('/people/1/org');
  const branch = page.getByRole('tree').locator(`[role=treeitem][data-person="${head.id}"]`);
  await expect(branch).toHaveAttribute('aria-expanded', 'false');
  await expect(branch.locator('[role=treeitem]')).toHaveCount(0);
  const requests: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/reports')) requests.push(new URL(r.url()).pathname); });
  await branch.focus();
  await page.keyboard.press('ArrowRight');
  await expect(branch).toHaveAttribute('aria-expanded', 'true');
  await expect(branch.locator('[role=treeitem][aria-level="3"]')).toHaveCount(Math.min(head.reports, 48));
  expect(requests).toEqual([`/api/people/${head.id}/reports`]);
  // Closed and opened again: the loaded reports stay, nothing is asked again.
  await page.keyboard.press('ArrowLeft');
  await expect(branch).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(branch.locator('[role=treeitem][aria-level="3"]')).toHaveCount(Math.min(head.reports, 48));
  expect(requests).toHaveLength(1);
});

test('an unknown person or a malformed id shows "not found"', async ({ page }) => {
  await signIn(page);
  for (const path of ['/people/999999/org', '/people/abc/org']) {
    await page.goto(path);
    await expect(page.getByTestId('org-not-found')).toBeVisible();
  }
});
