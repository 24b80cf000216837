// Lanyard's end-to-end tests: Playwright driving the system's headless
// Chromium (never a downloaded browser) against running Lanyard servers.
//
//   LANYARD_E2E_URL        the running server for the `e2e` (and `screenshots`)
//                          project, e.g. http://127.0.0.1:18080, with the
//                          default photo URL lifetimes.
//                          When unset, Playwright starts ../target/debug/lanyard
//                          itself (built beforehand, with ../dist built by Trunk)
//                          on 127.0.0.1:18080 with a fresh data folder in
//                          ../target/e2e-data; a server already answering
//                          there is reused.
//   LANYARD_E2E_SHORT_URL  the running server for the `healing` project
//                          (tests/healing/): one whose photo URLs live 8 s
//                          (LANYARD_THUMB_TTL=8 LANYARD_PROFILE_TTL=8), so a
//                          test sees several expiries, and whose sign-in links
//                          live 4 s (LANYARD_SIGN_IN_LINK_TTL=4: an expired
//                          link in sign-in-link.spec.ts). When unset, Playwright
//                          starts one on 127.0.0.1:18081 with its own data
//                          folder, ../target/e2e-data-short.
//   LANYARD_E2E_REPLICAS_URL  nginx in front of two replicas, for the
//                          `replicas` project (tests/replicas/: see its
//                          spec for the other settings it reads); only
//                          scripts/test.sh starts that set.
//   LANYARD_DEMO_PASSWORD  the demo accounts' password (default demo-pass-123,
//                          which is also what the self-started servers get).
//   CHROMIUM               the browser binary (default /usr/bin/chromium).
import { defineConfig } from '@playwright/test';

const external = process.env.LANYARD_E2E_URL;
const baseURL = external ?? 'http://127.0.0.1:18080';
const externalShort = process.env.LANYARD_E2E_SHORT_URL;
const shortURL = externalShort ?? 'http://127.0.0.1:18081';
process.env.LANYARD_DEMO_PASSWORD ??= 'demo-pass-123';

/** Starts the debug server on `port` with a fresh data folder and `env`. */
function selfStarted(url: string, dataDir: string, env: string) {
  const port = new URL(url).port;
  return {
    // A fresh data folder per run, under the (ignored) target folder:
    // wiped at the next start, since Playwright kills the server outright.
    command:
      `rm -rf ${dataDir} && mkdir -p ${dataDir} && ` +
      `RUST_LOG=warn LANYARD_DATA_DIR=${dataDir} LANYARD_ADDR=127.0.0.1:${port} ` +
      `LANYARD_SPA_DIR=../dist LANYARD_EMBEDDED_S3_ADDR=127.0.0.1:0 ${env}` +
      '../target/debug/lanyard',
    url: `${url}/api/health`,
    reuseExistingServer: true,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}

const webServer = [
  ...(external ? [] : [selfStarted(baseURL, '../target/e2e-data', '')]),
  ...(externalShort
    ? []
    : [selfStarted(shortURL, '../target/e2e-data-short', 'LANYARD_THUMB_TTL=8 LANYARD_PROFILE_TTL=8 LANYARD_SIGN_IN_LINK_TTL=4 ')]),
];

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // Always: the test command never sets CI, and a stray test.only would
  // silently shrink the suite to one test (issue 18).
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      // Without the networking flags Chromium keeps trying to reach Google's
      // services, which this closed network refuses.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    // Specs that change who is in the directory (HR's import adds people,
    // single sign-on's spec imports its people)
    // run after every other default-server spec: the directory specs count
    // its people and walk its pages. `--project=e2e` runs both.
    {
      name: 'e2e-readers',
      testMatch: /.*\.spec\.ts$/,
      testIgnore: [/[\\/](healing|replicas)[\\/]/, /[\\/](hr-import|sso|scim|org-chart-300|local-time)\.spec\.ts$/],
    },
    { name: 'e2e', testMatch: /[\\/]hr-import\.spec\.ts$/, dependencies: ['e2e-readers'] },
    // After the import spec, which counts the people its import adds.
    { name: 'sso', testMatch: /[\\/](sso|scim)\.spec\.ts$/, dependencies: ['e2e'] },
    // A manager with 300 reports (imported) and locations' time zones (which
    // add a line to cards): last of the default server's specs.
    { name: 'late', testMatch: /[\\/](org-chart-300|local-time)\.spec\.ts$/, dependencies: ['sso'] },
    // Photos that outlive their URLs: against the short-lifetime server.
    { name: 'healing', testMatch: /[\\/]healing[\\/].*\.spec\.ts$/, use: { baseURL: shortURL } },
    // Two replicas behind nginx, on PostgreSQL and SeaweedFS: one test at
    // a time (the spec kills a replica at the end).
    {
      name: 'replicas',
      testMatch: /[\\/]replicas[\\/].*\.spec\.ts$/,
      fullyParallel: false,
      use: { baseURL: process.env.LANYARD_E2E_REPLICAS_URL },
    },
    { name: 'screenshots', testMatch: /.*\.shot\.ts$/ },
  ],
  webServer: webServer.length ? webServer : undefined,
});
