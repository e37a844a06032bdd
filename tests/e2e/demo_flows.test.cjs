// End-to-end: the booking demo's realtime flows, guest side and admin side,
// in Chromium against the demo served by trunk, the demo API and Sockudo.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { DEMO, SHOTS, launch, api, login, freeStay, showMonth, watchErrors, addDays, isoDate } = require('./helpers.cjs');

let browser;
before(async () => (browser = await launch()));
after(async () => browser && (await browser.close()));

async function connected(page) {
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
}

test('a guest books a room and sees the status confirmed live on the receipt', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const stay = await freeStay(30);
  await page.goto(DEMO + '/book');
  await connected(page);
  await showMonth(page, stay.checkIn);
  await page.locator(`.calendar button[data-date="${stay.checkIn}"]`).click();
  await showMonth(page, stay.checkOut);
  await page.locator(`.calendar button[data-date="${stay.checkOut}"]`).click();
  await page.locator('[data-testid="dates"]', { hasText: `${stay.checkIn} → ${stay.checkOut}` }).waitFor();
  await page.locator('[data-testid="room-choices"] label', { hasText: stay.room.name }).click();
  await page.fill('input[name="guest_name"]', 'Maria Santos');
  await page.fill('input[name="guest_email"]', 'maria.santos@example.test');
  await page.fill('input[name="guest_phone"]', '+63 917 555 0142');
  await page.fill('input[name="guests"]', '2');
  await page.getByRole('button', { name: 'Request booking' }).click();

  await page.waitForURL(/\/booking\/[A-Z0-9-]+$/, { timeout: 15_000 });
  const reference = decodeURIComponent(page.url().split('/booking/')[1]);
  await page.locator('[data-testid="booking-status"]', { hasText: 'pending' }).waitFor({ timeout: 15_000 });
  await page.evaluate(() => (window.__sameDocument = true));

  await api('PATCH', `/api/admin/bookings/${reference}`, { body: { status: 'confirmed' }, token: await login('staff') });
  await page.locator('[data-testid="booking-status"]', { hasText: 'confirmed' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(SHOTS, 'e2e-receipt.png'), fullPage: true });
});

test('dates the admin blocks grey out live on the booking calendar', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const day = isoDate(addDays(new Date(), 75));
  await page.goto(DEMO + '/book');
  await connected(page);
  await showMonth(page, day);
  const cell = page.locator(`.calendar button[data-date="${day}"]`);
  const token = await login('admin');
  const existing = (await api('GET', '/api/blocked-dates')).filter((r) => r.start_date <= day && day <= r.end_date);
  for (const range of existing) await api('DELETE', `/api/admin/blocked-dates/${range.id}`, { token, expect: 204 });
  await page.waitForFunction((d) => !document.querySelector(`.calendar button[data-date="${d}"]`).disabled, day, { timeout: 15_000 });

  const range = await api('POST', '/api/admin/blocked-dates', { body: { start_date: day, end_date: day, reason: 'Private wedding' }, token, expect: 201 });
  await page.waitForFunction((d) => document.querySelector(`.calendar button[data-date="${d}"]`).disabled, day, { timeout: 15_000 });
  assert.match(await cell.getAttribute('class'), /blocked/);
  await page.screenshot({ path: path.join(SHOTS, 'e2e-calendar.png') });

  await api('DELETE', `/api/admin/blocked-dates/${range.id}`, { token, expect: 204 });
  await page.waitForFunction((d) => !document.querySelector(`.calendar button[data-date="${d}"]`).disabled, day, { timeout: 15_000 });
  assert.deepEqual(errors, []);
});

test('the admin signs in and sees a contact message arrive live, rendered as text', async () => {
  // A visitor in another zone still sees the resort's clock (Asia/Manila).
  const context = await browser.newContext({ timezoneId: 'America/New_York' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(DEMO + '/admin/login');
  await page.fill('input[name="email"]', 'admin@casamarcelino.test');
  await page.fill('input[name="password"]', 'admin-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin$/);
  await page.locator('[data-testid="admin-live"]', { hasText: 'listening' }).waitFor({ timeout: 20_000 });

  const subject = `<img src=x onerror="window.__pwned=1"> Garden wedding ${Date.now()}`;
  const guest = await browser.newPage();
  await guest.goto(DEMO + '/contact');
  await guest.fill('input[name="name"]', 'Jose Rizal');
  await guest.fill('input[name="email"]', 'jose@example.test');
  await guest.fill('input[name="subject"]', subject);
  await guest.fill('textarea[name="message"]', 'Do you host receptions for 120 guests in June?');
  await guest.getByRole('button', { name: 'Send message' }).click();
  await guest.locator('[data-testid="contact-sent"]').waitFor({ timeout: 15_000 });

  await page.locator('[data-testid="notifications"] li', { hasText: 'Garden wedding' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('[data-testid="notifications"] img').count(), 0, 'payloads are rendered as text, never as HTML');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  const row = page.locator('[data-testid="contact-messages"] li', { hasText: 'Garden wedding' });
  await row.waitFor({ timeout: 15_000 });
  const stored = (await api('GET', '/api/admin/contact-messages', { token: await login('admin') })).find((m) => m.subject === subject);
  const resortTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Manila', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(stored.created_at));
  const text = await row.innerText();
  assert.ok(text.includes(resortTime), `the time in the resort's zone (${resortTime}), not UTC or the visitor's: ${text}`);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(SHOTS, 'e2e-admin.png'), fullPage: true });
  await context.close();
});

test('a guest account is refused the admin dashboard and never subscribes it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sent = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  await page.goto(DEMO + '/admin/login');
  await page.fill('input[name="email"]', 'guest@casamarcelino.test');
  await page.fill('input[name="password"]', 'guest-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/admin$/);
  await page.locator('[data-testid="not-staff"]', { hasText: 'guest account' }).waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid="admin-live"]').count(), 0, 'no live feed for a guest');
  assert.equal(await page.locator('[data-testid="admin-bookings"]').count(), 0, 'no editors for a guest');
  assert.ok(!sent.some((f) => f.includes('admin.dashboard')), 'the private dashboard channel is never subscribed');
  await context.close();
});

test('the home page is readable on a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(DEMO + '/');
  await page.locator('[data-testid="rooms"] .room-card').first().waitFor({ timeout: 30_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
  await page.screenshot({ path: path.join(SHOTS, 'e2e-phone.png'), fullPage: true });
  await context.close();
});

test('a room renamed on the admin dashboard changes on an open home page', async () => {
  const context = await browser.newContext();
  const home = await context.newPage();
  await home.goto(DEMO + '/');
  await connected(home);
  await home.locator('.room-card[data-room-id="3"]').waitFor({ timeout: 30_000 });

  const admin = await context.newPage();
  const errors = watchErrors(admin);
  await admin.goto(DEMO + '/admin/login');
  await admin.fill('input[name="email"]', 'staff@casamarcelino.test');
  await admin.fill('input[name="password"]', 'staff-password');
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.waitForURL(/\/admin$/);
  const row = admin.locator('[data-testid="admin-rooms"] li').nth(2);
  const name = `Family Bungalow ${Date.now()}`;
  await row.locator('input[name="name"]').fill(name);
  await row.getByRole('button', { name: 'Save' }).click();

  await home.locator('.room-card[data-room-id="3"] .room-name', { hasText: name }).waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone, a booking that cannot be sent says why right above the button', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(DEMO + '/book');
  await page.locator('[data-testid="room-choices"]').waitFor({ timeout: 30_000 });
  // Every field filled, but no dates picked on the calendar at the top.
  await page.fill('input[name="guest_name"]', 'Maria Santos');
  await page.fill('input[name="guest_email"]', 'maria.santos@example.test');
  await page.fill('input[name="guest_phone"]', '+63 917 555 0142');
  await page.fill('input[name="guests"]', '2');
  const button = page.getByRole('button', { name: 'Request booking' });
  await button.scrollIntoViewIfNeeded();
  await button.click();
  const problems = page.locator('[data-testid="booking-error"]');
  await problems.waitFor({ timeout: 10_000 });
  assert.match(await problems.innerText(), /Pick your dates/);
  const box = await problems.boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `the reason is on screen next to the button (box ${JSON.stringify(box)})`);
  await page.screenshot({ path: path.join(SHOTS, 'e2e-phone-booking.png') });
  await context.close();
});

test('gallery captions keep WCAG AA contrast on any tile colour, white included', async () => {
  const token = await login('admin');
  const tile = await api('POST', '/api/admin/gallery', { body: { title: `White wall ${Date.now()}`, caption: 'Sunlit terrace', color: '#ffffff' }, token, expect: 201 });
  const page = await browser.newPage();
  try {
    await page.goto(DEMO + '/');
    await page.locator(`[data-gallery-id="${tile.id}"]`).waitFor({ timeout: 30_000 });
    const ratios = await page.evaluate(() => {
      const rgba = (text) => (text.match(/[\d.]+/g) || []).map(Number);
      const luminance = ([r, g, b]) => {
        const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      };
      return [...document.querySelectorAll('.tile strong, .tile span')].map((el) => {
        const [tr, tg, tb] = rgba(getComputedStyle(el.closest('.tile')).backgroundColor);
        const [br, bg, bb, a = 1] = rgba(getComputedStyle(el).backgroundColor);
        const back = [br * a + tr * (1 - a), bg * a + tg * (1 - a), bb * a + tb * (1 - a)];
        const [l1, l2] = [luminance(rgba(getComputedStyle(el).color)), luminance(back)].sort((x, y) => y - x);
        return { text: el.textContent, ratio: (l1 + 0.05) / (l2 + 0.05) };
      });
    });
    assert.ok(ratios.length >= 2, JSON.stringify(ratios));
    for (const { text, ratio } of ratios) assert.ok(ratio >= 4.5, `"${text}": contrast ${ratio.toFixed(2)} < 4.5`);
  } finally {
    await api('DELETE', `/api/admin/gallery/${tile.id}`, { token, expect: 204 });
    await page.close();
  }
});

test('the event venues offered for a day leave out one already booked that day', async () => {
  // A day with at least two venues free, found through the API.
  const today = new Date(Date.UTC(new Date().getFullYear(), new Date().getMonth(), new Date().getDate()));
  let day;
  let free;
  for (let offset = 45; offset < 165 && !day; offset += 5) {
    const candidate = isoDate(addDays(today, offset));
    const venues = await api('GET', `/api/venues/availability?date=${candidate}`);
    if (venues.length >= 2) [day, free] = [candidate, venues];
  }
  assert.ok(day, 'a day with two free venues');
  const [taken, other] = free;
  await api('POST', '/api/bookings', {
    body: { venue_id: taken.id, check_in: day, guests: 20, guest_name: 'Lea Salonga', guest_email: 'lea@example.test', guest_phone: '+63 917 555 0177' },
    expect: 201,
  });

  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(DEMO + '/book');
  await page.getByRole('button', { name: 'Event venue' }).click();
  const choices = page.locator('[data-testid="venue-choices"] label');
  await choices.filter({ hasText: taken.name }).waitFor({ timeout: 30_000 }); // every venue before a day is picked
  await showMonth(page, day);
  await page.locator(`.calendar button[data-date="${day}"]`).click();
  await page.locator('[data-testid="dates"]', { hasText: `Event on ${day}` }).waitFor();
  await choices.filter({ hasText: other.name }).waitFor({ timeout: 15_000 });
  assert.equal(await choices.filter({ hasText: taken.name }).count(), 0, `${taken.name} is booked on ${day}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('admin editors check prices before sending and ask before deleting', async () => {
  const context = await browser.newContext();
  const admin = await context.newPage();
  const errors = watchErrors(admin);
  const patches = [];
  admin.on('request', (r) => r.method() === 'PATCH' && patches.push(r.url()));
  await admin.goto(DEMO + '/admin/login');
  await admin.fill('input[name="email"]', 'staff@casamarcelino.test');
  await admin.fill('input[name="password"]', 'staff-password');
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.waitForURL(/\/admin$/);
  const rooms = admin.locator('[data-testid="admin-rooms"]').locator('xpath=ancestor::section[1]');
  const row = admin.locator('[data-testid="admin-rooms"] li').first();
  await row.waitFor({ timeout: 30_000 });
  for (const [typed, expected] of [
    ['', 'Enter a price per night.'],
    ['0', 'between ₱1 and ₱1,000,000'],
    ['25000000', 'between ₱1 and ₱1,000,000'],
  ]) {
    await row.locator('input[name="price_per_night"]').fill(typed);
    await row.getByRole('button', { name: 'Save' }).click();
    await rooms.locator('.error', { hasText: expected }).waitFor({ timeout: 5_000 });
  }
  await row.locator('input[name="name"]').fill('   ');
  await row.locator('input[name="price_per_night"]').fill('4500');
  await row.getByRole('button', { name: 'Save' }).click();
  await rooms.locator('.error', { hasText: 'Enter a room name.' }).waitFor({ timeout: 5_000 });
  assert.deepEqual(patches, [], 'nothing invalid is sent');

  // Deleting asks first: cancelled keeps the tile, confirmed removes it.
  const title = `Sandbar picnic ${Date.now()}`;
  await api('POST', '/api/admin/gallery', { body: { title, caption: 'Low tide lunch', color: '#1b6f7a' }, token: await login('admin'), expect: 201 });
  const tile = admin.locator('[data-testid="admin-gallery"] li', { hasText: title });
  await tile.waitFor({ timeout: 15_000 });
  const questions = [];
  admin.once('dialog', (d) => questions.push(d.message()) && d.dismiss());
  await tile.getByRole('button', { name: 'Remove' }).click();
  await admin.waitForTimeout(500);
  assert.equal(await tile.count(), 1, 'cancelled: still there');
  admin.once('dialog', (d) => questions.push(d.message()) && d.accept());
  await tile.getByRole('button', { name: 'Remove' }).click();
  await tile.waitFor({ state: 'detached', timeout: 15_000 });
  assert.equal(questions.length, 2);
  assert.ok(questions[0].includes(title), questions[0]);
  assert.deepEqual(errors, []);
  await context.close();
});
