// End-to-end: the demo built with no key (ECHO_WS_KEY empty) still works: no
// WebSocket is opened, the badge says live updates are off, and pages refetch
// what they show when they are opened.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, api, login, watchErrors } = require('./helpers.cjs');

const DEMO_OFF = process.env.DEMO_OFF_URL || 'http://127.0.0.1:8090';

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

test('with no key the site works without realtime and refetches on navigation', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(DEMO_OFF + '/');
  await page.locator('[data-testid="rooms"] .room-card').first().waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid="connection-status"]').textContent(), 'Live updates off');

  const name = `Treetop Cabin ${Date.now()}`;
  await api('PATCH', '/api/admin/rooms/4', { body: { name }, token: await login('admin') });
  await page.getByRole('link', { name: 'Contact' }).click();
  await page.locator('h1', { hasText: 'Contact us' }).waitFor();
  await page.locator('a.brand').click();
  await page.locator('.room-card[data-room-id="4"] .room-name', { hasText: name }).waitFor({ timeout: 10_000 });

  const pusherSockets = sockets.filter((url) => url.includes('/app/'));
  assert.deepEqual(pusherSockets, [], 'no connection to the WebSocket server');
  assert.deepEqual(errors, []);
});
