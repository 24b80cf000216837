// Finding a team (issue 19): "My team" lists the people who report to
// one's own manager, a profile leads to its person's reports in the
// directory, and the "Reports to …" filter lives in the URL with a way out.
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

test('"My team" and "Reports to …" narrow the directory to a manager\'s reports', async ({ page }) => {
  await signIn(page);
  const me = await (await page.request.get('/api/me')).json();
  expect(me.manager, 'the demo employee has a manager').toBeTruthy();
  const lead = await (await page.request.get(`/api/people/${me.manager}`)).json();
  const reports: number = lead.person.reports.length;

  await page.getByTestId('my-team').click();
  await page.waitForURL(new RegExp(`\\?manager=${me.manager}$`));
  await expect(page.getByTestId('manager-filter')).toContainText(`Reports to ${lead.person.name}`);
  await expect(page.getByTestId('my-team')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('total')).toHaveText(new RegExp(`^${reports} (people|person) found$`));
  await expect(page.getByTestId('person-name').filter({ hasText: me.name })).toHaveCount(1);

  // Kept across a reload, and combined with a search.
  await page.reload();
  await expect(page.getByTestId('manager-filter')).toContainText(lead.person.name);
  await page.getByTestId('search').fill(me.name);
  await page.waitForURL(/q=/);
  await expect(page).toHaveURL(new RegExp(`manager=${me.manager}`));
  await expect(page.getByTestId('person-name').first()).toHaveText(me.name);

  // The chip's ×: the filter goes, the search stays.
  await page.getByTestId('manager-filter').getByRole('link').click();
  await expect(page).not.toHaveURL(/manager=/);
  await expect(page.getByTestId('manager-filter')).toHaveCount(0);

  // From the manager's profile to their reports in the directory.
  await page.goto(`/people/${me.manager}`);
  await page.getByTestId('team-in-directory').click();
  await page.waitForURL(new RegExp(`\\?manager=${me.manager}$`));
  await expect(page.getByTestId('total')).toHaveText(new RegExp(`^${reports} (people|person) found$`));
});

test('a manager id that is no one shows a clear empty list, and a malformed one no filter', async ({ page }) => {
  await signIn(page);
  await page.goto('/?manager=999999');
  await expect(page.getByTestId('manager-filter')).toContainText('someone not in the directory');
  await expect(page.getByTestId('empty')).toBeVisible();
  await page.goto('/?manager=abc');
  await expect(page.getByTestId('manager-filter')).toHaveCount(0);
  await expect(page.getByTestId('person-card').first()).toBeVisible();
});
