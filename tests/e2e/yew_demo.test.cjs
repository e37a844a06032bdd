// End-to-end: the Yew version of the demo (demo/yew-app, echo-yew), served by
// `trunk serve` on its own port against the same API and Sockudo as the
// Leptos demo. Each change is made from here, server side, through the API;
// the page must show it without a reload.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { SHOTS, launch, api, login, freeStay, watchErrors } = require('./helpers.cjs');

const YEW = process.env.YEW_DEMO_URL || 'http://127.0.0.1:8081';

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

/** Counts page loads and marks the document, to prove no reload happened. */
async function watchReloads(page) {
  let loads = 0;
  page.on('load', () => loads++);
  return {
    mark: () => page.evaluate(() => (window.__sameDocument = true)),
    check: async () => {
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
      assert.equal(loads, 1, 'exactly one page load');
    },
  };
}

async function signIn(page, email, password) {
  await page.goto(YEW + '/admin/login');
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin$/);
}

test('yew: a room renamed by the admin shows up live on the home page', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const reloads = await watchReloads(page);
  await page.goto(YEW + '/');
  const badge = page.locator('[data-testid="connection-status"][data-state="connected"]');
  await badge.waitFor({ timeout: 30_000 });
  assert.equal(await badge.textContent(), 'Live');
  await page.locator('[data-testid="rooms"] .room-card').first().waitFor({ timeout: 30_000 });
  assert.ok((await page.locator('.room-card').count()) >= 4, 'the seeded rooms are listed');
  for (const list of ['venues', 'gallery', 'reviews']) {
    await page.locator(`[data-testid="${list}"] li`).first().waitFor({ timeout: 15_000 });
  }
  await reloads.mark();

  const name = `Beach Bungalow ${Date.now()}`;
  await api('PATCH', '/api/admin/rooms/3', { body: { name }, token: await login('admin') });
  await page.locator('.room-card[data-room-id="3"] .room-name', { hasText: name }).waitFor({ timeout: 15_000 });

  await reloads.check();
  assert.deepEqual(errors, [], 'no uncaught errors on the page');
  await page.screenshot({ path: path.join(SHOTS, 'e2e-yew-home.png'), fullPage: true });
  await page.close();
});

test('yew: a booking status change shows up live on its receipt', async () => {
  const stay = await freeStay(50);
  const booking = await api('POST', '/api/bookings', {
    body: {
      room_id: stay.room.id,
      check_in: stay.checkIn,
      check_out: stay.checkOut,
      guests: 2,
      guest_name: 'Gabriela Silang',
      guest_email: 'gabriela@example.test',
      guest_phone: '+63 917 555 0123',
    },
    expect: 201,
  });
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const reloads = await watchReloads(page);
  // Subscribed (the server said so) before the change is made: events are
  // never replayed.
  const channel = `booking.${booking.reference}`;
  const subscribed = new Promise((resolve) =>
    page.on('websocket', (ws) =>
      ws.on('framereceived', (f) => {
        const text = String(f.payload);
        if (text.includes('subscription_succeeded') && text.includes(channel)) resolve();
      }),
    ),
  );
  await page.goto(`${YEW}/booking/${booking.reference}`);
  await page.locator('[data-testid="reference"]', { hasText: booking.reference }).waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="booking-status"]', { hasText: 'pending' }).waitFor({ timeout: 15_000 });
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${channel} was never subscribed`)), 15_000)));
  await Promise.race([subscribed, timeout]).finally(() => clearTimeout(timer));
  await reloads.mark();

  await api('PATCH', `/api/admin/bookings/${booking.reference}`, { body: { status: 'confirmed' }, token: await login('staff') });
  await page.locator('[data-testid="booking-status"]', { hasText: 'confirmed' }).waitFor({ timeout: 15_000 });

  await reloads.check();
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(SHOTS, 'e2e-yew-receipt.png'), fullPage: true });
  await page.close();
});

test('yew: the admin signs in and sees a contact message arrive live on the dashboard', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, 'admin@casamarcelino.test', 'admin-password');
  await page.locator('[data-testid="admin-live"]', { hasText: /^listening$/ }).waitFor({ timeout: 20_000 });
  await page.evaluate(() => (window.__sameDocument = true));

  const subject = `<img src=x onerror="window.__pwned=1"> Yew garden wedding ${Date.now()}`;
  await api('POST', '/api/contact', {
    body: { name: 'Jose Rizal', email: 'jose@example.test', subject, message: 'Do you host receptions for 120 guests in June?' },
    expect: 201,
  });
  await page.locator('[data-testid="notifications"] li', { hasText: 'Yew garden wedding' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('[data-testid="notifications"] img').count(), 0, 'payloads are rendered as text, never as HTML');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(SHOTS, 'e2e-yew-admin.png'), fullPage: true });
  await context.close();
});

test('yew: a guest account is refused the dashboard and never subscribes it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const sent = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  await signIn(page, 'guest@casamarcelino.test', 'guest-password');
  await page.locator('[data-testid="not-staff"]', { hasText: 'guest account' }).waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid="admin-live"]').count(), 0, 'no live feed for a guest');
  assert.equal(await page.locator('[data-testid="notifications"]').count(), 0, 'no notifications for a guest');
  await page.waitForTimeout(1000);
  assert.ok(!sent.some((f) => f.includes('admin.dashboard')), 'the private dashboard channel is never subscribed');
  assert.deepEqual(errors, []);
  await context.close();
});
