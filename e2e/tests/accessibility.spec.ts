// Accessibility checked in a real browser (issue 19): axe-core (npm, run
// in the page through Playwright, which the app's CSP does not block) on
// every page, in light and dark mode: no serious or critical violation of
// WCAG 2.1 A/AA or axe's best practices. No rule is disabled.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD, signIn } from './helpers';

const AXE = readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const HR = 'hr@lanyard.example';

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** The serious and critical violations on the page as it is now. */
async function violations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  const found: Violation[] = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations;
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function describe(found: Violation[]): string {
  return found
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n'))
    .join('\n');
}

/**
 * Checks the page in light and then dark mode. Reduced motion turns the
 * colour transitions off (style/base.css), and running animations are
 * waited out: axe measures the colours on screen, and a button caught
 * mid-transition between schemes has colours of neither.
 */
async function expectAccessible(page: Page, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    const found = await violations(page);
    expect(found, `${name} (${colorScheme}):\n${describe(found)}`).toEqual([]);
  }
}

test('the sign-in page', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByTestId('email')).toBeVisible();
  await expectAccessible(page, 'sign-in');
});

test("an employee's pages: directory, search, profile, org chart, My photo", async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId('person-card').first()).toBeVisible();
  await expectAccessible(page, 'directory');
  await page.getByTestId('search').fill('zzzz-no-such-person');
  await expect(page.getByTestId('empty')).toBeVisible();
  await expectAccessible(page, 'directory, nobody found');
  const me = await (await page.request.get('/api/me')).json();
  await page.goto(`/people/${me.id}`);
  await expect(page.getByTestId('profile-name')).toBeVisible();
  await expectAccessible(page, 'profile');
  await page.goto(`/people/${me.manager}/org`);
  await expect(page.getByRole('tree')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, 'org chart');
  await page.goto('/me/photo');
  await expect(page.getByTestId('my-photo-page')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectAccessible(page, 'My photo');
});

test("each tab of HR's desk", async ({ page }) => {
  await signIn(page, HR, PASSWORD);
  for (const tab of ['reviews', 'people', 'import', 'locations', 'audit']) {
    await page.goto(`/hr/${tab}`);
    await expect(page.locator('main')).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, `HR ${tab}`);
  }
});
