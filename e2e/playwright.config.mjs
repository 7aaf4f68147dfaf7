// End-to-end suite: Debian's Chromium against the release bundle served by the dev platform.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.E2E_PORT || 8765);
const baseURL = `http://127.0.0.1:${port}`;
// The same console built with the `bench` feature (dist-bench), for the one test that needs a
// hook the release bundle must not have: provoking a panic.
const benchPort = Number(process.env.E2E_BENCH_PORT || 8766);
export const benchURL = `http://127.0.0.1:${benchPort}`;
const platform = path.join(root, 'target', 'debug', 'dev-platform');
const log = (name) => path.join(root, 'target', `e2e-${name}.log`);

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs$/,
  outputDir: path.join(root, 'target', 'e2e-results'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A stray test.only would run one test and pass.
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: [
    {
      command: `${platform} --port ${port} --db :memory: --provisioning-delay-ms 1500 --faults --hostile-names --static ${path.join(root, 'dist-release')} 2>${log('platform')}`,
      url: `${baseURL}/`,
      reuseExistingServer: false,
      timeout: 60_000,
      // The platform logs every request (and each injected failure as an error) on stderr: kept
      // in a file, which also says why a platform stopped or did not start.
      stdout: 'ignore',
      stderr: 'ignore',
    },
    {
      command: `${platform} --port ${benchPort} --db :memory: --static ${path.join(root, 'dist-bench')} 2>${log('bench-platform')}`,
      url: `${benchURL}/`,
      reuseExistingServer: false,
      timeout: 60_000,
      // The platform logs every request (and each injected failure as an error) on stderr: kept
      // in a file, which also says why a platform stopped or did not start.
      stdout: 'ignore',
      stderr: 'ignore',
    },
  ],
});
