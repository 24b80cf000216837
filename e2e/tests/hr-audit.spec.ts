// The audit log: a photo someone looked at shows up as a URL grant naming
// that person, filtered in HR's audit view and in its CSV export.
import { expect, test } from '@playwright/test';
import { EMPLOYEE, PASSWORD, signIn } from './helpers';

const HR = 'hr@lanyard.example';

test('the audit view shows the grants of a photo that was viewed', async ({ page, browser, baseURL }) => {
  test.setTimeout(60_000);
  await signIn(page, HR);
  const hr = await (await page.request.get('/api/me')).json();

  // Someone with a photo, far from the first page other specs look at.
  const listed = await (await page.request.get('/api/people?page=5&per_page=24')).json();
  const subject = listed.people.find((p: { photo: unknown; id: number }) => p.photo && p.id !== hr.id);
  expect(subject, 'a person with a photo').toBeTruthy();
  const profile = await (await page.request.get(`/api/people/${subject.id}`)).json();
  const email: string = profile.person.email;

  // The employee opens that person's profile: the server signs their photo.
  const context = await browser.newContext({ baseURL });
  let viewer: { id: number; name: string };
  try {
    const employee = await context.newPage();
    await signIn(employee, EMPLOYEE, PASSWORD);
    viewer = await (await employee.request.get('/api/me')).json();
    await employee.goto(`/people/${subject.id}`);
    const photo = employee.getByTestId('profile').locator(`[data-testid="avatar"][data-person="${subject.id}"]`);
    await expect(photo).toHaveAttribute('data-photo', 'loaded');
  } finally {
    await context.close();
  }

  // Grants are written in batches: wait until the log has this one.
  const query = `person=${subject.id}&actor=${viewer.id}&action=urls_granted`;
  await expect
    .poll(async () => (await (await page.request.get(`/api/hr/audit?${query}`)).json()).entries.length, {
      message: 'urls_granted entries by the employee about the person',
    })
    .toBeGreaterThan(0);

  await page.getByTestId('hr-link').click();
  await page.getByTestId('hr-tabs').getByText('Audit log').click();
  await expect(page).toHaveURL(/\/hr\/audit$/);
  const picker = page.getByTestId('audit-person');
  await picker.getByTestId('picker-input').fill(email);
  await picker.getByTestId('picker-option').filter({ hasText: email }).click();
  await expect(picker.getByTestId('picker-chosen')).toContainText(subject.name);
  await page.getByTestId('audit-action').selectOption('urls_granted');

  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();
  const read = () =>
    rows.evaluateAll((trs) =>
      trs.map((tr) => ({ action: tr.getAttribute('data-action'), subjects: (tr.getAttribute('data-subjects') ?? '').split(' ') })),
    );
  // The table is redrawn when the filtered answer arrives; until then it
  // still shows the person's other entries (other specs act on them too).
  await expect
    .poll(async () => (await read()).every((r) => r.action === 'urls_granted'), { message: 'only grants are listed' })
    .toBe(true);
  const shown = await read();
  expect(shown.every((r) => r.subjects.includes(String(subject.id))), 'every grant names the person').toBe(true);
  await expect(rows.filter({ hasText: viewer.name }).first(), 'the employee\'s grant, by name').toBeVisible();

  // The export carries the same filters and lists the same grants.
  const href = await page.getByTestId('audit-csv').getAttribute('href');
  expect(href).toBe(`/api/hr/audit.csv?person=${subject.id}&action=urls_granted`);
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain('urls_granted');
});
