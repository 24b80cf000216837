// Lanyard's end-to-end tests: Playwright driving the system's headless
// Chromium (never a downloaded browser) against a running Lanyard.
//
//   LANYARD_E2E_URL        the running server, e.g. http://127.0.0.1:18080.
//                          When unset, Playwright starts ../target/debug/lanyard
//                          itself (built beforehand, with ../dist built by Trunk)
//                          on 127.0.0.1:18080 with a fresh data folder in
//                          ../target/e2e-data; a server already answering
//                          there is reused.
//   LANYARD_DEMO_PASSWORD  the demo accounts' password (default demo-pass-123,
//                          which is also what the self-started server gets).
//   CHROMIUM               the browser binary (default /usr/bin/chromium).
import { defineConfig } from '@playwright/test';

const external = process.env.LANYARD_E2E_URL;
const baseURL = external ?? 'http://127.0.0.1:18080';
process.env.LANYARD_DEMO_PASSWORD ??= 'demo-pass-123';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
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
    { name: 'e2e', testMatch: /.*\.spec\.ts$/ },
    { name: 'screenshots', testMatch: /.*\.shot\.ts$/ },
  ],
  webServer: external
    ? undefined
    : {
        // A fresh data folder per run, under the (ignored) target folder:
        // wiped at the next start, since Playwright kills the server outright.
        command:
          'rm -rf ../target/e2e-data && mkdir -p ../target/e2e-data && ' +
          'RUST_LOG=warn LANYARD_DATA_DIR=../target/e2e-data LANYARD_ADDR=127.0.0.1:18080 ' +
          'LANYARD_SPA_DIR=../dist LANYARD_EMBEDDED_S3_ADDR=127.0.0.1:0 ' +
          '../target/debug/lanyard',
        url: `${baseURL}/api/health`,
        reuseExistingServer: true,
        timeout: 120_000,
        stdout: 'ignore',
        stderr: 'pipe',
      },
});
