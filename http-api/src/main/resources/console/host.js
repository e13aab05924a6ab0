// Hosts: profile, kitchens (create, edit, publish, pause), certificates and compliance, the
// kitchen's bookings calendar and payouts by week.
import * as api from './api.js';
import { h, page, form, field, values, money, when, timeOnly, status, errorBox, problemText, flash,
  zonedInstant, localDate, addDays, isoDate, DAYS, DAY_NAMES, pager, uid } from './ui.js';

/** Every kitchen of the signed-in host, drafts included (GET /v1/hosts/me/kitchens, all pages). */
function myKitchens() {
  return allPages('/v1/hosts/me/kitchens?limit=200');
}

/** Every item of a list route, following next_cursor. */
async function allPages(path) {
  const all = [];
  let cursor = null;
  do {
    const data = await api.get(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    all.push(...data.items);
    cursor = data.next_cursor;
  } while (cursor);
  return all;
}

/** How many of the host's kitchens "My kitchens" shows a page. */
const KITCHENS_A_PAGE = 24;

export async function kitchens(query) {
  const cursor = query && query.get('cursor');
  const [list, notes] = await Promise.all([
    api.get(`/v1/hosts/me/kitchens?limit=${KITCHENS_A_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).catch((e) => e),
    api.get('/v1/hosts/me/compliance-notices').catch((e) => e)]);
  const items = list instanceof Error ? [] : list.items;
  page('My kitchens',
    h('p', {}, h('a', { class: 'button', href: '#/host/kitchens/new' }, 'Add a kitchen'), ' ', h('a', { href: '#/host/profile' }, 'Your host profile')),
    h('section', { class: 'card', id: 'notices-panel', 'aria-labelledby': 'h-notices' }, h('h2', { id: 'h-notices' }, 'Compliance notices'),
      notes instanceof Error ? errorBox(notes) : noticesView(notes),
      h('p', {}, h('a', { href: '#/host/compliance?within_days=90' }, 'Look further ahead'))),
    h('section', { 'aria-labelledby': 'h-mine' },
      h('h2', { id: 'h-mine' }, list instanceof Error ? 'Your kitchens' : `${items.length} kitchen${items.length === 1 ? '' : 's'}${cursor || list.next_cursor ? ' on this page' : ''}, drafts included`),
      list instanceof Error ? errorBox(list) : null,
      items.length
        ? h('ul', { class: 'grid', role: 'list', id: 'my-kitchens' }, items.map((k) => h('li', { class: 'card', 'data-kitchen-id': k.kitchen_id },
          h('h3', {}, h('a', { href: `#/host/kitchens/${k.kitchen_id}` }, k.name)),
          h('p', {}, status(k.status), ' ', k.city || ''),
          h('p', {}, `${money(k.hourly_rate_cents, k.currency)} an hour`),
          h('p', {}, h('a', { href: `#/host/kitchens/${k.kitchen_id}/calendar`, 'aria-label': `Bookings calendar of ${k.name}` }, 'Bookings calendar')))))
        : list instanceof Error ? null : h('p', {}, cursor ? 'No more kitchens.' : 'No kitchens yet. A kitchen added a moment ago may take a second to appear.'),
      list instanceof Error ? null : pager('/host', new URLSearchParams(), cursor, list.next_cursor),
      list instanceof Error ? null : h('p', { class: 'muted' }, freshnessText(list.freshness))));
}

const PROFILE_FIELDS = [
  ['legal_name', 'Legal name', true], ['business_name', 'Business name', true], ['contact_name', 'Contact name'],
  ['contact_email', 'Contact e-mail', true, 'email'], ['contact_phone', 'Contact phone', false, 'tel'], ['address', 'Address', true],
  ['city', 'City'], ['region', 'Region', false, 'text', 'A region or city code such as NY: it picks the compliance rules.'], ['postal_code', 'Postal code'],
  ['country', 'Country', true, 'text', 'Two letters, ISO 3166-1: US, DE, GB…'],
];

export async function profile() {
  let p = {};
  try { p = await api.get('/v1/hosts/me'); } catch (e) { if (e.status !== 404) throw e; }
  const f = form(PROFILE_FIELDS.map(([name, label, required, type, hint]) => field({ name, label, required, type, hint, value: p[name] || '' })),
    'Save profile', async (fm) => {
      const saved = await api.put('/v1/hosts/me', values(fm));
      flash(`Profile saved. Compliance rules of ${saved.jurisdiction} apply.`);
    });
  page('Host profile', h('p', { class: 'muted' }, p.jurisdiction ? `Compliance rules of ${p.jurisdiction} apply.` : 'Your legal details decide which compliance rules apply and appear on your payouts.'), h('section', { class: 'card' }, f));
}

function dollars(cents) { return cents === undefined || cents === null ? '' : (cents / 100).toFixed(2); }

function kitchenFields(k) {
  const r = k.rules || {};
  // No opening hours at all means open around the clock: shown as 00:00 to 24:00 every day.
  const oh = k.opening_hours || Object.fromEntries(DAYS.map((d) => [d, [k.kitchen_id ? { open: '00:00', close: '24:00' } : { open: '08:00', close: '20:00' }]]));
  const zone = k.time_zone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const blackouts = (k.blackouts || []).map((b) => `${localText(b.start, zone)} ${localText(b.end, zone)}`).join('\n');
  return [
    h('fieldset', {}, h('legend', {}, 'The kitchen'),
      field({ name: 'name', label: 'Name', required: true, value: k.name }),
      field({ name: 'address', label: 'Address', value: k.address }),
      field({ name: 'city', label: 'City', value: k.city, hint: 'Renters search by it.' }),
      field({ name: 'time_zone', label: 'Time zone', required: true, value: zone, hint: 'An IANA zone such as America/New_York or Europe/Berlin.' })),
    h('fieldset', {}, h('legend', {}, 'Price'),
      h('div', { class: 'row' },
        field({ name: 'hourly_rate_cents', label: 'Hourly rate', required: true, value: dollars(k.hourly_rate_cents), type: 'text', hint: 'In the currency below, e.g. 45.00', attrs: { inputmode: 'decimal' } }),
        field({ name: 'currency', label: 'Currency', value: k.currency || 'USD', hint: 'ISO 4217: USD, EUR…' }),
        field({ name: 'tax_bps', label: 'Tax (%)', value: k.tax_bps !== undefined ? (k.tax_bps / 100).toFixed(2) : '0', attrs: { inputmode: 'decimal' } }))),
    h('fieldset', {}, h('legend', {}, 'Booking rules (minutes unless said)'),
      h('div', { class: 'row' },
        field({ name: 'rules.slot_minutes', label: 'Slot length', value: r.slot_minutes ?? 30, attrs: { inputmode: 'numeric' } }),
        field({ name: 'rules.min_duration_minutes', label: 'Shortest booking', value: r.min_duration_minutes ?? 60, attrs: { inputmode: 'numeric' } }),
        field({ name: 'rules.max_duration_minutes', label: 'Longest booking', value: r.max_duration_minutes ?? 720, attrs: { inputmode: 'numeric' } }),
        field({ name: 'rules.min_notice_minutes', label: 'Notice needed', value: r.min_notice_minutes ?? 60, attrs: { inputmode: 'numeric' } }),
        field({ name: 'rules.horizon_days', label: 'Days ahead bookable', value: r.horizon_days ?? 180, attrs: { inputmode: 'numeric' } }),
        field({ name: 'rules.buffer_minutes', label: 'Cleaning buffer', value: r.buffer_minutes ?? 0, attrs: { inputmode: 'numeric' } }))),
    h('fieldset', { id: 'opening-hours' }, h('legend', {}, 'Opening hours (kitchen time)'),
      h('p', { class: 'hint' }, `Up to ${MAX_WINDOWS} windows a day, HH:MM; 24:00 for midnight at the end of a day. A day with no window is closed.`,
        k.kitchen_id && !k.opening_hours ? ' This kitchen has no opening hours set, so it is open around the clock: shown here as 00:00 to 24:00.' : ''),
      h('div', { class: 'days' }, DAYS.map((d) => dayHours(d, oh[d] || [])))),
    h('fieldset', {}, h('legend', {}, 'Blackouts'),
      field({ name: 'blackouts', label: 'Closed periods', type: 'textarea', value: blackouts, hint: 'One a line, start and end in kitchen time: 2026-12-24T00:00 2026-12-27T00:00' })),
  ];
}

const MAX_WINDOWS = 24;

/** One day's opening windows: a row per window, each removable, and a button to add one. */
function dayHours(day, windows) {
  const name = DAY_NAMES[DAYS.indexOf(day)];
  const errorId = uid('day-err');
  const list = h('div', { class: 'windows' });
  const closed = h('p', { class: 'muted closed-note' }, `Closed on ${name}s.`);
  const add = h('button', { type: 'button', class: 'secondary add-window', 'aria-label': `Add an opening window on ${name}` }, 'Add a window');
  const box = h('fieldset', { class: 'day-hours', 'data-day': day },
    h('legend', {}, name), closed, list,
    h('p', { class: 'error', id: errorId, 'data-error-for': `opening_hours.${day}`, 'data-label': `${name}:` }),
    h('div', { class: 'actions' }, add));
  const renumber = () => {
    const rows = [...list.children];
    rows.forEach((row, i) => {
      for (const part of ['open', 'close']) {
        const input = row.querySelector(`input[data-part="${part}"]`);
        const label = row.querySelector(`label[for="${input.id}"]`);
        const words = `Window ${i + 1} ${part === 'open' ? 'opens' : 'closes'}`;
        input.name = `opening_hours.${day}[${i}].${part}`;
        input.dataset.label = `${name} window ${i + 1}: the ${part === 'open' ? 'opening' : 'closing'} time`;
        label.textContent = words;
        row.querySelector(`[data-part-error="${part}"]`).dataset.errorFor = input.name;
      }
      row.querySelector('button.remove-window').setAttribute('aria-label', `Remove ${name}’s window ${i + 1}`);
    });
    closed.hidden = rows.length > 0;
    add.disabled = rows.length >= MAX_WINDOWS;
  };
  const row = (w) => {
    const parts = ['open', 'close'].map((part) => {
      const f = field({ name: `opening_hours.${day}[x].${part}`, label: part, value: w[part] || '', attrs: { placeholder: 'HH:MM', inputmode: 'numeric', autocomplete: 'off', size: 6, maxlength: 5 } });
      const input = f.querySelector('input');
      input.dataset.part = part;
      input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby')} ${errorId}`);
      f.querySelector('.error').dataset.partError = part;
      return f;
    });
    const r = h('div', { class: 'row window' }, parts,
      h('button', { type: 'button', class: 'secondary remove-window', onclick: () => {
        const next = r.nextElementSibling || r.previousElementSibling;
        r.remove();
        renumber();
        (next ? next.querySelector('input') : add).focus();
      } }, 'Remove'));
    return r;
  };
  add.addEventListener('click', () => {
    const r = row({});
    list.append(r);
    renumber();
    r.querySelector('input').focus();
  });
  windows.forEach((w) => list.append(row(w)));
  renumber();
  return box;
}

/** A form's windows of one day, in order; rows left wholly empty are dropped first. */
function windowsOf(fm, day) {
  const box = fm.querySelector(`.day-hours[data-day="${day}"]`);
  const rows = [...box.querySelectorAll('.window')];
  for (const r of rows) {
    const [open, close] = [...r.querySelectorAll('input')].map((i) => i.value.trim());
    if (!open && !close) r.remove();
  }
  // Renumber what is left (names follow the order the API will report errors in).
  const left = [...box.querySelectorAll('.window')];
  left.forEach((r, i) => r.querySelectorAll('input').forEach((input) => {
    input.name = `opening_hours.${day}[${i}].${input.dataset.part}`;
    r.querySelector(`[data-part-error="${input.dataset.part}"]`).dataset.errorFor = input.name;
  }));
  box.querySelector('.closed-note').hidden = left.length > 0;
  return left.map((r) => {
    const [open, close] = [...r.querySelectorAll('input')].map((i) => i.value.trim());
    return { open, close };
  });
}

function localText(instant, zone) {
  const d = localDate(Date.parse(instant), zone);
  return `${isoDate(d)}T${timeOnly(instant, zone)}`;
}

class FieldProblem extends Error {
  constructor(errors) { super('Some fields need a fix.'); this.problem = { detail: 'Some fields need a fix.', errors }; }
}

/** The form as the API's kitchen request; numbers checked here say so next to their field. */
function kitchenRequest(fm) {
  const v = values(fm);
  const errors = [];
  const num = (name, scale, what) => {
    if (v[name] === undefined) return undefined;
    const n = Number(v[name]);
    if (!Number.isFinite(n)) { errors.push({ field: name, message: `must be ${what}` }); return undefined; }
    return Math.round(n * scale);
  };
  const body = { name: v.name, time_zone: v.time_zone, address: v.address, city: v.city, currency: v.currency };
  body.hourly_rate_cents = num('hourly_rate_cents', 100, 'an amount such as 45.00');
  body.tax_bps = num('tax_bps', 100, 'a percentage such as 8.875');
  body.rules = {};
  for (const r of ['slot_minutes', 'min_duration_minutes', 'max_duration_minutes', 'min_notice_minutes', 'horizon_days', 'buffer_minutes']) {
    const n = num(`rules.${r}`, 1, 'a whole number');
    if (n !== undefined) body.rules[r] = n;
  }
  body.opening_hours = {};
  for (const d of DAYS) {
    const windows = windowsOf(fm, d);
    if (windows.length) body.opening_hours[d] = windows;
  }
  body.blackouts = [];
  const zone = v.time_zone || 'UTC';
  (v.blackouts || '').split('\n').map((l) => l.trim()).filter(Boolean).forEach((line) => {
    const parts = line.split(/\s+/);
    const at = (t) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(t || '');
      return m ? zonedInstant(+m[1], +m[2], +m[3], +m[4], +m[5], zone).toISOString() : null;
    };
    const start = at(parts[0]);
    const end = at(parts[1]);
    if (!start || !end) errors.push({ field: 'blackouts', message: `line “${line}” must be a start and an end such as 2026-12-24T00:00 2026-12-27T00:00` });
    else body.blackouts.push({ start, end });
  });
  if (errors.length) throw new FieldProblem(errors);
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return body;
}

/**
 * The API names a blackout by its place in the list (blackouts[2].end); the form has them as lines
 * of one box, so the message says which line.
 */
function byLine(err, fm) {
  if (!err || !err.problem || !Array.isArray(err.problem.errors)) return err;
  const lines = fm.elements.blackouts.value.split('\n').map((l) => l.trim()).filter(Boolean);
  err.problem.errors = err.problem.errors.map((fe) => {
    const m = /^blackouts\[(\d+)\]\.?(.*)$/.exec(fe.field || '');
    if (!m) return fe;
    const line = lines[Number(m[1])];
    return { field: 'blackouts', message: `on line ${Number(m[1]) + 1}${line ? ` (${line})` : ''}: the ${m[2] || 'period'} ${fe.message}` };
  });
  return err;
}

export async function editKitchen(id) {
  const k = id ? await api.get(`/v1/kitchens/${encodeURIComponent(id)}`) : {};
  const key = crypto.randomUUID();
  const f = form(kitchenFields(k), id ? 'Save changes' : 'Create kitchen', async (fm) => {
    const body = kitchenRequest(fm);
    if (id) {
      await api.patch(`/v1/kitchens/${encodeURIComponent(id)}`, body).catch((err) => { throw byLine(err, fm); });
      flash('Saved.');
      await editKitchen(id);
    } else {
      const made = await api.post('/v1/kitchens', body, { headers: { 'Idempotency-Key': key } }).catch((err) => { throw byLine(err, fm); });
      flash('Kitchen created as a draft: add certificates, then publish it.');
      location.hash = `#/host/kitchens/${made.kitchen_id}`;
    }
  });
  if (!id) { page('Add a kitchen', h('section', { class: 'card' }, f)); return; }
  const lifecycle = h('div', { class: 'actions' });
  const lifeError = h('div', { class: 'form-error', role: 'alert' });
  const act = (verb, label) => h('button', { type: 'button', id: `kitchen-${verb}`, onclick: async (e) => {
    e.currentTarget.disabled = true;
    lifeError.textContent = '';
    try {
      await api.post(`/v1/kitchens/${encodeURIComponent(id)}/${verb}`);
      flash(verb === 'publish' ? 'Published: renters can book it now.' : 'Paused: no new bookings until you publish it again.');
      await editKitchen(id);
    } catch (err) { lifeError.textContent = problemText(err); e.currentTarget.disabled = false; }
  } }, label);
  if (k.status === 'DRAFT' || k.status === 'PAUSED') lifecycle.append(act('publish', 'Publish'));
  if (k.status === 'PUBLISHED') lifecycle.append(act('pause', 'Pause'));
  lifecycle.append(h('a', { class: 'button secondary', href: `#/host/kitchens/${id}/calendar` }, 'Bookings calendar'));
  const docs = h('div', { id: 'documents' });
  const lapses = h('div', { id: 'lapses' }, h('p', { class: 'muted' }, 'Loading…'));
  page(k.name,
    h('section', { class: 'card' }, h('p', {}, 'Status: ', h('span', { id: 'kitchen-status' }, status(k.status))), lifeError, lifecycle),
    h('section', { class: 'card', 'aria-labelledby': 'h-docs' }, h('h2', { id: 'h-docs' }, 'Certificates and compliance'), docs),
    h('section', { class: 'card', 'aria-labelledby': 'h-lapses' }, h('h2', { id: 'h-lapses' }, 'Bookings inside a compliance lapse'), lapses),
    h('section', { class: 'card', 'aria-labelledby': 'h-edit' }, h('h2', { id: 'h-edit' }, 'Settings'), f));
  await Promise.all([documents(id, docs), lapseBookings(id, lapses)]);
}

const DOC_TYPES = [['HEALTH_PERMIT', 'Health permit'], ['FOOD_HANDLER_CERTIFICATE', 'Food handler certificate'], ['BUSINESS_LICENCE', 'Business licence'], ['LIABILITY_INSURANCE', 'Liability insurance'], ['FIRE_INSPECTION', 'Fire inspection']];

async function documents(id, area, polls = 0) {
  const [list, compliance] = await Promise.all([
    api.get(`/v1/kitchens/${encodeURIComponent(id)}/documents`).catch((e) => e),
    api.get(`/v1/kitchens/${encodeURIComponent(id)}/compliance`).catch((e) => e),
  ]);
  const upload = form([
    field({ name: 'type', label: 'Kind of certificate', options: DOC_TYPES }),
    field({ name: 'file', label: 'File', type: 'file', required: true, hint: 'PNG, JPEG, TIFF or PDF, at most 10 MB.', attrs: { accept: 'image/png,image/jpeg,image/tiff,application/pdf' } }),
  ], 'Upload', async (fm) => {
    const file = fm.elements.file.files[0];
    if (!file) throw new FieldProblem([{ field: 'file', message: 'is required: choose the certificate to upload' }]);
    const data = new FormData();
    data.append('type', fm.elements.type.value);
    data.append('file', file, file.name);
    await api.post(`/v1/kitchens/${encodeURIComponent(id)}/documents`, data);
    flash('Uploaded: it is being read.');
    await documents(id, area);
  });
  const docs = list instanceof Error ? [] : list.documents;
  const pending = docs.some((d) => d.status === 'PENDING');
  area.replaceChildren(
    compliance instanceof Error ? errorBox(compliance) : complianceView(compliance),
    list instanceof Error ? errorBox(list) : docs.length
      ? h('div', { class: 'table-wrap' }, h('table', { id: 'document-list' },
        h('thead', {}, h('tr', {}, ['Certificate', 'Status', 'What was read', 'Uploaded'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, docs.map((d) => h('tr', {},
          h('td', {}, (DOC_TYPES.find(([t]) => t === d.type) || [0, d.type])[1]),
          h('td', {}, status(d.status), d.unreadable_reason ? h('p', { class: 'muted' }, d.unreadable_reason) : null),
          h('td', {}, fieldsList(d.fields)),
          h('td', {}, when(d.uploaded_at)))))))
      : h('p', {}, 'No certificates yet.'),
    ...(pending ? [h('p', { class: 'muted', role: 'status' }, 'Reading… this page updates by itself.')] : []),
    h('h3', {}, 'Upload a certificate'), upload);
  if (pending && polls < 40) setTimeout(() => { if (document.body.contains(area)) documents(id, area, polls + 1); }, 1500);
}

function fieldsList(fields) {
  const entries = Object.entries(fields || {});
  if (!entries.length) return h('span', { class: 'muted' }, 'nothing yet');
  return h('dl', { class: 'facts' }, entries.map(([name, f]) => [
    h('dt', {}, name.replace(/_/g, ' ')),
    h('dd', {}, `${f.value} `, h('span', { class: 'muted' }, `(${Math.round(f.confidence * 100)} % sure)`)),
  ]));
}

function complianceView(c) {
  return h('div', { id: 'compliance' },
    h('p', {}, 'Compliance: ', status(c.status), ` under the rules of ${c.jurisdiction}`, c.next_expiry ? `; next expiry ${c.next_expiry}` : ''),
    c.checks.length ? h('ul', {}, c.checks.map((ch) => h('li', {}, status(ch.result), ` ${ch.check.replace(/_/g, ' ').toLowerCase()} (${ch.document_type.replace(/_/g, ' ').toLowerCase()}): ${ch.detail}`))) : null);
}

export async function calendar(id, query) {
  const k = await api.get(`/v1/kitchens/${encodeURIComponent(id)}`);
  let monday = localDate(Date.now(), k.time_zone);
  const w = query.get('week');
  if (w && /^\d{4}-\d{2}-\d{2}$/.test(w)) { const [y, m, d] = w.split('-').map(Number); monday = addDays({ y, m, d }, 0); }
  monday = addDays(monday, -monday.dow);
  const days = [...Array(7).keys()].map((i) => addDays(monday, i));
  const from = zonedInstant(monday.y, monday.m, monday.d, 0, 0, k.time_zone);
  const end = addDays(monday, 7);
  const to = zonedInstant(end.y, end.m, end.d, 0, 0, k.time_zone);
  const data = { items: await allPages(`/v1/kitchens/${encodeURIComponent(id)}/bookings?limit=200&status=HELD,CONFIRMED,COMPLETED&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`) };
  const columns = days.map((day) => {
    const dayStart = zonedInstant(day.y, day.m, day.d, 0, 0, k.time_zone).getTime();
    const next = addDays(day, 1);
    const dayEnd = zonedInstant(next.y, next.m, next.d, 0, 0, k.time_zone).getTime();
    const items = data.items.filter((b) => Date.parse(b.start) < dayEnd && Date.parse(b.end) > dayStart);
    return h('div', { class: 'day' },
      h('h3', {}, when(dayStart + 12 * 3600000, k.time_zone, { hour: undefined, minute: undefined })),
      items.length ? h('ol', {}, items.map((b) => h('li', {}, h('span', { class: 'booking-block' },
        `${timeOnly(b.start, k.time_zone)}–${timeOnly(b.end, k.time_zone)} `, status(b.status), ` ${money(b.price.host_payout_cents, b.price.currency)} to you`)))) : h('p', { class: 'muted' }, 'No bookings'));
  });
  page(`${k.name}: bookings`,
    h('p', {}, `Week of ${isoDate(monday)}, in ${k.time_zone}. `, h('a', { href: `#/host/kitchens/${id}/calendar?week=${isoDate(addDays(monday, -7))}` }, '← Previous week'), ' · ',
      h('a', { href: `#/host/kitchens/${id}/calendar?week=${isoDate(addDays(monday, 7))}` }, 'Next week →'), ' · ', h('a', { href: `#/host/kitchens/${id}` }, 'Kitchen settings')),
    h('p', { class: 'legend' }, h('span', { class: 'l-booked' }, 'booked')),
    h('div', { class: 'week', role: 'group', 'aria-label': `Bookings, week of ${isoDate(monday)}` }, columns));
}

/** The ISO week (UTC) of an instant, as 2026-W48: the weeks of the admin's payout batches. */
export function isoWeek(t) {
  const d = new Date(t);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((thursday - firstThursday) / 86400000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The Monday (UTC) of an ISO week label such as 2026-W48. */
function mondayOf(week) {
  const [y, w] = week.split('-W').map(Number);
  const jan4 = new Date(Date.UTC(y, 0, 4));
  return new Date(jan4.getTime() + ((w - 1) * 7 - ((jan4.getUTCDay() + 6) % 7)) * 86400000);
}

/** How many weeks the payouts page shows at a time (the route allows up to 26). */
const PAYOUT_WEEKS = 8;

/**
 * The host's payouts by ISO week (UTC), from GET /v1/hosts/me/payouts in one request: the payout
 * batch's own figures, final once an admin made the week's batch, provisional until then.
 */
export async function payouts(query) {
  const to = query && query.get('to_week');
  const data = await api.get(`/v1/hosts/me/payouts${to ? `?to_week=${encodeURIComponent(to)}` : ''}`);
  const weeks = [...data.items].reverse();
  const rows = [];
  for (const w of weeks) {
    const label = h('td', {}, h('span', { class: 'week-label' }, w.week), h('br'), h('span', { class: 'muted' }, `${w.week_start} to ${new Date(Date.parse(`${w.week_end}T00:00:00Z`) - 86400000).toISOString().slice(0, 10)}`));
    const state = h('td', {}, w.status === 'final' ? 'Final' : 'Provisional');
    if (!w.lines.length) {
      rows.push(h('tr', { 'data-week': w.week }, label, state, h('td', {}, '0'), h('td', { colspan: '4', class: 'muted' }, 'Nothing to pay')));
      continue;
    }
    for (const l of w.lines) {
      rows.push(h('tr', { 'data-week': w.week, 'data-currency': l.currency }, label.cloneNode(true), state.cloneNode(true),
        h('td', {}, String(l.bookings)), h('td', {}, money(l.gross_cents, l.currency)), h('td', {}, money(l.fees_cents, l.currency)),
        h('td', {}, money(l.refunds_cents, l.currency)), h('td', { class: 'payout' }, money(l.payout_cents, l.currency))));
    }
  }
  const earlier = isoWeek(mondayOf(data.from_week).getTime() - 7 * 86400000);
  const current = isoWeek(Date.now());
  const ahead = isoWeek(mondayOf(data.to_week).getTime() + PAYOUT_WEEKS * 7 * 86400000);
  const later = ahead > current ? current : ahead;
  page('Payouts by week',
    h('p', { class: 'muted' }, 'What you are paid each ISO week (UTC, Monday to Sunday), from the weekly payout batch: bookings that ended that week, before tax, less the platform fee and your share of any refund. A week is final once its batch is made; until then its figures are provisional and can still change.'),
    h('p', {}, h('a', { href: `#/host/payouts?to_week=${earlier}` }, '← Earlier weeks'),
      data.to_week < current ? [' · ', h('a', { href: `#/host/payouts?to_week=${later}` }, 'Later weeks →')] : []),
    h('div', { class: 'table-wrap' }, h('table', { id: 'payouts' },
      h('caption', {}, `Payouts from ${data.from_week} to ${data.to_week}, newest first`),
      h('thead', {}, h('tr', {}, ['Week', 'Status', 'Bookings', 'Gross', 'Platform fee', 'Refunds', 'Payout'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))));
}

const NOTICE_KINDS = {
  KITCHEN_SUSPENDED: 'Suspended',
  LAPSE_AHEAD: 'Will be suspended',
  DOCUMENT_EXPIRING: 'Certificate expiring',
};

/** The host's compliance notices (GET /v1/hosts/me/compliance-notices), soonest first, as a table. */
export function noticesView(data) {
  if (!data.items.length) return h('p', { id: 'notices-empty' }, `Nothing to act on in the next ${data.within_days} days.`);
  return h('div', { class: 'table-wrap' }, h('table', { id: 'notices' },
    h('thead', {}, h('tr', {}, ['Kitchen', 'What', 'When', 'Details', 'Confirmed bookings affected'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, data.items.map((n) => h('tr', { 'data-kind': n.kind },
      h('td', {}, h('a', { href: `#/host/kitchens/${n.kitchen_id}` }, n.kitchen_name || n.kitchen_id), ' ', status(n.kitchen_status)),
      h('td', {}, NOTICE_KINDS[n.kind] || n.kind, n.document_type ? ` (${n.document_type.replace(/_/g, ' ').toLowerCase()})` : ''),
      h('td', {}, n.expiry_date || (n.at ? when(n.at) : '')),
      h('td', {}, n.detail),
      h('td', {}, n.confirmed_bookings_affected !== undefined ? String(n.confirmed_bookings_affected) : '—'))))));
}

export function freshnessText(f) {
  if (!f) return '';
  return f.pending_events > 0 ? `As of ${when(f.consistent_as_of)}; ${f.pending_events} newer events not yet in the list.` : `Up to date as of ${when(f.consistent_as_of)}.`;
}

const WINDOWS = [['30', 'the next 30 days'], ['90', 'the next 90 days'], ['182', 'the next 6 months'], ['366', 'the next year']];

export async function notices(query) {
  const within = WINDOWS.some(([v]) => v === query.get('within_days')) ? query.get('within_days') : '30';
  const data = await api.get(`/v1/hosts/me/compliance-notices?within_days=${within}`);
  const choose = form([field({ name: 'within_days', label: 'Look ahead', options: WINDOWS, value: within })], 'Show', async (fm) => {
    location.hash = `#/host/compliance?within_days=${encodeURIComponent(fm.elements.within_days.value)}`;
  });
  page('Compliance notices',
    h('p', { class: 'muted' }, 'What you must act on so your kitchens stay listed: kitchens suspended or about to be, and certificates expiring. No e-mail is sent; this page is how you see it coming. Renew a certificate by uploading the new one on the kitchen’s page.'),
    h('section', { class: 'card' }, choose),
    h('section', { class: 'card', 'aria-labelledby': 'h-notices' }, h('h2', { id: 'h-notices' }, `Notices for the next ${data.within_days} days`),
      noticesView(data), h('p', { class: 'muted' }, freshnessText(data.freshness))));
}

/** A page of lapse bookings (a kitchen's, or every kitchen's for admins) as a table. */
export function lapseTable(data, withKitchen) {
  if (!data.items.length) return h('p', { id: 'lapse-empty' }, 'No confirmed bookings inside a compliance lapse.');
  const heads = [...(withKitchen ? ['Kitchen'] : []), 'Lapse', 'Since', 'Reason', 'Booking', 'Renter', 'Time', 'Total'];
  return h('div', { class: 'table-wrap' }, h('table', { id: 'lapse-bookings' },
    h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, data.items.map((l) => h('tr', {},
      withKitchen ? h('td', {}, h('a', { href: `#/admin/kitchens/${l.kitchen_id}/bookings` }, l.kitchen_name || l.kitchen_id), ' ', status(l.kitchen_status)) : null,
      h('td', {}, status(l.lapse)),
      h('td', {}, when(l.lapse_from)),
      h('td', {}, l.reason || ''),
      h('td', {}, h('code', {}, l.booking.booking_id.slice(0, 14) + '…'), ' ', status(l.booking.status)),
      h('td', {}, l.booking.renter_id || ''),
      h('td', {}, `${when(l.booking.start)} – ${when(l.booking.end)}`),
      h('td', {}, money(l.booking.price?.total_cents, l.booking.price?.currency)))))));
}

async function lapseBookings(id, area) {
  try {
    const data = await api.get(`/v1/kitchens/${encodeURIComponent(id)}/lapse-bookings?limit=200`);
    area.replaceChildren(
      h('p', { class: 'muted' }, 'Confirmed bookings that end after this kitchen was suspended (LAPSED), or after its required certificates stop being valid (AHEAD: renew one before then and they are safe). A suspension keeps existing bookings: these are the ones to deal with.'),
      lapseTable(data, false),
      data.next_cursor ? h('p', { class: 'muted' }, 'The first 200 are shown.') : null,
      h('p', { class: 'muted' }, freshnessText(data.freshness)));
  } catch (e) { area.replaceChildren(errorBox(e)); }
}
