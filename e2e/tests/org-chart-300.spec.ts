// A manager with 300 reports (issue 19): the chart opens on the first 48,
// "Show more" asks for one page at a time, and the tree stays usable from
// the keyboard. The people come from HR's import, so this spec runs after
// every spec that counts the directory (playwright.config.ts, "late").
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const HR = 'hr@lanyard.example';
const HEADER = 'name,email,title,department,location,phone,manager_email,role';
const REPORTS = 300;

test('a manager with 300 reports opens a page at a time', async ({ page }) => {
  await signIn(page, HR);
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const boss = `e2e-org-${stamp}-boss@lanyard.example`;
  const lines = [HEADER, `Zz Org ${stamp} Boss,${boss},Director,Operations,Oslo,+47 555 0100,,employee`];
  for (let n = 1; n <= REPORTS; n++) {
    const padded = String(n).padStart(3, '0');
    lines.push(`Zz Org ${stamp} ${padded},e2e-org-${stamp}-${n}@lanyard.example,Analyst,Operations,Oslo,+47 555 0100,${boss},employee`);
  }
  const imported = await page.request.post('/api/hr/import', { data: { csv: lines.join('\n'), dry_run: false } });
  expect(imported.status()).toBe(200);
  const found = await (await page.request.get(`/api/people?q=${encodeURIComponent(`Zz Org ${stamp} Boss`)}`)).json();
  const id: number = found.people[0].id;

  const branchPages: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes(`/api/people/${id}/reports`)) branchPages.push(new URL(r.url()).search);
  });
  const started = Date.now();
  await page.goto(`/people/${id}/org`);
  const manager = page.locator(`[role=treeitem][data-person="${id}"]`);
  // The manager is the top of the chart (no manager of their own): level 1.
  await expect(manager).toHaveAttribute('aria-level', '1');
  const reports = manager.locator('[role=treeitem][aria-level="2"]');
  await expect(reports).toHaveCount(48);
  const first = Date.now() - started;
  await expect(manager).toHaveAttribute('aria-label', /300 reports/);
  const more = page.getByTestId('org-more');
  await expect(more).toHaveText('Show more (48 of 300 shown)');

  for (let shown = 96; shown < REPORTS; shown += 48) {
    await more.click();
    await expect(reports).toHaveCount(shown);
  }
  await more.click();
  await expect(reports).toHaveCount(REPORTS);
  await expect(more).toHaveCount(0);
  const all = Date.now() - started;
  // One request per further page, never one per person.
  expect(branchPages).toEqual(['?page=2', '?page=3', '?page=4', '?page=5', '?page=6', '?page=7']);
  // In name order, each once.
  const names = await reports.evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')!.split(',')[0]));
  expect(new Set(names).size).toBe(REPORTS);
  expect(names).toEqual([...names].sort());

  // End reaches the 300th; Home the top (the manager, who has none).
  await manager.focus();
  await page.keyboard.press('End');
  const last = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
  expect(last).toContain(`Zz Org ${stamp} 300`);
  await page.keyboard.press('Home');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-person'))).toBe(String(id));
  // A figure, not a goal: how long the chart and all 300 took here.
  console.log(`org chart of 300 reports: first 48 shown in ${first} ms, all 300 in ${all} ms`);
});
