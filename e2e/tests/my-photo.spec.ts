// "My photo": choosing, cropping and uploading one's own photo straight to
// the store through a presigned PUT, and what others may see of it while it
// awaits review. Against the default server.
//
// Serial: every test uploads as the demo employee, and starting an upload
// cancels that person's other uploads in flight.
import { expect, request, test, type Page, type Request } from '@playwright/test';
import { makeJpeg, PASSWORD, signIn, watchCspViolations } from './helpers';

test.describe.configure({ mode: 'serial' });

const HR = 'hr@lanyard.example';

/** One request the page made, without its query (a presigned URL is a credential). */
interface Seen {
  method: string;
  path: string;
  store: boolean;
}

/** Records the page's API calls and its requests to the store. */
function watchRequests(page: Page): Seen[] {
  const seen: Seen[] = [];
  page.on('request', (r: Request) => {
    const url = new URL(r.url());
    const store = url.searchParams.has('X-Amz-Signature');
    if (url.pathname.startsWith('/api/me/photo') || (store && r.method() === 'PUT')) {
      seen.push({ method: r.method(), path: url.pathname, store });
    }
  });
  return seen;
}

/** The crop as the cropper reports it: x, y and side in image pixels. */
async function cropOf(page: Page): Promise<[number, number, number]> {
  const value = await page.getByTestId('cropper').getAttribute('data-crop');
  const [x, y, side] = (value ?? '').split(',').map(Number);
  return [x, y, side];
}

/** Opens "My photo" from the header and waits until it can take a file. */
async function openMyPhoto(page: Page) {
  await page.getByTestId('my-photo-link').click();
  await expect(page).toHaveURL(/\/me\/photo$/);
  await expect(page.getByTestId('my-photo-page')).toBeVisible();
  await expect(page.getByTestId('file-input')).toBeEnabled();
}

test('an employee crops and uploads a photo: real progress to 100%, then pending review nobody else can see', async ({ page, baseURL }) => {
  test.setTimeout(60_000);
  // The cropper, the XHR PUT to the store and the new photo all run under
  // the app's Content-Security-Policy.
  const violations = await watchCspViolations(page);
  await signIn(page);
  const me = await (await page.request.get('/api/me')).json();
  const before = await (await page.request.get('/api/me/photo')).json();
  await openMyPhoto(page);
  const seen = watchRequests(page);

  // Every value the progress bar takes, as the page shows it.
  await page.evaluate(() => {
    const values: number[] = [];
    (window as any).progressValues = values;
    const record = () => {
      const bar = document.querySelector('[data-testid="upload-progress"]');
      const value = bar?.getAttribute('aria-valuenow');
      if (value != null && values[values.length - 1] !== Number(value)) values.push(Number(value));
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow'],
    });
  });

  await page.getByTestId('file-input').setInputFiles({
    name: 'portrait.jpg',
    mimeType: 'image/jpeg',
    buffer: await makeJpeg(page, 1200, 800, true),
  });
  await expect(page.getByTestId('cropper')).toBeVisible();
  // The largest centred square at first.
  expect(await cropOf(page)).toEqual([200, 0, 800]);

  // Zoom in with the slider, drag the photo right, then nudge it back left
  // with the keyboard.
  await page.getByTestId('crop-zoom').fill('150');
  const [zx, zy, zside] = await cropOf(page);
  expect(zside).toBe(533);
  const viewport = page.getByTestId('cropper').locator('.cropper__viewport');
  const box = (await viewport.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  const [dx, dy, dside] = await cropOf(page);
  expect(dx, 'dragging right shows more of the left').toBeLessThan(zx);
  expect(dy, 'dragging down shows more of the top').toBeLessThan(zy);
  expect(dside).toBe(zside);
  await viewport.focus();
  await page.keyboard.press('ArrowLeft');
  const [kx] = await cropOf(page);
  expect(kx, 'the left arrow moves the photo left').toBeGreaterThan(dx);

  // A slow uplink, so the bar has steps to show on a local store (the
  // exported 960 px JPEG is some tens of kilobytes).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 128 * 1024,
  });
  await page.getByTestId('crop-confirm').click();
  const progress = page.getByTestId('upload-progress');
  await expect(progress).toHaveAttribute('aria-valuenow', '100', { timeout: 20_000 });
  const latest = page.getByTestId('latest-photo');
  await expect(latest.getByTestId('photo-state')).toHaveText('Pending review', { timeout: 20_000 });
  await expect(progress).toHaveJSProperty('value', 100);
  const values: number[] = await page.evaluate(() => (window as any).progressValues);
  console.log(`progress bar values: ${values.join(', ')}`);
  expect(values[values.length - 1]).toBe(100);
  expect(values.some((v) => v > 0 && v < 100), 'the bar shows the bytes on their way').toBe(true);
  expect(values, 'the bar never goes back').toEqual([...values].sort((a, b) => a - b));

  // The new photo shows, for its owner, from the profile rendition.
  const img = latest.getByTestId('version-img');
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);

  // The bytes went to the store in one PUT, then the server completed it.
  const calls = seen.map((s) => `${s.method} ${s.store ? 'store' : s.path}`);
  const uploadId = (seen.find((s) => s.store)?.path ?? '').split('/').pop()!;
  expect(uploadId).toMatch(/^[0-9a-f]{32}$/);
  expect(calls).toEqual([
    'POST /api/me/photo/uploads',
    'PUT store',
    `POST /api/me/photo/uploads/${uploadId}/complete`,
  ]);

  // The server agrees: the new version is pending, and it is the one shown.
  const mine = await (await page.request.get('/api/me/photo')).json();
  expect(mine.latest.state).toBe('pending');
  expect(mine.latest.id).toBe(uploadId);
  await expect(latest).toHaveAttribute('data-version', uploadId);
  // The approved photo stays what it was until HR approves the new one.
  expect(mine.current?.id ?? null).toBe(before.current?.id ?? null);
  const pendingId: string = mine.latest.id;

  // Nobody else gets any URL for the pending photo: not HR, not the owner's
  // own directory entry.
  const hr = await request.newContext({ baseURL });
  try {
    const signedIn = await hr.post('/api/session', { data: { email: HR, password: PASSWORD } });
    expect(signedIn.status(), 'HR signs in').toBe(200);
    const answers = [
      await hr.get(`/api/people/${me.id}`),
      await hr.post('/api/photos/urls', { data: { people: [me.id], size: 'profile' } }),
      await hr.post('/api/photos/urls', { data: { people: [me.id], size: 'thumb' } }),
      await hr.get(`/api/people?q=${encodeURIComponent(me.name)}`),
      await page.request.get(`/api/people/${me.id}`),
      await page.request.post('/api/photos/urls', { data: { people: [me.id], size: 'thumb' } }),
    ];
    for (const answer of answers) {
      expect(answer.status(), answer.url().replace(/\?.*/, '')).toBe(200);
      const body = await answer.text();
      expect(body.includes(pendingId), `${answer.url().replace(/\?.*/, '')} names the pending version`).toBe(false);
    }
    // HR still sees the approved photo, when there is one.
    if (before.current) {
      const profile = await (await hr.get(`/api/people/${me.id}`)).json();
      expect(profile.person.photo.url.includes(before.current.id)).toBe(true);
    }
  } finally {
    await hr.dispose();
  }
  expect(violations, 'CSP violations').toEqual([]);
});

test('files that cannot be a photo are refused before any request', async ({ page }) => {
  await signIn(page);
  const { limits } = await (await page.request.get('/api/me/photo')).json();
  await openMyPhoto(page);
  const seen = watchRequests(page);
  const input = page.getByTestId('file-input');
  const error = page.getByTestId('file-error');

  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
  await expect(error).toHaveText('That file isn\'t a photo Lanyard can use. Choose a JPEG, PNG or WebP file.');

  await input.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(limits.max_bytes + 1) });
  await expect(error).toContainText('photos can be at most 10 MB');

  await input.setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('plain text, named .jpg') });
  await expect(error).toContainText('couldn\'t be read as an image');

  await input.setInputFiles({ name: 'tiny.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page, 64, 64) });
  await expect(error).toContainText(`at least ${limits.min_side}×${limits.min_side}`);

  await expect(page.getByTestId('cropper')).toHaveCount(0);
  expect(seen.filter((s) => s.path.startsWith('/api/me/photo/uploads') || s.store)).toEqual([]);
});

test('a dropped connection is retried and an expired upload URL replaced, then the upload goes through', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  await openMyPhoto(page);
  const seen = watchRequests(page);
  // The store's first answer never comes (the connection fails), its second
  // is the 403 an expired signature earns; later PUTs reach the store.
  let puts = 0;
  await page.route((url) => url.searchParams.has('X-Amz-Signature'), async (route) => {
    if (route.request().method() !== 'PUT') return route.continue();
    puts += 1;
    if (puts === 1) return route.abort('connectionreset');
    if (puts === 2) {
      return route.fulfill({
        status: 403,
        headers: { 'access-control-allow-origin': new URL(page.url()).origin, 'content-type': 'application/xml' },
        body: '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
      });
    }
    return route.continue();
  });

  await page.getByTestId('file-input').setInputFiles({
    name: 'portrait.jpg',
    mimeType: 'image/jpeg',
    buffer: await makeJpeg(page, 640, 640),
  });
  await page.getByTestId('crop-confirm').click();
  await expect(page.getByTestId('latest-photo').getByTestId('photo-state')).toHaveText('Pending review', { timeout: 20_000 });
  await expect(page.getByTestId('upload-progress')).toHaveAttribute('aria-valuenow', '100');

  const calls = seen.map((s) => `${s.method} ${s.store ? 'store' : s.path.replace(/[0-9a-f]{32}/, '{id}')}`);
  expect(calls).toEqual([
    'POST /api/me/photo/uploads',
    'PUT store',
    'PUT store',
    'POST /api/me/photo/uploads/{id}/url',
    'PUT store',
    'POST /api/me/photo/uploads/{id}/complete',
  ]);
});

test('Cancel aborts the PUT and deletes the upload', async ({ page }) => {
  await signIn(page);
  const before = await (await page.request.get('/api/me/photo')).json();
  await openMyPhoto(page);
  const seen = watchRequests(page);
  // Hold the PUT so there is something to cancel.
  await page.route((url) => url.searchParams.has('X-Amz-Signature'), () => {});

  await page.getByTestId('file-input').setInputFiles({
    name: 'portrait.jpg',
    mimeType: 'image/jpeg',
    buffer: await makeJpeg(page, 640, 640),
  });
  await page.getByTestId('crop-confirm').click();
  await expect.poll(() => seen.filter((s) => s.store).length).toBe(1);
  await page.getByTestId('upload-cancel').click();
  await expect(page.getByText('Upload cancelled.')).toBeVisible();

  const uploadId = seen.find((s) => s.store)!.path.split('/').pop()!;
  await expect.poll(() => seen.map((s) => `${s.method} ${s.path}`)).toContain(`DELETE /api/me/photo/uploads/${uploadId}`);
  // The upload is gone: completing it is refused, and the photo is as before.
  await expect.poll(async () => (await page.request.post(`/api/me/photo/uploads/${uploadId}/complete`)).status()).toBe(404);
  const after = await (await page.request.get('/api/me/photo')).json();
  expect(after.current?.id ?? null).toBe(before.current?.id ?? null);
  expect(after.latest?.id ?? null).toBe(before.latest?.id ?? null);
});
