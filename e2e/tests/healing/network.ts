// What the healing tests measure: every re-sign call (POST /api/photos/urls)
// and every request to the photo store, seen from Playwright's network
// events, plus the page's own record of <img> errors and photo states.
// Counts only — the tests never assert how long anything took.
import { expect, type Page } from '@playwright/test';
import { expectPhotosOnScreenLoaded, photosOnScreen, signIn, type AvatarOnPage } from '../helpers';

/** One POST /api/photos/urls: who it asked for and what came back. */
export interface ResignCall {
  /** When Playwright saw the request start (Node's clock, ms). */
  at: number;
  size: string;
  people: number[];
  /** The fresh URLs' expiries (server clock, ms), once the answer is in. */
  expiries: number[];
}

/** One request for a photo object. */
export interface StoreCall {
  at: number;
  url: string;
  /** Whose photo, when an API answer handed out this exact URL. */
  person?: number;
}

/** A presigned photo URL with its signature blanked, safe to print. */
export function redact(url: string): string {
  return url.replace(/X-Amz-Signature=[^&]*/, 'X-Amz-Signature=[redacted]');
}

/** Whether `url` is a presigned request for the photo store. */
export function isStoreUrl(url: string): boolean {
  return url.includes('X-Amz-Signature=');
}

/**
 * When a presigned URL stops working (server clock, ms): X-Amz-Date plus
 * X-Amz-Expires. The URL says so itself, so a test can tell a fresh URL
 * from a stale one without asking the SPA.
 */
export function urlExpiry(url: string): number {
  const params = new URL(url).searchParams;
  const date = params.get('X-Amz-Date') ?? '';
  const m = date.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  expect(m, 'an X-Amz-Date in a photo URL').not.toBeNull();
  const signed = Date.UTC(+m![1], +m![2] - 1, +m![3], +m![4], +m![5], +m![6]);
  return signed + Number(params.get('X-Amz-Expires')) * 1000;
}

/**
 * Records photo traffic from the moment it is created; create it before the
 * first navigation. Store URLs are tied to people through every API answer
 * that handed one out (objects with `id` or `person` next to `photo.url`).
 */
export class PhotoTraffic {
  readonly resigns: ResignCall[] = [];
  readonly store: StoreCall[] = [];
  private readonly owners = new Map<string, number>();

  constructor(page: Page) {
    page.on('request', (request) => {
      const url = request.url();
      if (isStoreUrl(url)) {
        this.store.push({ at: Date.now(), url });
      } else if (request.method() === 'POST' && new URL(url).pathname === '/api/photos/urls') {
        const body = request.postDataJSON() as { people: number[]; size: string };
        const call: ResignCall = { at: Date.now(), size: body.size, people: body.people, expiries: [] };
        this.resigns.push(call);
        request.response().then(async (response) => {
          const answer = await response?.json();
          for (const entry of answer?.urls ?? []) {
            if (entry.photo) call.expiries.push(entry.photo.expires_at);
          }
        }).catch(() => {});
      }
    });
    page.on('response', async (response) => {
      if (!new URL(response.url()).pathname.startsWith('/api/')) return;
      if (!(response.headers()['content-type'] ?? '').includes('json')) return;
      try {
        this.learnOwners(await response.json());
      } catch {
        // A body that went away with a navigation: nothing to learn.
      }
    });
  }

  /** Walks an API answer for photo URLs and whose they are. */
  private learnOwners(value: unknown) {
    if (Array.isArray(value)) {
      value.forEach((v) => this.learnOwners(v));
    } else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      const photo = o.photo as { url?: unknown } | null | undefined;
      const who = typeof o.id === 'number' ? o.id : typeof o.person === 'number' ? o.person : undefined;
      if (who !== undefined && photo && typeof photo.url === 'string') this.owners.set(photo.url, who);
      Object.values(o).forEach((v) => this.learnOwners(v));
    }
  }

  /** Whose photo `url` is, if an API answer said. */
  owner(url: string): number | undefined {
    return this.owners.get(url);
  }

  resignsBetween(from: number, to = Infinity): ResignCall[] {
    return this.resigns.filter((c) => c.at >= from && c.at < to);
  }

  storeBetween(from: number, to = Infinity): StoreCall[] {
    return this.store
      .filter((c) => c.at >= from && c.at < to)
      .map((c) => ({ ...c, person: this.owner(c.url) }));
  }
}

/**
 * Re-sign calls grouped into waves: a call more than `gap` ms after the
 * previous one starts a new wave. Renewals of 8-second URLs are ~6 s apart;
 * the calls of one wave come within a moment of each other.
 */
export function waves<T extends { at: number }>(calls: T[], gap = 2_000): T[][] {
  const out: T[][] = [];
  for (const call of [...calls].sort((a, b) => a.at - b.at)) {
    const last = out[out.length - 1];
    if (last && call.at - last[last.length - 1].at <= gap) last.push(call);
    else out.push([call]);
  }
  return out;
}

/**
 * Starts the page's own record of photo trouble, before its scripts run:
 * every <img> error (capture phase: error events do not bubble) and every
 * change of an avatar's data-photo.
 */
export async function recordPhotoEvents(page: Page) {
  await page.addInitScript(() => {
    const log = { imgErrors: [] as string[], states: [] as { person: string; from: string; to: string }[] };
    (window as unknown as { __photoLog: typeof log }).__photoLog = log;
    window.addEventListener('error', (event) => {
      const target = event.target;
      if (target instanceof HTMLImageElement) {
        log.imgErrors.push(target.closest<HTMLElement>('[data-person]')?.dataset.person ?? '?');
      }
    }, true);
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement;
        log.states.push({ person: el.dataset.person ?? '?', from: r.oldValue ?? '', to: el.dataset.photo ?? '' });
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-photo'], attributeOldValue: true });
  });
}

/** What `recordPhotoEvents` has seen so far in the current document. */
export async function photoEvents(page: Page) {
  return page.evaluate(() => (window as unknown as {
    __photoLog: { imgErrors: string[]; states: { person: string; from: string; to: string }[] };
  }).__photoLog);
}

/**
 * On-screen photos that are not loaded, not decoded, or whose URL has
 * expired by `now` (server clock): empty when every photo on screen shows
 * and holds a live URL.
 */
export async function stalePhotosOnScreen(page: Page, now = Date.now()): Promise<string[]> {
  return (await photosOnScreen(page))
    .filter((a) => a.state !== 'loaded' || a.width === 0 || !a.src || urlExpiry(a.src) <= now)
    .map((a) => `${a.person}: ${a.state}${a.src ? `, URL ${urlExpiry(a.src) <= now ? 'expired' : 'live'}` : ', no src'}`);
}

/** The latest expiry among these avatars' URLs. */
export function latestExpiry(photos: AvatarOnPage[]): number {
  return Math.max(...photos.filter((a) => a.src).map((a) => urlExpiry(a.src!)));
}

/** Waits (a wait, never an assertion) until Node's clock reaches `at`. */
export async function waitUntil(page: Page, at: number) {
  const ms = at - Date.now();
  if (ms > 0) await page.waitForTimeout(ms);
}

/** Prints one line of figures for the run's log (figures, not assertions). */
export function report(test: string, figures: Record<string, unknown>) {
  console.log(`[healing] ${test}: ${JSON.stringify(figures)}`);
}

/**
 * The opening every healing test shares: record photo events and traffic
 * from the first request, sign in, and wait for the first screen's photos.
 * Returns the traffic recorder and how many photos are on screen.
 */
export async function openWatchedDirectory(page: Page): Promise<{ traffic: PhotoTraffic; photos: number }> {
  await recordPhotoEvents(page);
  const traffic = new PhotoTraffic(page);
  await signIn(page);
  const photos = await expectPhotosOnScreenLoaded(page);
  return { traffic, photos };
}
