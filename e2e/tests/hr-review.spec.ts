// HR's review queue: a photo approved shows in the directory, a photo
// rejected shows its reason to its owner, and a decision someone else
// already made is reported, not repeated.
//
// The photos are the HR account's own (HR is staff too): only the two demo
// accounts can sign in, and my-photo.spec.ts uploads as the demo employee
// at the same time (a new upload cancels that person's uploads in flight,
// and it checks which of their versions is current). Serial: every test
// here uploads as HR.
import { expect, test, type Page } from '@playwright/test';
import { EMPLOYEE, PASSWORD, makeJpeg, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const HR = 'hr@lanyard.example';

/** Uploads a fresh photo on "My photo"; returns its (pending) version id. */
async function uploadOwnPhoto(page: Page): Promise<string> {
  await page.getByTestId('my-photo-link').click();
  await expect(page.getByTestId('file-input')).toBeEnabled();
  await page.getByTestId('file-input').setInputFiles({
    name: 'portrait.jpg',
    mimeType: 'image/jpeg',
    buffer: await makeJpeg(page, 640, 640),
  });
  // The version is the one this upload completes (an earlier one may be
  // pending too, and it is replaced).
  const completed = page.waitForResponse((r) => /\/api\/me\/photo\/uploads\/[0-9a-f]{32}\/complete$/.test(new URL(r.url()).pathname));
  await page.getByTestId('crop-confirm').click();
  const answer = await completed;
  expect(answer.status(), 'the upload completes').toBe(200);
  const version: string = (await answer.json()).latest.id;
  expect(version).toMatch(/^[0-9a-f]{32}$/);
  const latest = page.getByTestId('latest-photo');
  await expect(latest).toHaveAttribute('data-version', version);
  await expect(latest.getByTestId('photo-state')).toHaveText('Pending review');
  return version;
}

/** Opens the review queue from the header; returns the item for `version`. */
async function openQueueItem(page: Page, version: string) {
  await page.getByTestId('hr-link').click();
  await expect(page).toHaveURL(/\/hr\/reviews$/);
  const item = page.locator(`[data-testid="review-item"][data-version="${version}"]`);
  await expect(item).toBeVisible();
  return item;
}

test('HR approves a pending photo and everyone\'s directory shows it', async ({ page, browser, baseURL }) => {
  test.setTimeout(60_000);
  await signIn(page, HR);
  const me = await (await page.request.get('/api/me')).json();
  const version = await uploadOwnPhoto(page);

  const item = await openQueueItem(page, version);
  await expect(item.getByTestId('review-name')).toHaveText(me.name);
  // The proposed photo really loads from its short-lived review URL.
  const img = item.getByTestId('review-img');
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  await item.getByTestId('approve').click();
  await expect(item).toHaveCount(0);

  const mine = await (await page.request.get('/api/me/photo')).json();
  expect(mine.current?.id, 'the approved version is the current one').toBe(version);

  // An employee's directory card for this person shows the new version.
  const context = await browser.newContext({ baseURL });
  try {
    const employee = await context.newPage();
    await signIn(employee, EMPLOYEE, PASSWORD);
    await employee.getByTestId('search').fill(me.email);
    const card = employee.getByTestId('person-card').filter({ has: employee.locator(`[data-person="${me.id}"]`) });
    await expect(card).toHaveCount(1);
    const avatar = card.getByTestId('avatar');
    await expect(avatar).toHaveAttribute('data-photo', 'loaded');
    // Compared in the page: a failing assertion would print the URL, a credential.
    const shows = await avatar
      .getByTestId('avatar-img')
      .evaluate((i, v) => new URL(i.getAttribute('src') ?? '', location.href).pathname.includes(`/${v}/`), version);
    expect(shows, 'the card\'s photo is the approved version').toBe(true);
  } finally {
    await context.close();
  }
});

test('a decision someone else made first is reported and the queue refreshed', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, HR);
  const version = await uploadOwnPhoto(page);
  const item = await openQueueItem(page, version);

  // Another HR session decides while this page still shows the photo.
  const decided = await page.request.post(`/api/hr/reviews/${version}/approve`);
  expect(decided.status(), 'the other decision').toBe(204);
  await item.getByTestId('reject').click();
  await item.getByTestId('reject-reason').fill('Too late to matter.');
  await item.getByTestId('reject-confirm').click();
  await expect(page.getByTestId('review-notice')).toContainText('Someone else decided');
  await expect(item).toHaveCount(0);
});

test('HR rejects with a reason and the owner reads it on "My photo"', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, HR);
  const version = await uploadOwnPhoto(page);
  const item = await openQueueItem(page, version);

  await item.getByTestId('reject').click();
  const confirm = item.getByTestId('reject-confirm');
  await expect(confirm, 'a reason is required').toBeDisabled();
  const reason = 'Please use a photo where your face is clearly visible.';
  await item.getByTestId('reject-reason').fill(reason);
  await expect(item.getByTestId('reason-count')).toHaveText(`${reason.length} / 500`);
  await confirm.click();
  await expect(item).toHaveCount(0);

  await page.getByTestId('my-photo-link').click();
  const latest = page.getByTestId('latest-photo');
  await expect(latest).toHaveAttribute('data-version', version);
  await expect(latest.getByTestId('photo-state')).toHaveText('Rejected');
  await expect(latest.getByTestId('rejection-reason')).toHaveText(`HR's reason: ${reason}`);
});
