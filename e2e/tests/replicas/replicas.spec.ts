// Lanyard as a company runs it: two replicas on one PostgreSQL database and
// one SeaweedFS bucket, behind nginx balancing round-robin
// (scripts/test.sh starts them all). Everything goes through nginx; every
// answer names the replica that gave it (`x-lanyard-replica`).
//
//   LANYARD_E2E_REPLICAS_URL   nginx
//   LANYARD_E2E_REPLICAS       JSON: [{ name, pid, metrics }] per replica
//                              (`metrics`: its /metrics URL)
//   LANYARD_E2E_URL_BUDGET     LANYARD_RATE_URLS_PER_MINUTE of the replicas
//   LANYARD_E2E_SIGN_IN_FAILURES  LANYARD_RATE_SIGN_IN_FAILURES of the replicas
//
// The tests run in order, one at a time: round-robin is only predictable
// without other traffic, and the last one kills a replica.
import { expect, request, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { EMPLOYEE, PASSWORD, expectPhotosOnScreenLoaded, makeJpeg, signIn } from '../helpers';

const HR = 'hr@lanyard.example';
const REPLICA = 'x-lanyard-replica';

interface Replica {
  name: string;
  pid: number;
  metrics: string;
}
const replicas: Replica[] = JSON.parse(process.env.LANYARD_E2E_REPLICAS ?? '[]');
const urlBudget = Number(process.env.LANYARD_E2E_URL_BUDGET ?? 0);
const failures = Number(process.env.LANYARD_E2E_SIGN_IN_FAILURES ?? 0);

test.describe.configure({ mode: 'serial' });

/** Which replica answered. */
function replicaOf(response: APIResponse): string {
  const name = response.headers()[REPLICA];
  expect(name, `${REPLICA} on ${response.url()}`).toBeTruthy();
  return name;
}

/** A client of its own (no browser), signed in as `email`. */
async function signedIn(email: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: test.info().project.use.baseURL });
  const answer = await api.post('/api/session', { data: { email, password: PASSWORD } });
  expect(answer.status(), `${email} signs in`).toBe(200);
  return api;
}

/**
 * Sends cheap requests until one comes from `name`: round-robin then sends
 * the next request to the other replica.
 */
async function afterReplica(api: APIRequestContext, name: string) {
  for (let i = 0; i < 4; i++) {
    if (replicaOf(await api.get('/api/health')) === name) return;
  }
  throw new Error(`no answer from replica ${name}: is nginx balancing round-robin?`);
}

test('the sweeper ran on exactly one replica', async () => {
  expect(replicas.length, 'LANYARD_E2E_REPLICAS names two replicas').toBe(2);
  const api = await request.newContext();
  const passes: Record<string, number> = {};
  for (const replica of replicas) {
    const text = await (await api.get(replica.metrics)).text();
    const match = text.match(/^lanyard_sweeps_total (\d+)$/m);
    expect(match, `lanyard_sweeps_total on replica ${replica.name}`).not.toBeNull();
    passes[replica.name] = Number(match![1]);
  }
  const sweeping = Object.entries(passes).filter(([, n]) => n > 0);
  expect(sweeping.length, `sweeper passes per replica: ${JSON.stringify(passes)}`).toBe(1);
  await api.dispose();
});

test('signed in, the directory is served by both replicas', async ({ page }) => {
  const seen = new Set<string>();
  page.on('response', (response) => {
    const name = response.headers()[REPLICA];
    if (name && response.url().includes('/api/')) seen.add(name);
  });
  await signIn(page);
  await expectPhotosOnScreenLoaded(page);
  await page.getByTestId('pager').getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expectPhotosOnScreenLoaded(page);
  await page.getByTestId('person-card').first().click();
  await expect(page.getByTestId('profile-name')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('people-grid')).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
  expect([...seen].sort(), 'replicas that answered the SPA').toEqual(replicas.map((r) => r.name).sort());
});

test('a sign-out on one replica is honoured by the other', async () => {
  const api = await signedIn(EMPLOYEE);
  // Signed in on both.
  const before = [await api.get('/api/me'), await api.get('/api/me')];
  expect(before.map((r) => r.status())).toEqual([200, 200]);
  expect(new Set(before.map(replicaOf)).size, 'both replicas knew the session').toBe(2);

  const out = await api.delete('/api/session');
  expect(out.status()).toBe(200);
  const where = replicaOf(out);
  // At once, on the other replica too (no cache between the session and
  // the database).
  const after = [await api.get('/api/me'), await api.get('/api/me')];
  expect(after.map((r) => r.status())).toEqual([401, 401]);
  expect(after.map(replicaOf), `signed out on ${where}`).toContain(replicas.find((r) => r.name !== where)!.name);
  await api.dispose();
});

test('wrong passwords spread over both replicas meet one shared throttle', async () => {
  expect(failures, 'LANYARD_E2E_SIGN_IN_FAILURES').toBeGreaterThan(0);
  const api = await request.newContext({ baseURL: test.info().project.use.baseURL });
  // An address nobody else uses for this email: the throttle is per
  // (account, address), and unknown emails count like known ones.
  const email = `throttle-${Date.now()}@lanyard.example`;
  const answers: Array<{ status: number; replica: string }> = [];
  for (let i = 0; i < failures + 3; i++) {
    const answer = await api.post('/api/session', { data: { email, password: 'not the password' } });
    answers.push({ status: answer.status(), replica: replicaOf(answer) });
  }
  const refusedAt = answers.findIndex((a) => a.status === 429);
  // One throttle for both: refused after `failures` in total, not after
  // `failures` on each replica.
  expect(refusedAt, JSON.stringify(answers)).toBe(failures);
  expect(answers.slice(0, failures).every((a) => a.status === 401), JSON.stringify(answers)).toBe(true);
  expect(answers.slice(failures).every((a) => a.status === 429), JSON.stringify(answers)).toBe(true);
  expect(new Set(answers.slice(0, failures).map((a) => a.replica)).size, 'failures on both replicas').toBe(2);
  expect(new Set(answers.slice(failures).map((a) => a.replica)).size, 'refusals from both replicas').toBe(2);
  await api.dispose();
});

test('a photo URL budget spent across both replicas is refused once in total', async () => {
  expect(urlBudget, 'LANYARD_E2E_URL_BUDGET').toBeGreaterThan(0);
  // HR's budget: the other tests browse as the employee.
  const api = await signedIn(HR);
  const listing = await (await api.get('/api/people?per_page=50')).json();
  // The listing itself signed a thumbnail URL per person with a photo.
  const ids: number[] = listing.people.filter((p: { photo: unknown }) => p.photo).map((p: { id: number }) => p.id);
  const spent = ids.length;
  expect(spent).toBeGreaterThan(20);
  // Each request below signs `k` URLs; `k` is chosen so that what is left
  // after the last allowed one is well short of another `k` (the budget
  // refills at budget per minute, a few URLs a second: slower than the loop
  // by far, but not nothing).
  let k = spent;
  while (k > 10 && (urlBudget - spent) % k > k / 3) k--;
  const allowed = Math.floor((urlBudget - spent) / k);
  expect(allowed, 'the budget allows a few requests').toBeGreaterThan(2);
  const answers: Array<{ status: number; replica: string }> = [];
  for (let i = 0; i < allowed + 2; i++) {
    const answer = await api.post('/api/photos/urls', { data: { people: ids.slice(0, k), size: 'thumb' } });
    answers.push({ status: answer.status(), replica: replicaOf(answer) });
  }
  const statuses = answers.map((a) => a.status);
  expect(statuses, JSON.stringify(answers)).toEqual([...Array(allowed).fill(200), 429, 429]);
  expect(new Set(answers.slice(0, allowed).map((a) => a.replica)).size, 'URLs granted by both').toBe(2);
  await api.dispose();
});

test('an upload ticket from one replica completes on the other', async ({ page }) => {
  await signIn(page);
  // A page of the app's origin with nothing running on it: the browser's
  // PUT to the store is cross-origin exactly as the SPA's is, and no SPA
  // request disturbs the round-robin below.
  await page.goto('/api/health');
  const body = await makeJpeg(page, 400, 400);
  const begun = await page.request.post('/api/me/photo/uploads', {
    data: { content_type: 'image/jpeg', content_length: body.length },
  });
  expect(begun.status()).toBe(201);
  const ticket = await begun.json();
  const issuer = replicaOf(begun);

  // The browser PUTs to SeaweedFS with the ticket (CORS and all).
  const put = await page.evaluate(
    async ([url, headers, bytes]) => {
      const response = await fetch(url as string, {
        method: 'PUT',
        headers: Object.fromEntries((headers as Array<{ name: string; value: string }>).map((h) => [h.name, h.value])),
        body: new Uint8Array(bytes as number[]),
      });
      return response.status;
    },
    [ticket.url, ticket.headers, [...body]] as const,
  );
  expect(put, 'the store took the PUT').toBe(200);

  await afterReplica(page.request, issuer);
  const completed = await page.request.post(`/api/me/photo/uploads/${ticket.upload_id}/complete`);
  expect(completed.status(), await completed.text()).toBe(200);
  expect(replicaOf(completed), `issued by ${issuer}`).not.toBe(issuer);
  const mine = await (await page.request.get('/api/me/photo')).json();
  expect(mine.latest.id).toBe(ticket.upload_id);
  expect(mine.latest.state).toBe('pending');
});

test('a replica killed mid-visit: browsing goes on with no visible error', async ({ page }) => {
  await signIn(page);
  await expectPhotosOnScreenLoaded(page);
  const seen: string[] = [];
  const failed: string[] = [];
  page.on('response', (response) => {
    const name = response.headers()[REPLICA];
    if (name) seen.push(name);
    if (response.url().includes('/api/') && response.status() >= 500) failed.push(`${response.status()} ${response.url()}`);
  });

  const victim = replicas[1];
  process.kill(victim.pid, 'SIGKILL');

  // Pages, a search, a profile: every request nginx sent to the dead
  // replica is refused at connect and goes to the live one.
  for (const n of [2, 3]) {
    await page.getByTestId('pager').getByRole('link', { name: 'Next →' }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]page=${n}`));
    await expectPhotosOnScreenLoaded(page);
  }
  await page.getByTestId('search').pressSequentially('an', { delay: 30 });
  await page.waitForURL(/[?&]q=an(&|$)/);
  await expect(page.getByTestId('total')).toContainText('found');
  await expectPhotosOnScreenLoaded(page);
  await page.getByTestId('person-card').first().click();
  await expect(page.getByTestId('profile-name')).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
  expect(failed, 'server errors').toEqual([]);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((name) => name === victim.name), 'answers from the killed replica').toEqual([]);
});
