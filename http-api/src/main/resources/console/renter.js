// Renters: find a kitchen, see its week, hold a slot, pay, and manage their bookings.
import * as api from './api.js';
import { h, page, form, field, values, money, when, timeOnly, status, errorBox, problemText, flash,
  zonedInstant, localDate, addDays, isoDate, DAYS, uid, pager } from './ui.js';
import { stripe as stripeConfig } from './config.js';

const kitchens = new Map();
async function kitchenById(id) {
  if (!kitchens.has(id)) kitchens.set(id, await api.get(`/v1/kitchens/${encodeURIComponent(id)}`));
  return kitchens.get(id);
}

export async function search(query) {
  const city = query.get('city') || '';
  const cursor = query.get('cursor');
  const results = h('div', { 'aria-live': 'polite' });
  const f = form([field({ name: 'city', label: 'City', value: city, hint: 'The whole city name, in any case: New York, Berlin…' })],
    'Search', async (fm) => {
      const c = values(fm).city || '';
      const target = `#/search${c ? `?city=${encodeURIComponent(c)}` : ''}`;
      if (location.hash !== target) location.hash = target; else await list(c, fm);
    });
  f.classList.add('row');
  page('Find a kitchen', h('section', { class: 'card' }, f), results);
  await list(city, f);

  async function list(c, fm) {
    let data;
    try {
      data = await api.get(`/v1/kitchens?limit=${SEARCH_PAGE}${c ? `&city=${encodeURIComponent(c)}` : ''}${cursor && c === city ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    } catch (err) {
      const { showProblem } = await import('./ui.js');
      showProblem(fm, err);
      results.replaceChildren();
      return;
    }
    for (const k of data.items) kitchens.set(k.kitchen_id, k);
    const paged = (cursor && c === city) || data.next_cursor;
    results.replaceChildren(
      h('h2', {}, data.items.length ? `${data.items.length} kitchen${data.items.length === 1 ? '' : 's'}${c ? ` in ${c}` : ''}${paged ? ' on this page' : ''}` : `No published kitchen${c ? ` in ${c}` : ''} ${paged ? 'on this page' : 'yet'}`),
      h('ul', { class: 'grid', role: 'list' }, data.items.map((k) => h('li', { class: 'card' },
        h('h3', {}, h('a', { href: `#/kitchens/${k.kitchen_id}` }, k.name)),
        h('p', { class: 'muted' }, [k.address, k.city].filter(Boolean).join(' · ') || 'No address given'),
        h('p', {}, `${money(k.hourly_rate_cents, k.currency)} an hour, at least ${k.rules.min_duration_minutes / 60} h`)))),
      pager('/search', c ? new URLSearchParams({ city: c }) : new URLSearchParams(), c === city ? cursor : null, data.next_cursor));
  }
}

/** Kitchens a page of search results. */
const SEARCH_PAGE = 24;

/** A kitchen with no opening hours is open around the clock. */
function windowsOn(k, dow) {
  if (!k.opening_hours) return [{ open: '00:00', close: '24:00' }];
  return k.opening_hours[DAYS[dow]] || [];
}

function rulesList(k) {
  const r = k.rules;
  return h('ul', {},
    h('li', {}, `Bookings start and end on ${r.slot_minutes}-minute boundaries, last ${hours(r.min_duration_minutes)} to ${hours(r.max_duration_minutes)}.`),
    h('li', {}, `Book at least ${hours(r.min_notice_minutes)} ahead and at most ${r.horizon_days} days ahead.`),
    h('li', {}, r.buffer_minutes ? `${r.buffer_minutes} minutes are kept free for cleaning before and after every booking.` : 'No cleaning buffer between bookings.'),
    h('li', {}, 'Cancelling a confirmed booking 48 h or more before it starts refunds the total less a 5 % processing fee; 24 to 48 h before, half; later, nothing.'));
}

function hours(minutes) {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

function openingText(k) {
  if (!k.opening_hours) return h('p', {}, 'Open around the clock, every day.');
  return h('dl', { class: 'facts' }, DAYS.map((d, i) => [
    h('dt', {}, d.charAt(0).toUpperCase() + d.slice(1)),
    h('dd', {}, windowsOn(k, i).length ? windowsOn(k, i).map((w) => `${w.open}–${w.close}`).join(', ') : 'closed'),
  ]));
}

/** The week (Monday to Sunday, in the kitchen's zone) that contains `date` (yyyy-mm-dd) or today. */
function weekOf(k, dateText) {
  let d = localDate(Date.now(), k.time_zone);
  if (dateText && /^\d{4}-\d{2}-\d{2}$/.test(dateText)) {
    const [y, m, dd] = dateText.split('-').map(Number);
    d = addDays({ y, m, d: dd }, 0);
  }
  return addDays(d, -d.dow);
}

export async function kitchen(id, query) {
  const k = await api.get(`/v1/kitchens/${encodeURIComponent(id)}`);
  kitchens.set(id, k);
  const monday = weekOf(k, query.get('week'));
  const days = [...Array(7).keys()].map((i) => addDays(monday, i));
  const from = zonedInstant(monday.y, monday.m, monday.d, 0, 0, k.time_zone);
  const sunday = addDays(monday, 7);
  const to = zonedInstant(sunday.y, sunday.m, sunday.d, 0, 0, k.time_zone);
  let free = [];
  let availabilityError = null;
  try {
    const a = await api.get(`/v1/kitchens/${encodeURIComponent(id)}/availability?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
    free = a.free.map((f) => [Date.parse(f.start), Date.parse(f.end)]);
  } catch (err) { availabilityError = err; }

  const picked = { start: null };
  const holdArea = h('div', { id: 'hold-area' });
  const calendar = h('div', { class: 'week', role: 'group', 'aria-label': `Week of ${isoDate(monday)} in ${k.time_zone}` }, days.map((day) => dayColumn(k, day, free, picked, holdArea)));
  const prev = isoDate(addDays(monday, -7));
  const next = isoDate(addDays(monday, 7));
  page(k.name,
    h('section', { class: 'card' },
      h('p', {}, status(k.status), ' ', [k.address, k.city].filter(Boolean).join(' · ')),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Price'), h('dd', {}, `${money(k.hourly_rate_cents, k.currency)} an hour, plus tax of ${(k.tax_bps / 100).toFixed(2)} % and the platform fee`),
        h('dt', {}, 'Time zone'), h('dd', {}, `${k.time_zone} (every time on this page is the kitchen’s local time)`))),
    h('section', { class: 'card', 'aria-labelledby': 'h-rules' }, h('h2', { id: 'h-rules' }, 'Rules'), rulesList(k), h('h3', {}, 'Opening hours'), openingText(k)),
    h('section', { class: 'card', 'aria-labelledby': 'h-week' },
      h('h2', { id: 'h-week' }, `Week of ${when(from, k.time_zone, { weekday: undefined, hour: undefined, minute: undefined, year: 'numeric' })}`),
      h('div', { class: 'actions' },
        h('a', { class: 'button secondary', href: `#/kitchens/${id}?week=${prev}` }, '← Previous week'),
        h('a', { class: 'button secondary', href: `#/kitchens/${id}?week=${next}` }, 'Next week →')),
      h('p', { class: 'legend' }, h('span', { class: 'l-free' }, 'free: choose a start'), h('span', { class: 'l-taken' }, 'taken, too soon or closed')),
      availabilityError ? errorBox(availabilityError) : null,
      calendar),
    holdArea);
}

function dayColumn(k, day, free, picked, holdArea) {
  const windows = windowsOn(k, day.dow);
  const cells = [];
  const step = k.rules.slot_minutes * 60000;
  const starts = [];
  for (const w of windows) {
    const [oh, om] = w.open.split(':').map(Number);
    const [ch, cm] = w.close.split(':').map(Number);
    const start = zonedInstant(day.y, day.m, day.d, oh, om, k.time_zone).getTime();
    const endDay = ch === 24 ? addDays(day, 1) : day;
    const end = zonedInstant(endDay.y, endDay.m, endDay.d, ch === 24 ? 0 : ch, cm, k.time_zone).getTime();
    for (let t = start; t < end; t += step) starts.push(t);
  }
  // The local clock repeats an hour on the day daylight saving ends: those slots name their offset.
  const labels = starts.map((t) => timeOnly(t, k.time_zone));
  starts.forEach((t, i) => {
    const repeated = labels.indexOf(labels[i]) !== labels.lastIndexOf(labels[i]);
    const label = repeated ? `${labels[i]} ${zoneName(t, k.time_zone)}` : labels[i];
    const isFree = free.some(([a, b]) => a <= t && t + step <= b);
    if (isFree) {
      cells.push(h('li', {}, h('button', {
        type: 'button', class: 'slot', 'aria-pressed': 'false', 'data-start': new Date(t).toISOString(),
        'aria-label': `${when(t, k.time_zone)}${repeated ? ` ${zoneName(t, k.time_zone)}` : ''} free`,
        onclick: (e) => pick(k, t, free, picked, holdArea, e.currentTarget),
      }, label)));
    } else {
      cells.push(h('li', {}, h('span', { class: 'slot', 'data-start': new Date(t).toISOString() }, `${label} taken`)));
    }
  });
  const title = when(zonedInstant(day.y, day.m, day.d, 12, 0, k.time_zone), k.time_zone, { hour: undefined, minute: undefined });
  return h('div', { class: 'day' }, h('h3', {}, title), cells.length ? h('ol', {}, cells) : h('p', { class: 'muted' }, 'Closed'));
}

function zoneName(t, zone) {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName');
  return part ? part.value : '';
}

function pick(k, t, free, picked, holdArea, button) {
  document.querySelectorAll('button.slot[aria-pressed="true"]').forEach((b) => b.setAttribute('aria-pressed', 'false'));
  button.setAttribute('aria-pressed', 'true');
  picked.start = t;
  const stretch = free.find(([a, b]) => a <= t && t < b);
  const r = k.rules;
  const options = [];
  for (let m = r.min_duration_minutes; m <= r.max_duration_minutes; m += r.slot_minutes) {
    if (t + m * 60000 > stretch[1]) break;
    options.push([String(m), `${hours(m)}, until ${timeOnly(t + m * 60000, k.time_zone)} (${money(Math.round(k.hourly_rate_cents * m / 60), k.currency)} before fee and tax)`]);
  }
  const duration = options.length
    ? field({ name: 'end', label: 'How long', options, value: options[0][0] })
    : h('p', { class: 'form-error' }, `This free stretch is shorter than the minimum of ${hours(r.min_duration_minutes)}: pick an earlier start.`);
  const key = crypto.randomUUID();
  const f = form([h('p', {}, `Start: ${when(t, k.time_zone)} (${k.time_zone})`), duration], 'Hold this slot', async (fm) => {
    const minutes = Number(fm.elements.end ? fm.elements.end.value : r.min_duration_minutes);
    const b = await api.post(`/v1/kitchens/${encodeURIComponent(k.kitchen_id)}/bookings`,
      { start: new Date(t).toISOString(), end: new Date(t + minutes * 60000).toISOString() },
      { headers: { 'Idempotency-Key': key } });
    location.hash = `#/bookings/${b.booking_id}`;
  });
  holdArea.replaceChildren(h('section', { class: 'card', 'aria-labelledby': 'h-hold' }, h('h2', { id: 'h-hold' }, 'Hold a slot'), f));
  const first = holdArea.querySelector('select, button[type=submit]');
  if (first) first.focus();
}

function priceTable(p) {
  const row = (label, cents, cls) => h('tr', { class: cls }, h('th', { scope: 'row' }, label), h('td', {}, money(cents, p.currency)));
  return h('table', { class: 'price' }, h('caption', { class: 'muted' }, 'Price breakdown'), h('tbody', {},
    row('Kitchen time', p.subtotal_cents), row('Platform fee', p.platform_fee_cents), row('Tax', p.tax_cents), row('Total', p.total_cents, 'total')));
}

let ticker = null;

export async function booking(id) {
  if (ticker) { clearInterval(ticker); ticker = null; }
  const b = await api.get(`/v1/bookings/${encodeURIComponent(id)}`);
  const k = await kitchenById(b.kitchen_id).catch(() => ({ name: 'Kitchen', time_zone: 'UTC', kitchen_id: b.kitchen_id }));
  const payArea = h('div', { id: 'pay-area' });
  const countdown = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off', id: 'countdown' });
  page(`Booking at ${k.name}`,
    h('section', { class: 'card' },
      h('p', {}, 'Status: ', h('span', { id: 'booking-status' }, status(b.status))),
      h('dl', { class: 'facts' },
        h('dt', {}, 'From'), h('dd', {}, `${when(b.start, k.time_zone)} (${k.time_zone})`),
        h('dt', {}, 'Until'), h('dd', {}, when(b.end, k.time_zone)),
        h('dt', {}, 'Kitchen'), h('dd', {}, h('a', { href: `#/kitchens/${b.kitchen_id}` }, k.name))),
      priceTable(b.price),
      b.status === 'HELD' ? countdown : null,
      b.status === 'CANCELLED' ? h('p', {}, `Refund: ${money(b.refund_cents, b.price.currency)}`) : null),
    payArea,
    h('p', {}, h('a', { href: '#/my-bookings' }, 'All my bookings')));
  if (b.status === 'HELD') {
    const expires = Date.parse(b.hold_expires_at);
    const tick = () => {
      const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
      countdown.textContent = left > 0 ? `This hold ends in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}: pay before then to keep the slot.` : 'This hold has run out: the slot is free again.';
      if (left === 0 && ticker) { clearInterval(ticker); ticker = null; }
    };
    tick();
    ticker = setInterval(() => { if (!document.body.contains(countdown)) { clearInterval(ticker); ticker = null; } else tick(); }, 1000);
    if (api.hasRole('renter')) payArea.replaceChildren(payCard(b));
  }
}

function payCard(b) {
  return stripeConfig ? stripeCard(b) : offlineCard(b);
}

/** Polls the booking until it leaves HELD (the payment's webhook confirms it), then shows it. */
async function awaitConfirmation(b, note) {
  note.textContent = 'Paid. Confirming with the kitchen…';
  for (let i = 0; i < 20; i++) {
    const now = await api.get(`/v1/bookings/${encodeURIComponent(b.booking_id)}`);
    if (now.status !== 'HELD') { flash(now.status === 'CONFIRMED' ? 'Paid and confirmed.' : `The booking is ${now.status}.`); break; }
    await new Promise((r) => setTimeout(r, 250 * (i + 1)));
  }
  await booking(b.booking_id);
}

function offlineCard(b) {
  const message = h('div', { class: 'form-error', role: 'alert' });
  const note = h('p', { role: 'status' });
  const run = async (outcome, button) => {
    message.textContent = '';
    button.disabled = true;
    try {
      await api.post(`/v1/bookings/${encodeURIComponent(b.booking_id)}/payment`);
      const p = await api.post(`/v1/bookings/${encodeURIComponent(b.booking_id)}/payment/simulate`, { outcome });
      if (p.status === 'FAILED') { note.textContent = 'The payment failed; the slot is still held. Try again before the hold ends.'; return; }
      await awaitConfirmation(b, note);
    } catch (err) {
      message.textContent = err.status === 404 && err.code === 'NOT_FOUND'
        ? 'This node takes payments through Stripe but has no publishable key (HEARTH_STRIPE_PUBLISHABLE_KEY), so the console cannot take the card.'
        : problemText(err);
    } finally {
      button.disabled = false;
    }
  };
  const pay = h('button', { type: 'button', id: 'pay', onclick: (e) => run('succeeded', e.currentTarget) }, `Pay ${money(b.price.total_cents, b.price.currency)}`);
  const fail = h('button', { type: 'button', class: 'secondary', onclick: (e) => run('failed', e.currentTarget) }, 'Simulate a failed payment');
  return h('section', { class: 'card', 'aria-labelledby': 'h-pay' }, h('h2', { id: 'h-pay' }, 'Pay'),
    h('p', { class: 'muted' }, 'This node uses the offline payment provider (no card is charged): the buttons settle the payment as a card would.'),
    message, h('div', { class: 'actions' }, pay, fail), note);
}

let stripeLoaded = null;

/** Loads Stripe.js once, from the address the node names (Stripe's own unless a test says otherwise). */
function loadStripe() {
  if (!stripeLoaded) {
    stripeLoaded = new Promise((resolve, reject) => {
      if (window.Stripe) { resolve(window.Stripe); return; }
      const script = h('script', { src: stripeConfig.scriptUrl });
      script.addEventListener('load', () => (window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js loaded but did not start.'))));
      script.addEventListener('error', () => { stripeLoaded = null; reject(new Error('Stripe.js could not be loaded; check your connection and reload the page.')); });
      document.head.append(script);
    });
  }
  return stripeLoaded;
}

/**
 * Stripe Elements: the card field is Stripe's (its frame, on Stripe's origin), so the card number
 * never reaches this page or the node. Pay starts the payment (its client secret), confirms it with
 * Stripe.js, then waits for the booking's status from the API, which Stripe's webhook changes.
 */
function stripeCard(b) {
  const message = h('div', { class: 'form-error', role: 'alert' });
  const note = h('p', { role: 'status' });
  const cardError = h('p', { class: 'error', id: 'card-error' });
  const mount = h('div', { class: 'card-element', id: 'card-element', role: 'group', 'aria-labelledby': 'card-label', 'aria-describedby': 'card-error' });
  const pay = h('button', { type: 'button', id: 'pay', disabled: true }, `Pay ${money(b.price.total_cents, b.price.currency)}`);
  const section = h('section', { class: 'card', 'aria-labelledby': 'h-pay' }, h('h2', { id: 'h-pay' }, 'Pay by card'),
    h('p', { class: 'muted' }, 'Your card is taken by Stripe: the number goes to Stripe, never to Hearth.'),
    message,
    h('div', { class: 'field' }, h('p', { class: 'label', id: 'card-label' }, 'Card'), mount, cardError),
    h('div', { class: 'actions' }, pay), note);
  loadStripe().then((Stripe) => {
    const stripe = Stripe(stripeConfig.publishableKey);
    const card = stripe.elements().create('card');
    card.mount(mount);
    if (card.on) card.on('change', (e) => { cardError.textContent = e.error ? e.error.message : ''; });
    pay.disabled = false;
    pay.addEventListener('click', async () => {
      message.textContent = '';
      cardError.textContent = '';
      pay.disabled = true;
      try {
        const intent = await api.post(`/v1/bookings/${encodeURIComponent(b.booking_id)}/payment`);
        note.textContent = 'Paying…';
        const result = await stripe.confirmCardPayment(intent.client_secret, { payment_method: { card } });
        if (result.error) {
          note.textContent = '';
          const text = `${result.error.message || 'The card was not accepted.'}${/[.!?]$/.test(result.error.message || '') ? '' : '.'} The slot is still held: try again or use another card before the hold ends.`;
          if (['card_error', 'validation_error'].includes(result.error.type)) cardError.textContent = text; else message.textContent = text;
          if (card.focus) card.focus();
          return;
        }
        await awaitConfirmation(b, note);
      } catch (err) {
        note.textContent = '';
        message.textContent = problemText(err);
      } finally {
        pay.disabled = false;
      }
    });
  }).catch((err) => { message.textContent = err.message; });
  return section;
}

/** What cancelling now refunds the renter (the policy of docs/openapi.yaml's cancel route). */
export function refundNow(b, now = Date.now()) {
  if (b.status !== 'CONFIRMED') return 0;
  const total = b.price.total_cents;
  const notice = Date.parse(b.start) - now;
  const hour = 3600000;
  if (notice >= 48 * hour) return total - Math.floor((total * 5 + 50) / 100);
  if (notice >= 24 * hour) return Math.floor((total * 50 + 50) / 100);
  return 0;
}

/** Bookings a page of "My bookings". */
const BOOKINGS_PAGE = 25;

export async function myBookings(query) {
  const cursor = query && query.get ? query.get('cursor') : null;
  const data = await api.get(`/v1/me/bookings?limit=${BOOKINGS_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  const rows = [];
  await Promise.all([...new Set(data.items.map((b) => b.kitchen_id))].map((id) => kitchenById(id).catch(() => null)));
  for (const b of data.items) {
    const k = await kitchenById(b.kitchen_id).catch(() => ({ name: b.kitchen_id, time_zone: 'UTC' }));
    const cancellable = b.status === 'HELD' || (b.status === 'CONFIRMED' && Date.parse(b.end) > Date.now());
    rows.push(h('tr', {},
      h('td', {}, h('a', { href: `#/bookings/${b.booking_id}` }, k.name)),
      h('td', {}, `${when(b.start, k.time_zone)} – ${timeOnly(b.end, k.time_zone)}`, h('br'), h('span', { class: 'muted' }, k.time_zone)),
      h('td', {}, status(b.status)),
      h('td', {}, money(b.price.total_cents, b.price.currency), b.refund_cents ? h('span', { class: 'muted' }, ` (refunded ${money(b.refund_cents, b.price.currency)})`) : null),
      h('td', {}, cancellable ? h('button', { type: 'button', class: 'secondary', onclick: () => confirmCancel(b, k) }, 'Cancel…') : null)));
  }
  page('My bookings',
    h('p', { class: 'muted' }, `As of ${new Date(data.freshness.consistent_as_of).toLocaleTimeString()}: a booking made a moment ago may take a second to appear. `,
      h('button', { type: 'button', class: 'secondary', id: 'refresh-bookings', onclick: () => myBookings(query) }, 'Refresh')),
    rows.length
      ? h('div', { class: 'table-wrap' }, h('table', { id: 'my-bookings' }, h('caption', { class: 'muted' }, `${rows.length} booking${rows.length === 1 ? '' : 's'}${cursor || data.next_cursor ? ' on this page' : ''}, by start`), h('thead', {}, h('tr', {}, ['Kitchen', 'When (kitchen time)', 'Status', 'Total', ''].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows)))
      : cursor ? h('p', {}, 'No more bookings.') : h('p', {}, 'No bookings yet. ', h('a', { href: '#/search' }, 'Find a kitchen'), '.'),
    pager('/my-bookings', new URLSearchParams(), cursor, data.next_cursor));
}

function confirmCancel(b, k) {
  const refund = refundNow(b);
  const id = uid('dlg');
  const reason = field({ name: 'reason', label: 'Reason (optional)', attrs: { maxlength: 500 } });
  const errors = h('div', { class: 'form-error', role: 'alert' });
  const dialog = h('dialog', { 'aria-labelledby': id },
    h('h2', { id }, 'Cancel this booking?'),
    h('p', {}, `${k.name}, ${when(b.start, k.time_zone)}.`),
    h('p', { id: 'refund-preview' }, b.status === 'HELD'
      ? 'Nothing was paid for this hold, so nothing is refunded.'
      : `Cancelling now refunds ${money(refund, b.price.currency)} of ${money(b.price.total_cents, b.price.currency)}.`),
    reason, errors,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'danger', id: 'confirm-cancel', onclick: async (e) => {
        e.currentTarget.disabled = true;
        try {
          const r = dialog.querySelector('[name=reason]').value.trim();
          const done = await api.post(`/v1/bookings/${encodeURIComponent(b.booking_id)}/cancel`, r ? { reason: r } : {});
          dialog.close();
          dialog.remove();
          flash(`Cancelled. Refund: ${money(done.refund_cents, done.price.currency)}.`);
          await myBookings();
        } catch (err) {
          errors.textContent = problemText(err);
          e.currentTarget.disabled = false;
        }
      } }, 'Cancel the booking'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { dialog.close(); dialog.remove(); } }, 'Keep it')));
  document.body.append(dialog);
  dialog.showModal();
}
