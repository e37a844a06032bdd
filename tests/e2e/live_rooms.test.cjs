// End-to-end: the demo home page (served by `trunk serve`) shows a room
// renamed through the admin endpoint without a reload. Playwright drives
// Debian's Chromium; scripts/test.sh starts Sockudo, the API and trunk.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { chromium } = require('playwright-core');

const DEMO = process.env.DEMO_URL || 'http://127.0.0.1:8080';
const API = process.env.API_URL || 'http://127.0.0.1:8000';
const SHOTS = process.env.RUN_DIR || path.join(__dirname, '..', '..', '.run');

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'],
  });
});
after(async () => browser && (await browser.close()));

async function patchRoom(id, body) {
  const response = await fetch(`${API}/api/admin/rooms/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `PATCH room ${id}: ${await response.text()}`);
}

test('a room renamed by the admin shows up live on the home page', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let loads = 0;
  page.on('load', () => loads++);

  await page.goto(DEMO + '/');
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="rooms"] .room-card').first().waitFor({ timeout: 30_000 });
  assert.ok((await page.locator('.room-card').count()) >= 4, 'the seeded rooms are listed');
  await page.evaluate(() => (window.__sameDocument = true));

  const name = `Garden Villa ${Date.now()}`;
  await patchRoom(1, { name });
  await page.locator('.room-card[data-room-id="1"] .room-name', { hasText: name }).waitFor({ timeout: 15_000 });

  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
  assert.equal(loads, 1, 'exactly one page load');
  assert.deepEqual(errors, [], 'no uncaught errors on the page');
  await page.screenshot({ path: path.join(SHOTS, 'e2e-home.png'), fullPage: true });
});
