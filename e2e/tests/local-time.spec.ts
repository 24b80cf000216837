// Local time (issue 19): HR sets a location's IANA time zone on the desk;
// profiles and cards of the people there show the time there. A mistyped
// zone is refused in plain words and changes nothing. Runs with the specs
// that change the directory, after those that read it ("late").
import { expect, test } from '@playwright/test';
import { EMPLOYEE, signIn } from './helpers';

const HR = 'hr@lanyard.example';

test('HR sets a location\'s time zone; profiles and cards show the local time', async ({ page }) => {
  await signIn(page, HR);
  const employee = (await (await page.request.get(`/api/people?q=${encodeURIComponent(EMPLOYEE)}`)).json()).people[0];
  const location: string = employee.location;

  await page.goto('/hr/locations');
  const row = page.locator(`[data-testid=location-row][data-location="${location}"]`);
  const input = row.getByTestId('time-zone-input');
  await expect(input).toBeVisible();

  // A typo: refused with a way forward, nothing saved.
  await input.fill('Asia/Singapur');
  await row.getByTestId('time-zone-save').click();
  await expect(row.getByTestId('time-zone-error')).toContainText('IANA name such as Europe/Paris');

  // Typed loosely, saved as the database spells it.
  await input.fill('asia/singapore');
  await row.getByTestId('time-zone-save').click();
  await expect(row.getByTestId('time-zone-saved')).toHaveText('Saved: Asia/Singapore.');
  await expect(input).toHaveValue('Asia/Singapore');

  // The time the profile shows is Singapore's, as the browser computes it.
  await page.goto(`/people/${employee.id}`);
  const shown = page.getByTestId('local-time');
  await expect(shown).toContainText(`local time in ${location}`);
  const expected = await page.evaluate(() =>
    new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Singapore' }).format(new Date()),
  );
  expect(await shown.textContent()).toContain(expected.slice(0, 2));

  // Cards of that location show it too; others do not.
  await page.goto(`/?location=${encodeURIComponent(location)}`);
  await expect(page.getByTestId('person-card').first().getByTestId('local-time')).toBeVisible();

  // Cleared: no local time any more.
  await page.goto('/hr/locations');
  await input.fill('');
  await row.getByTestId('time-zone-save').click();
  await expect(row.getByTestId('time-zone-saved')).toHaveText('Cleared.');
  await page.goto(`/people/${employee.id}`);
  await expect(page.getByTestId('profile-name')).toBeVisible();
  await expect(page.getByTestId('local-time')).toHaveCount(0);
});
