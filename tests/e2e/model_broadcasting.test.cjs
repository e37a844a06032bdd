// End-to-end: Laravel model broadcasting in the demo. Staff open a booking's
// admin page, which listens on `private-App.Models.Booking.{id}` with
// echo-leptos `use_echo_model`; a status change made elsewhere (the API, as
// another staff member) shows there live from `.BookingUpdated`.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { DEMO, API, SHOTS, launch, api, login, freeStay, watchErrors } = require('./helpers.cjs');

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

/** A new pending booking of a free room, made through the API. */
async function newBooking() {
  const stay = await freeStay(40);
  return api('POST', '/api/bookings', {
    body: {
      room_id: stay.room.id,
      check_in: stay.checkIn,
      check_out: stay.checkOut,
      guests: 2,
      guest_name: 'Andres Bonifacio',
      guest_email: 'andres@example.test',
      guest_phone: '+63 917 555 0199',
    },
    expect: 201,
  });
}

/** Signs in on `page` through the staff sign-in form. */
async function signIn(page, who = 'staff') {
  await page.goto(DEMO + '/admin/login');
  await page.fill('input[name="email"]', `${who}@casamarcelino.test`);
  await page.fill('input[name="password"]', `${who}-password`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin$/);
}

/** The model channel frames a page sends: subscribes to `private-App.Models.Booking.*`. */
function watchModelSubscribes(page) {
  const subscribes = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (frame) => {
      const text = String(frame.payload);
      if (text.includes('pusher:subscribe') && text.includes('App.Models.Booking')) subscribes.push(text);
    }),
  );
  return subscribes;
}

test("staff see a booking's status change live on its page, from the model event", async () => {
  const booking = await newBooking();
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const subscribes = watchModelSubscribes(page);
  await signIn(page);

  // From the dashboard's list to the booking's page, in the app (no reload).
  const row = page.locator(`[data-testid="admin-bookings"] tr[data-reference="${booking.reference}"]`);
  await row.getByRole('link', { name: booking.reference }).click({ timeout: 30_000 });
  await page.waitForURL(new RegExp(`/admin/bookings/${booking.reference}$`));
  const live = page.locator('[data-testid="model-live"]');
  await page.locator('[data-testid="model-live"][data-subscribed="true"]').waitFor({ timeout: 20_000 });
  assert.equal(await live.innerText(), 'Live');
  assert.equal(await page.locator('[data-testid="detail-status"]').textContent(), 'pending');
  assert.match(await page.locator('[data-testid="last-live-update"]').innerText(), /None yet/);
  assert.ok(
    subscribes.some((f) => f.includes(`private-App.Models.Booking.${booking.id}`)),
    `subscribed its model channel: ${subscribes.join(' | ')}`,
  );
  await page.evaluate(() => (window.__sameDocument = true));

  // Another staff member confirms it, through the API.
  const updated = await api('PATCH', `/api/admin/bookings/${booking.reference}`, { body: { status: 'confirmed' }, token: await login('admin') });
  assert.equal(updated.status, 'confirmed');

  // Only the model event fills in the last live update, with its payload's
  // `updated_at` (a refetch of the list never writes there).
  const last = page.locator(`[data-testid="last-live-update"][data-updated-at="${updated.updated_at}"]`);
  await last.waitFor({ timeout: 15_000 });
  assert.match(await last.innerText(), /^Updated: confirmed · /);
  await page.locator('[data-testid="detail-status"]', { hasText: 'confirmed' }).waitFor({ timeout: 5_000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');

  // Paused, the page hears nothing: the next change leaves the last live
  // update as it was. Resumed, it catches up (a refetch), and hears again.
  await page.getByRole('button', { name: 'Pause live updates' }).click();
  await page.locator('[data-testid="model-live"]', { hasText: 'Paused' }).waitFor();
  await api('PATCH', `/api/admin/bookings/${booking.reference}`, { body: { status: 'completed' }, token: await login('staff') });
  await page.waitForTimeout(1_500);
  const lastUpdate = page.locator('[data-testid="last-live-update"]');
  assert.match(await lastUpdate.innerText(), /^Updated: confirmed · /, 'no event heard while paused');
  await page.getByRole('button', { name: 'Resume live updates' }).click();
  await page.locator('[data-testid="model-live"]', { hasText: 'Live' }).waitFor();
  await page.locator('[data-testid="detail-status"]', { hasText: 'completed' }).waitFor({ timeout: 15_000 });
  assert.match(await lastUpdate.innerText(), /^Updated: confirmed · /, 'caught up from the list, not from an event');

  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(SHOTS, 'e2e-admin-booking.png'), fullPage: true });
  await context.close();
});

/** The status of `POST /broadcasting/auth` for `channel`, as Echo sends it (form-encoded). */
async function authStatus(channel, token) {
  const headers = { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const body = new URLSearchParams({ socket_id: '1234.5678', channel_name: channel });
  return (await fetch(`${API}/broadcasting/auth`, { method: 'POST', headers, body })).status;
}

test("a visitor who is not signed in never subscribes a booking's model channel, nor could", async () => {
  const booking = await newBooking();
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const subscribes = watchModelSubscribes(page);
  const auths = [];
  page.on('request', (r) => r.url().includes('/broadcasting/auth') && auths.push(r.postData() || ''));
  await page.goto(`${DEMO}/admin/bookings/${booking.reference}`);
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  await api('PATCH', `/api/admin/bookings/${booking.reference}`, { body: { status: 'cancelled' }, token: await login('staff') });
  await page.waitForTimeout(1_000);
  assert.equal(await page.locator('[data-testid="booking-detail"]').count(), 0, 'no booking page without signing in');
  assert.deepEqual(subscribes, [], 'no subscribe to a model channel');
  assert.ok(!auths.some((body) => body.includes('App.Models.Booking')), 'no authorization asked for one');
  assert.deepEqual(errors, []);
  await context.close();

  // Nor would the API sign it for them, or for a guest account; staff get it.
  const channel = `private-App.Models.Booking.${booking.id}`;
  assert.equal(await authStatus(channel), 403, 'not signed in');
  assert.equal(await authStatus(channel, await login('guest')), 403, 'a guest account');
  assert.equal(await authStatus(channel, await login('staff')), 200, 'staff');
});
