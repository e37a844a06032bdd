// Shared helpers for the end-to-end tests: the demo API, Chromium, dates.
const assert = require('node:assert/strict');
const path = require('node:path');
const { chromium } = require('playwright-core');

const DEMO = process.env.DEMO_URL || 'http://127.0.0.1:8080';
const API = process.env.API_URL || 'http://127.0.0.1:8000';
const SHOTS = process.env.RUN_DIR || path.join(__dirname, '..', '..', '.run');

const ACCOUNTS = {
  admin: ['admin@casamarcelino.test', 'admin-password'],
  staff: ['staff@casamarcelino.test', 'staff-password'],
  guest: ['guest@casamarcelino.test', 'guest-password'],
};

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'],
  });
}

/** Calls the demo API; returns the parsed JSON body, failing on a non-2xx answer. */
async function api(method, url, { body, token, expect = 200 } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${API}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  assert.equal(response.status, expect, `${method} ${url}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function login(who) {
  const [email, password] = ACCOUNTS[who];
  return (await api('POST', '/api/login', { body: { email, password } })).token;
}

function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

function addDays(date, days) {
  const copy = new Date(date.getTime());
  copy.setUTCDate(copy.getUTCDate() + days);
  return copy;
}

/** A stay of `nights` nights at least `from` days ahead with at least one room free. */
async function freeStay(from, nights = 2) {
  const today = new Date(Date.UTC(new Date().getFullYear(), new Date().getMonth(), new Date().getDate()));
  for (let offset = from; offset < from + 120; offset += 3) {
    const checkIn = isoDate(addDays(today, offset));
    const checkOut = isoDate(addDays(today, offset + nights));
    const rooms = await api('GET', `/api/rooms/availability?check_in=${checkIn}&check_out=${checkOut}`);
    if (rooms.length > 0) return { checkIn, checkOut, room: rooms[0] };
  }
  throw new Error('no free stay found in four months');
}

/** Pages the booking calendar forward until `date` (YYYY-MM-DD) is shown. */
async function showMonth(page, date) {
  for (let i = 0; i < 12; i++) {
    if (await page.locator(`.calendar button[data-date="${date}"]`).count()) return;
    await page.getByRole('button', { name: 'Next month' }).click();
  }
  throw new Error(`the calendar never showed ${date}`);
}

/** Collects uncaught page errors. */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

module.exports = { DEMO, API, SHOTS, launch, api, login, freeStay, showMonth, watchErrors, addDays, isoDate };
