// End-to-end: the demo home page (served by `trunk serve`) shows a room
// renamed through the admin endpoint without a reload. Playwright drives
// Debian's Chromium; scripts/test.sh starts Sockudo, the API and trunk.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { DEMO, SHOTS, launch, api, login, watchErrors } = require('./helpers.cjs');

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

test('a room renamed by the admin shows up live on the home page', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  let loads = 0;
  page.on('load', () => loads++);

  await page.goto(DEMO + '/');
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="rooms"] .room-card').first().waitFor({ timeout: 30_000 });
  assert.ok((await page.locator('.room-card').count()) >= 4, 'the seeded rooms are listed');
  await page.evaluate(() => (window.__sameDocument = true));

  const name = `Garden Villa ${Date.now()}`;
  await api('PATCH', '/api/admin/rooms/1', { body: { name }, token: await login('admin') });
  await page.locator('.room-card[data-room-id="1"] .room-name', { hasText: name }).waitFor({ timeout: 15_000 });

  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
  assert.equal(loads, 1, 'exactly one page load');
  assert.deepEqual(errors, [], 'no uncaught errors on the page');
  await page.screenshot({ path: path.join(SHOTS, 'e2e-home.png'), fullPage: true });
});
