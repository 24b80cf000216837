// Shared steps for Lanyard's end-to-end tests.
import { expect, type Page } from '@playwright/test';

export const EMPLOYEE = 'employee@lanyard.example';
export const PASSWORD = process.env.LANYARD_DEMO_PASSWORD ?? 'demo-pass-123';

/**
 * Signs in through the form, waits for the directory grid, and checks the
 * session really belongs to `email` (the header names that person).
 */
export async function signIn(page: Page, email = EMPLOYEE, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByTestId('email').fill(email);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('people-grid')).toBeVisible();
  const me = await page.request.get('/api/me');
  expect(me.status(), 'GET /api/me after signing in').toBe(200);
  const who = await me.json();
  expect(who.email).toBe(email);
  await expect(page.getByTestId('current-user')).toContainText(who.name);
}

/** The number in the "N people …" line above the grid. */
export async function totalCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('total').textContent()) ?? '';
  const match = text.replace(/,/g, '').match(/(\d+)/);
  expect(match, `a number in "${text}"`).not.toBeNull();
  return Number(match![1]);
}

/** One avatar as the page shows it (see the `Avatar` component). */
export interface AvatarOnPage {
  /** `data-person`: whose photo. */
  person: number;
  /** `data-photo`: none | waiting | loading | loaded | failed. */
  state: string;
  /** Whether the frame carries `data-photo-error`. */
  error: boolean;
  /** Whether it offers the retry button. */
  retry: boolean;
  /** The photo's URL, when the `<img>` is there (a credential: never print it). */
  src: string | null;
  /** The decoded image's width; 0 until it has decoded. */
  width: number;
  /**
   * How far outside the viewport the frame is, in CSS pixels (0 when any of
   * it is inside); Infinity for a frame that is not laid out at all.
   */
  distance: number;
}

/** Every avatar in the page, with its distance from the viewport. */
export async function avatars(page: Page): Promise<AvatarOnPage[]> {
  return page.evaluate(() => {
    const h = window.innerHeight, w = window.innerWidth;
    return [...document.querySelectorAll<HTMLElement>('[data-testid="avatar"]')].map((el) => {
      const r = el.getBoundingClientRect();
      const laidOut = r.width > 0 && r.height > 0;
      const dy = Math.max(0, -r.bottom, r.top - h);
      const dx = Math.max(0, -r.right, r.left - w);
      const img = el.querySelector<HTMLImageElement>('img[data-testid="avatar-img"]');
      return {
        person: Number(el.dataset.person),
        state: el.dataset.photo ?? '',
        error: el.hasAttribute('data-photo-error'),
        retry: !!el.querySelector('[data-testid="photo-retry"]'),
        src: img?.getAttribute('src') || null,
        width: img?.naturalWidth ?? 0,
        // A frame touching the edge (distance 0) is on screen.
        distance: laidOut ? Math.max(dx, dy) : Infinity,
      };
    });
  });
}

/** The avatars with a photo (data-photo is not "none") inside the viewport. */
export async function photosOnScreen(page: Page): Promise<AvatarOnPage[]> {
  return (await avatars(page)).filter((a) => a.state !== 'none' && a.distance === 0);
}

/**
 * Waits until every photo inside the viewport has loaded (data-photo =
 * "loaded") and decoded (naturalWidth > 0), both read in one look at the
 * page: read apart, a grid that changed in between (a search's later
 * answer) showed new, undecoded images and failed a run. Then checks no
 * photo gave up (data-photo-error). Returns how many photos were on screen.
 */
export async function expectPhotosOnScreenLoaded(page: Page, timeout = 15_000): Promise<number> {
  let shown = 0;
  await expect
    .poll(
      async () => {
        const photos = await photosOnScreen(page);
        shown = photos.length;
        return photos
          .filter((a) => a.state !== 'loaded' || a.width === 0)
          .map((a) => `${a.person}: ${a.state === 'loaded' ? 'loaded but not decoded' : a.state}`);
      },
      { message: 'on-screen photos that have not loaded and decoded', timeout },
    )
    .toEqual([]);
  await expect(page.locator('[data-photo-error]'), 'photos that failed to load').toHaveCount(0);
  return shown;
}

/**
 * A JPEG drawn by the page's own canvas: no fixture file, no download. With
 * `grain`, pixel noise keeps it (and the page's re-encoded crop) large, so
 * an upload takes long enough to show progress.
 */
export async function makeJpeg(page: Page, width: number, height: number, grain = false): Promise<Buffer> {
  const dataUrl = await page.evaluate(([w, h, noisy]) => {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d')!;
    const sky = ctx.createLinearGradient(0, 0, w, h);
    sky.addColorStop(0, '#2f5fd0');
    sky.addColorStop(1, '#f0b429');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    ctx.arc(w / 2, h / 2, Math.min(w, h) / 4, 0, 2 * Math.PI);
    ctx.fill();
    if (noisy) {
      const pixels = ctx.getImageData(0, 0, w, h);
      for (let i = 0; i < pixels.data.length; i += 4) {
        const n = (Math.random() - 0.5) * 96;
        pixels.data[i] += n;
        pixels.data[i + 1] += n;
        pixels.data[i + 2] += n;
      }
      ctx.putImageData(pixels, 0, 0);
    }
    return canvas.toDataURL('image/jpeg', 0.92);
  }, [width, height, grain] as const);
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** `text` with every presigned URL's signature replaced (a signature is a credential). */
export function redactSignatures(text: string): string {
  return text.replace(/(X-Amz-Signature=)[0-9a-f]+/gi, '$1REDACTED');
}

/**
 * Records every Content-Security-Policy violation in `page` from now on,
 * across navigations: the `securitypolicyviolation` events the page sees
 * and the browser's console reports of them. Blocked URLs keep their origin
 * only (a blocked photo URL would be a credential).
 */
export async function watchCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) {
      violations.push(`console: ${redactSignatures(message.text())}`);
    }
  });
  await page.exposeFunction('reportCspViolation', (report: string) => violations.push(report));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      let blocked = e.blockedURI;
      try {
        blocked = new URL(e.blockedURI).origin;
      } catch {
        // `inline`, `eval`, `wasm-eval`: not URLs, and no secret.
      }
      (window as any).reportCspViolation(`${e.effectiveDirective} blocked ${blocked} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return violations;
}

/**
 * The page size the SPA asks the directory for, read from its own request's
 * answer (`per_page`) while `navigate` loads a directory page: specs check
 * behaviour against it instead of copying src/query.rs's constant.
 */
export async function directoryPageSize(page: Page, navigate: () => Promise<unknown>): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => /\/api\/people\?/.test(r.url()) && r.request().method() === 'GET'),
    navigate(),
  ]);
  const perPage = (await response.json()).per_page;
  expect(typeof perPage).toBe('number');
  return perPage;
}
