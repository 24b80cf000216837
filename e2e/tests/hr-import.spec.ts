// HR's CSV import: a preview by line before anything is written; one bad
// line means nothing can be imported; a good file imports in one go.
// Adds people with unique e2e-import-… emails, which no other spec reads.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

const HR = 'hr@lanyard.example';
const HEADER = 'name,email,title,department,location,phone,manager_email,role';

/** Everyone HR administers, active or not, by the API. */
async function peopleCount(page: Page): Promise<number> {
  const answer = await page.request.get('/api/hr/people?status=all');
  expect(answer.status()).toBe(200);
  return (await answer.json()).total;
}

/** Chooses `csv` as the file and previews it. */
async function preview(page: Page, csv: string) {
  await page.getByTestId('csv-input').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('preview')).toBeEnabled();
  await page.getByTestId('preview').click();
  await expect(page.getByTestId('import-summary')).toContainText('Preview:');
}

test('a CSV with one bad line shows that line\'s error and imports nothing; a good one imports', async ({ page }) => {
  await signIn(page, HR);
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const person = (n: number) => `Zz Import ${stamp} ${n},e2e-import-${stamp}-${n}@lanyard.example,Analyst,Finance,Oslo,+47 555 0100,,employee`;
  const bad = [HEADER, person(1), 'Zz Import Bad,e2e-import-bad@lanyard.example,Analyst,Finance,Oslo,,,boss'].join('\n');
  const before = await peopleCount(page);

  await page.getByTestId('hr-link').click();
  await page.getByTestId('hr-tabs').getByText('Import').click();
  await expect(page).toHaveURL(/\/hr\/import$/);
  await preview(page, bad);
  const lineError = page.getByTestId('import-line-error');
  await expect(lineError).toHaveCount(1);
  await expect(lineError).toHaveAttribute('data-line', '3');
  await expect(lineError).toContainText('Line 3');
  await expect(page.getByTestId('import-add')).toHaveCount(1);
  await expect(page.getByTestId('import'), 'no import while the preview has errors').toBeDisabled();
  // Nor by the API: the server refuses the whole file.
  const forced = await page.request.post('/api/hr/import', { data: { csv: bad, dry_run: false } });
  expect(forced.status()).toBe(422);
  expect(await peopleCount(page), 'nothing was imported').toBe(before);

  const good = [HEADER, person(1), person(2)].join('\n');
  await preview(page, good);
  await expect(page.getByTestId('import-line-error')).toHaveCount(0);
  await expect(page.getByTestId('import-add')).toHaveCount(2);
  await page.getByTestId('import').click();
  await expect(page.getByTestId('import-summary')).toHaveText('Imported: 2 added, 0 updated, 0 unchanged.');
  await expect(page.getByTestId('import-report')).toHaveAttribute('data-applied', 'true');
  expect(await peopleCount(page)).toBe(before + 2);

  // The new people are in HR's list.
  await page.getByTestId('hr-tabs').getByText('People').click();
  await page.getByTestId('search').fill(`Zz Import ${stamp}`);
  await expect(page.getByTestId('hr-person-row')).toHaveCount(2);
  await expect(page.getByTestId('hr-person-row').first()).toContainText(`e2e-import-${stamp}-1@lanyard.example`);
});
