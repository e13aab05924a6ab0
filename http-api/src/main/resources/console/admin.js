// Admins: the compliance review queue, the platform's health, and charts from the read tables.
import * as api from './api.js';
import { h, page, form, field, values, money, when, status, errorBox, problemText, flash, uid, isoDate } from './ui.js';
import uPlot from './uPlot.esm.js';
import { lapseTable, freshnessText, isoWeek } from './host.js';

const FIELD_NAMES = ['holder_name', 'business_name', 'address', 'document_number', 'issue_date', 'expiry_date', 'document_type', 'issuer'];

/** blob: URLs of the files shown on the page; released when the page is drawn again. */
let fileUrls = [];

function blobUrl(blob) {
  const url = URL.createObjectURL(blob);
  fileUrls.push(url);
  return url;
}

function releaseFiles() {
  for (const url of fileUrls) URL.revokeObjectURL(url);
  fileUrls = [];
}

/** A link that saves text the page already has (a CSV the API answered) as a file. */
function downloadLink(text, name, id) {
  return h('a', { class: 'button secondary', id, href: blobUrl(new Blob([text], { type: 'text/csv' })), download: name }, `Download ${name}`);
}

export async function reviews() {
  releaseFiles();
  const data = await api.get('/v1/admin/compliance/reviews');
  page('Compliance review queue',
    h('p', { class: 'muted' }, 'Documents the reader was unsure of, oldest first. Compare the uploaded file with what was read, and correct it.'),
    data.items.length ? h('div', { id: 'review-list' }, data.items.map(reviewCard)) : h('p', { id: 'review-empty' }, 'Nothing to review.'));
}

const SHOWN_INLINE = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/**
 * The uploaded file of a review: fetched with the token (a plain link could not carry it), then an
 * image is shown in the page and any other file (a PDF, a TIFF) is offered as a download, all
 * through a blob: URL, so the file never runs in this page.
 */
function documentPreview(item) {
  const what = `${item.type.replace(/_/g, ' ').toLowerCase()} as uploaded`;
  const box = h('div', { class: 'doc-preview', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Fetching the uploaded file…'));
  api.file(`/v1/kitchens/${encodeURIComponent(item.kitchen_id)}/documents/${encodeURIComponent(item.document_id)}/file`)
    .then(({ blob, type, name }) => {
      const file = name || `${item.document_id}${type === 'application/pdf' ? '.pdf' : ''}`;
      const url = blobUrl(blob);
      const save = h('a', { href: url, download: file }, `Download ${file}`);
      box.replaceChildren(SHOWN_INLINE.includes(type)
        ? h('figure', {}, h('img', { src: url, alt: `The ${what}` }), h('figcaption', { class: 'muted' }, `The ${what} (${type}). `, save))
        : h('p', {}, `The ${what} is ${type === 'application/pdf' ? 'a PDF' : `a file of type ${type || 'unknown'}`}, which the browser does not show in the page: `, save, '.'));
    })
    .catch((err) => box.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, `The uploaded file could not be fetched: ${problemText(err)}`)));
  return box;
}

function reviewCard(item) {
  const id = uid('rv');
  const names = [...new Set([...Object.keys(item.fields || {}), ...FIELD_NAMES])];
  const inputs = names.map((n) => field({ name: `fields.${n}`, label: n.replace(/_/g, ' '), value: item.fields?.[n]?.value || '',
    hint: item.fields?.[n] ? `read with ${Math.round(item.fields[n].confidence * 100)} % confidence` : 'not read', attrs: n.endsWith('_date') ? { placeholder: 'yyyy-mm-dd' } : {} }));
  const reason = field({ name: 'reason', label: 'Reason', required: true, attrs: { maxlength: 500 } });
  let decision = 'approve';
  const reject = h('button', { type: 'submit', class: 'danger', onclick: () => { decision = 'reject'; } }, 'Reject');
  const f = form([h('div', { class: 'row' }, inputs), reason], 'Approve with these fields', async (fm) => {
    const v = values(fm);
    const body = { reason: v.reason || '' };
    if (decision === 'approve') {
      const fields = {};
      for (const n of names) {
        const now = v[`fields.${n}`];
        if (now !== undefined && now !== (item.fields?.[n]?.value || '')) fields[n] = now;
      }
      if (Object.keys(fields).length) body.fields = fields;
    }
    const which = decision;
    decision = 'approve';
    const done = await api.post(`/v1/admin/compliance/documents/${encodeURIComponent(item.document_id)}/${which}`, body);
    flash(`${item.type.replace(/_/g, ' ').toLowerCase()} ${done.status.toLowerCase()}.`);
    await reviews();
  }, reject);
  const approve = f.querySelector('button[type=submit]');
  approve.classList.add('approve');
  approve.addEventListener('click', () => { decision = 'approve'; }, { capture: true });
  reject.addEventListener('click', () => { decision = 'reject'; });
  return h('section', { class: 'card review', 'aria-labelledby': id, 'data-document-id': item.document_id },
    h('h2', { id }, `${item.type.replace(/_/g, ' ').toLowerCase()} of kitchen ${item.kitchen_id.slice(0, 8)}`),
    h('p', {}, status(item.status), ` host ${item.host_id}, rules of ${item.jurisdiction}, uploaded ${when(item.uploaded_at)}`,
      item.min_confidence !== undefined ? `, lowest confidence ${Math.round(item.min_confidence * 100)} %` : '',
      item.unreadable_reason ? `. Unreadable: ${item.unreadable_reason}` : ''),
    documentPreview(item),
    f);
}

export async function health() {
  const [ready, projections, cluster] = await Promise.all([
    api.get('/health/ready', { auth: true }).catch((e) => e),
    api.get('/health/projections').catch((e) => e),
    api.get('/v1/admin/cluster').catch((e) => e),
  ]);
  const sections = [];
  sections.push(h('section', { class: 'card', 'aria-labelledby': 'h-ready' }, h('h2', { id: 'h-ready' }, 'Readiness'),
    ready instanceof Error ? (ready.problem?.status ? h('p', {}, status('DOWN'), ` ${problemText(ready)}`) : errorBox(ready))
      : h('div', {}, h('p', {}, status(ready.status)), ready.checks ? h('ul', {}, Object.entries(ready.checks).map(([k, v]) => h('li', {}, `${k}: `, status(typeof v === 'object' ? (v.status || JSON.stringify(v)) : String(v))))) : null)));
  sections.push(h('section', { class: 'card', 'aria-labelledby': 'h-proj' }, h('h2', { id: 'h-proj' }, 'Read-model projections'),
    projections instanceof Error ? errorBox(projections) : projectionsView(projections)));
  sections.push(h('section', { class: 'card', 'aria-labelledby': 'h-cluster' }, h('h2', { id: 'h-cluster' }, 'Cluster'),
    cluster instanceof Error ? errorBox(cluster) : clusterView(cluster)));
  page('Platform health', ...sections);
}

function projectionsView(p) {
  const rows = Object.entries(p.projections || {});
  return h('div', {},
    h('p', {}, 'Overall: ', status(p.status || 'UNKNOWN')),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'projections' },
      h('thead', {}, h('tr', {}, ['Part', 'Projection', 'State', 'Events', 'Last lag', 'Last progress'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map(([name, r]) => h('tr', {},
        h('td', {}, name), h('td', {}, r.projection || ''), h('td', {}, status(r.state || '')),
        h('td', {}, String(r.events_projected ?? '')), h('td', {}, r.last_lag_ms !== undefined ? `${r.last_lag_ms} ms` : '—'),
        h('td', {}, r.last_progress_at ? when(r.last_progress_at) : '—')))))) : null,
    h('details', {}, h('summary', {}, 'Everything the node reported'), h('pre', {}, JSON.stringify(p, null, 2))));
}

function clusterView(c) {
  const members = c.members || [];
  return h('div', {},
    members.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Member', 'Status', 'Roles'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, members.map((m) => h('tr', {}, h('td', {}, m.address || m.node || JSON.stringify(m)), h('td', {}, status(m.status || '')), h('td', {}, (m.roles || []).join(', '))))))) : null,
    h('details', {}, h('summary', {}, 'Everything the node reported'), h('pre', {}, JSON.stringify(c, null, 2))));
}

const SERIES_COLOURS = ['#0d5e22', '#0b5394', '#7a4b00', '#a4000f'];

/**
 * Charts of the platform from GET /v1/admin/stats, which sums the read tables in the database: one
 * value a day, whatever the number of kitchens and bookings.
 */
export async function charts(query) {
  const from = dayStart(query.get('from')) ? query.get('from') : utcDay(-13);
  const to = dayStart(query.get('to')) ? query.get('to') : utcDay(15);
  const f = form([h('div', { class: 'row' },
    field({ name: 'from', label: 'From (local day)', value: from, attrs: { placeholder: 'yyyy-mm-dd' } }),
    field({ name: 'to', label: 'Until (local day, not included)', value: to, hint: 'At most 92 days after the start.', attrs: { placeholder: 'yyyy-mm-dd' } }))],
  'Show', async (fm) => {
    const v = values(fm);
    const errors = ['from', 'to'].filter((n) => !dayStart(v[n])).map((n) => ({ field: n, message: 'must be a date such as 2026-11-01' }));
    if (errors.length) throw Object.assign(new Error('Some fields need a fix.'), { problem: { detail: 'Some fields need a fix.', errors } });
    await api.get(`/v1/admin/stats?from=${encodeURIComponent(v.from)}&to=${encodeURIComponent(v.to)}`);
    location.hash = `#/admin/charts?from=${v.from}&to=${v.to}`;
  });
  let data;
  try { data = await api.get(`/v1/admin/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`); } catch (e) { data = e; }
  if (data instanceof Error) {
    page('Charts', h('section', { class: 'card' }, f), errorBox(data));
    return;
  }
  const t = data.totals;
  const days = data.days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
  const currencies = [...new Set(data.days.flatMap((d) => d.revenue.map((m) => m.currency)))].sort();
  const funnel = [['Holds placed', t.holds_placed], ['Confirmed', t.bookings_confirmed], ['Cancelled', t.bookings_cancelled], ['Expired', t.holds_expired], ['Completed', t.bookings_completed]];
  const occ = h('div', { class: 'chart', id: 'chart-occupancy', role: 'img', 'aria-label': `Occupancy per day: ${t.occupancy !== undefined ? `${(t.occupancy * 100).toFixed(1)} % over the period` : 'no booked days'}` });
  const fun = h('div', { class: 'chart', id: 'chart-funnel', role: 'img', 'aria-label': 'Holds, confirmations, cancellations and expiries per day' });
  const rev = h('div', { class: 'chart', id: 'chart-revenue', role: 'img', 'aria-label': `Revenue per day in ${currencies.join(', ') || 'no currency'}` });
  page('Charts',
    h('p', { class: 'muted' }, `From the read tables (GET /v1/admin/stats), every kitchen, by each kitchen’s local day, ${data.from} to ${data.to} (not included). Occupancy counts a kitchen’s day when one of its bookings touches it. ${freshnessText(data.freshness)}`),
    h('section', { class: 'card' }, f),
    h('section', { class: 'card', 'aria-labelledby': 'h-funnel' }, h('h2', { id: 'h-funnel' }, 'Funnel over the period'),
      h('table', { id: 'funnel' }, h('tbody', {}, funnel.map(([k, n]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, String(n)))))),
      h('p', {}, `Booked ${Math.round(t.booked_minutes / 6) / 10} h of ${Math.round(t.open_minutes / 6) / 10} open hours`, t.occupancy !== undefined ? ` (occupancy ${(t.occupancy * 100).toFixed(1)} %).` : '.'),
      t.revenue.length ? h('p', { id: 'revenue-total' }, 'Revenue: ', t.revenue.map((m) => `${money(m.net_cents, m.currency)} (${money(m.gross_cents, m.currency)} less ${money(m.refunds_cents, m.currency)} refunded)`).join('; '), '.') : null,
      fun),
    h('section', { class: 'card', 'aria-labelledby': 'h-occ' }, h('h2', { id: 'h-occ' }, 'Occupancy per day (%)'), occ),
    h('section', { class: 'card', 'aria-labelledby': 'h-rev' }, h('h2', { id: 'h-rev' }, 'Revenue per day, after policy refunds'), rev));
  const width = Math.max(280, Math.min(900, document.getElementById('main').clientWidth - 40));
  const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 40] }) : undefined;
  new uPlot({ width, height: 220, series: [{}, { label: 'occupancy %', stroke: '#0b5394', fill: 'rgba(11,83,148,.35)', paths: bars }], axes: [{}, {}] },
    [days, data.days.map((d) => (d.occupancy !== undefined ? d.occupancy * 100 : 0))], occ);
  new uPlot({ width, height: 220, series: [{}, { label: 'holds', stroke: '#0b5394' }, { label: 'confirmed', stroke: '#0d5e22' }, { label: 'cancelled', stroke: '#a4000f' }, { label: 'expired', stroke: '#7a4b00' }], axes: [{}, {}] },
    [days, data.days.map((d) => d.holds_placed), data.days.map((d) => d.bookings_confirmed), data.days.map((d) => d.bookings_cancelled), data.days.map((d) => d.holds_expired)], fun);
  new uPlot({ width, height: 220, series: [{}, ...currencies.map((c, i) => ({ label: c, stroke: SERIES_COLOURS[i % SERIES_COLOURS.length], paths: bars }))], axes: [{}, {}] },
    [days, ...currencies.map((c) => data.days.map((d) => (d.revenue.find((m) => m.currency === c)?.net_cents || 0) / 100))], rev);
}

/** A link to the same page with one more query parameter (the next page's cursor). */
function nextLink(path, query, cursor) {
  const q = new URLSearchParams(query);
  q.set('cursor', cursor);
  return h('p', {}, h('a', { class: 'button secondary', href: `#${path}?${q}` }, 'Next page →'));
}

/** Query text for the API: spaces as %20 (a literal + is already %2B). */
function qs(params) { return params.toString().replace(/\+/g, '%20'); }

function queryOf(fm, names) {
  const q = new URLSearchParams();
  const v = values(fm);
  for (const n of names) if (v[n]) q.set(n, v[n]);
  return q;
}

const KITCHEN_STATUSES = [['', 'any status'], ['PUBLISHED', 'published'], ['DRAFT', 'draft'], ['PAUSED', 'paused'], ['SUSPENDED', 'suspended']];

export async function kitchens(query) {
  const q = new URLSearchParams();
  for (const n of ['city', 'status', 'cursor']) if (query.get(n)) q.set(n, query.get(n));
  q.set('limit', '50');
  const search = form([h('div', { class: 'row' },
    field({ name: 'city', label: 'City', value: query.get('city') || '', hint: 'The whole name, any case.' }),
    field({ name: 'status', label: 'Status', options: KITCHEN_STATUSES, value: query.get('status') || '' }))],
  'Search', async (fm) => { location.hash = `#/admin/kitchens?${queryOf(fm, ['city', 'status'])}`; });
  let data;
  try { data = await api.get(`/v1/kitchens?${qs(q)}`); } catch (e) { data = e; }
  page('Kitchens',
    h('section', { class: 'card' }, search),
    data instanceof Error ? errorBox(data) : h('section', { class: 'card', 'aria-labelledby': 'h-found' },
      h('h2', { id: 'h-found' }, `${data.items.length} kitchen${data.items.length === 1 ? '' : 's'}${query.get('cursor') ? ' on this page' : ''}`),
      data.items.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'kitchen-list' },
        h('thead', {}, h('tr', {}, ['Kitchen', 'Status', 'City', 'Host', 'Rate', 'Bookings'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, data.items.map((k) => h('tr', { 'data-kitchen-id': k.kitchen_id },
          h('td', {}, k.name), h('td', {}, status(k.status)), h('td', {}, k.city || ''), h('td', {}, k.host_id || ''),
          h('td', {}, `${money(k.hourly_rate_cents, k.currency)}/h`),
          h('td', {}, h('a', { href: `#/admin/kitchens/${k.kitchen_id}/bookings` }, `Bookings of ${k.name}`)))))))
        : h('p', {}, 'No kitchen matches.'),
      data.next_cursor ? nextLink('/admin/kitchens', q, data.next_cursor) : null,
      h('p', { class: 'muted' }, freshnessText(data.freshness))));
}

const BOOKING_STATUSES = [['', 'any status'], ['HELD', 'held'], ['CONFIRMED', 'confirmed'], ['COMPLETED', 'completed'], ['CANCELLED', 'cancelled'], ['EXPIRED', 'expired']];

/** yyyy-mm-dd (UTC day) -> an instant for the API, or null. */
function dayStart(text) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text || '') ? `${text}T00:00:00Z` : null;
}

export async function bookings(id, query) {
  const k = await api.get(`/v1/kitchens/${encodeURIComponent(id)}`);
  const q = new URLSearchParams();
  q.set('limit', '50');
  if (query.get('status')) q.set('status', query.get('status'));
  if (dayStart(query.get('from'))) q.set('from', dayStart(query.get('from')));
  if (dayStart(query.get('to'))) q.set('to', dayStart(query.get('to')));
  if (query.get('cursor')) q.set('cursor', query.get('cursor'));
  const filter = form([h('div', { class: 'row' },
    field({ name: 'from', label: 'From (UTC day)', value: query.get('from') || '', attrs: { placeholder: 'yyyy-mm-dd' } }),
    field({ name: 'to', label: 'Until (UTC day, not included)', value: query.get('to') || '', attrs: { placeholder: 'yyyy-mm-dd' } }),
    field({ name: 'status', label: 'Status', options: BOOKING_STATUSES, value: query.get('status') || '' }))],
  'Filter', async (fm) => {
    const v = values(fm);
    const errors = ['from', 'to'].filter((n) => v[n] && !dayStart(v[n])).map((n) => ({ field: n, message: 'must be a date such as 2026-12-01' }));
    if (errors.length) throw Object.assign(new Error('Some fields need a fix.'), { problem: { detail: 'Some fields need a fix.', errors } });
    location.hash = `#/admin/kitchens/${id}/bookings?${queryOf(fm, ['from', 'to', 'status'])}`;
  });
  let data;
  try { data = await api.get(`/v1/kitchens/${encodeURIComponent(id)}/bookings?${qs(q)}`); } catch (e) { data = e; }
  const own = new URLSearchParams();
  for (const n of ['from', 'to', 'status']) if (query.get(n)) own.set(n, query.get(n));
  page(`${k.name}: bookings`,
    h('p', {}, status(k.status), ` ${k.city || ''} · host ${k.host_id} · times in ${k.time_zone} · `, h('a', { href: '#/admin/kitchens' }, 'All kitchens')),
    h('section', { class: 'card' }, filter),
    data instanceof Error ? errorBox(data) : h('section', { class: 'card', 'aria-labelledby': 'h-bookings' },
      h('h2', { id: 'h-bookings' }, `${data.items.length} booking${data.items.length === 1 ? '' : 's'}${query.get('cursor') ? ' on this page' : ''}, by start`),
      data.items.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'booking-list' },
        h('thead', {}, h('tr', {}, ['Booking', 'Status', 'Renter', 'Time', 'Total', 'Refunded', 'Host payout'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, data.items.map((b) => h('tr', { 'data-booking-id': b.booking_id },
          h('td', {}, h('code', {}, `${b.booking_id.slice(0, 14)}…`)), h('td', {}, status(b.status)), h('td', {}, b.renter_id || ''),
          h('td', {}, `${when(b.start, k.time_zone)} – ${when(b.end, k.time_zone, { weekday: undefined, day: undefined, month: undefined })}`),
          h('td', {}, money(b.price?.total_cents, b.price?.currency)),
          h('td', {}, b.refund_cents ? money(b.refund_cents, b.price?.currency) : '—'),
          h('td', {}, money(b.price?.host_payout_cents, b.price?.currency)))))))
        : h('p', {}, 'No booking matches.'),
      data.next_cursor ? nextLink(`/admin/kitchens/${id}/bookings`, own, data.next_cursor) : null,
      h('p', { class: 'muted' }, freshnessText(data.freshness))));
}

const LAPSES = [['', 'both'], ['LAPSED', 'lapsed (kitchen suspended)'], ['AHEAD', 'ahead (kitchen still listed)']];

export async function lapses(query) {
  const q = new URLSearchParams();
  q.set('limit', '50');
  if (query.get('lapse')) q.set('lapse', query.get('lapse'));
  if (query.get('cursor')) q.set('cursor', query.get('cursor'));
  const filter = form([field({ name: 'lapse', label: 'Which lapses', options: LAPSES, value: query.get('lapse') || '' })],
    'Show', async (fm) => { location.hash = `#/admin/lapses?${queryOf(fm, ['lapse'])}`; });
  const data = await api.get(`/v1/admin/compliance/lapses?${qs(q)}`);
  const own = new URLSearchParams();
  if (query.get('lapse')) own.set('lapse', query.get('lapse'));
  page('Compliance lapses',
    h('p', { class: 'muted' }, 'Confirmed bookings, across kitchens, that end after their kitchen was suspended for compliance (LAPSED) or after its required documents stop being valid (AHEAD). Suspension keeps them: move or refund them with the host. By start.'),
    h('section', { class: 'card' }, filter),
    h('section', { class: 'card', 'aria-labelledby': 'h-lapses' }, h('h2', { id: 'h-lapses' }, `${data.items.length} booking${data.items.length === 1 ? '' : 's'}${query.get('cursor') ? ' on this page' : ''}`),
      lapseTable(data, true),
      data.next_cursor ? nextLink('/admin/lapses', own, data.next_cursor) : null,
      h('p', { class: 'muted' }, freshnessText(data.freshness))));
}

/** RFC 4180 CSV (as the payouts route writes it) -> rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let f = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (c === '"') quoted = false; else f += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(f); f = ''; } else if (c === '\r') { /* CRLF */ } else if (c === '\n') { row.push(f); rows.push(row); row = []; f = ''; } else f += c;
  }
  if (f !== '' || row.length) { row.push(f); rows.push(row); }
  return rows;
}

const PAYOUT_HEADS = { host_id: 'Host', host_name: 'Name', host_email: 'E-mail', currency: 'Currency', bookings: 'Bookings', gross_cents: 'Gross', fees_cents: 'Fees', refunds_cents: 'Refunds', payout_cents: 'Payout' };

function payoutTable(csv) {
  const [head, ...rows] = parseCsv(csv);
  if (!rows.length) return h('p', { id: 'payouts-empty' }, 'Nothing to pay for this week.');
  const cur = head.indexOf('currency');
  return h('div', { class: 'table-wrap' }, h('table', { id: 'payout-batch' },
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, PAYOUT_HEADS[c] || c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((v, i) => h('td', {}, head[i].endsWith('_cents') ? money(Number(v), r[cur]) : v)))))));
}

export async function payouts(query) {
  const lastWeek = isoWeek(Date.now() - 7 * 86400000);
  const week = /^\d{4}-W\d{2}$/.test(query.get('week') || '') ? query.get('week') : '';
  const result = h('div', { id: 'payout-result' });
  const f = form([field({ name: 'week', label: 'ISO week (UTC)', value: week || lastWeek, hint: `Such as ${lastWeek}, the last week that has ended. A week runs from Monday 00:00 UTC to the next Monday.`, attrs: { placeholder: 'YYYY-Www' } })],
    'Show the payout batch', async (fm) => {
      const w = (values(fm).week || '').toUpperCase();
      if (!/^\d{4}-W\d{2}$/.test(w)) throw Object.assign(new Error('Some fields need a fix.'), { problem: { detail: 'Some fields need a fix.', errors: [{ field: 'week', message: 'must be an ISO week such as 2026-W48' }] } });
      if (!(await confirmBatch(w))) return;
      result.replaceChildren(h('p', { class: 'muted', role: 'status' }, `Asking for ${w}… making a batch can take up to two minutes.`));
      try {
        const r = await api.get(`/v1/admin/payouts?week=${encodeURIComponent(w)}`, { withHeaders: true });
        const made = r.headers.get('X-Payout-Batch-Created') === 'true';
        releaseFiles();
        result.replaceChildren(
          h('h2', { id: 'h-batch' }, `Payout batch of ${w}`),
          h('p', { id: 'batch-created' }, made ? 'This batch was made and recorded just now.' : 'This batch was made earlier; this is it unchanged.'),
          h('p', {}, downloadLink(r.data, `payouts-${w}.csv`, 'payout-csv'), ' the CSV exactly as the API answered it, for your bank or spreadsheet.'),
          payoutTable(r.data),
          h('p', { class: 'muted' }, 'Amounts are the CSV’s cents as money. Payout = gross − fees − refunds; a negative payout is what the host owes back.'));
      } catch (e) { result.replaceChildren(errorBox(e)); }
    });
  page('Payouts',
    h('p', { class: 'muted' }, 'The host payouts of one ISO week, one line per host and currency. The first request for a week makes and records its batch (nothing is ever paid twice); later requests show that batch unchanged. A week that has not ended is refused.'),
    h('section', { class: 'card' }, f),
    h('section', { class: 'card', 'aria-live': 'polite' }, result));
}

/** Asks before a request that may record a week's payout batch. */
function confirmBatch(week) {
  return new Promise((resolve) => {
    const id = uid('dlg');
    const finish = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    const dialog = h('dialog', { 'aria-labelledby': id, id: 'confirm-batch' },
      h('h2', { id }, `Make the payout batch of ${week}?`),
      h('p', {}, `If ${week} has no batch yet, this makes it and records it: the bookings in it are then paid out by this batch and no other. If it has one, you see it unchanged.`),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'confirm-batch-yes', onclick: () => finish(true) }, 'Yes, show it'),
        h('button', { type: 'button', class: 'secondary', onclick: () => finish(false) }, 'Cancel')));
    dialog.addEventListener('cancel', () => { dialog.remove(); resolve(false); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

const RECONCILIATION_HEADS = { kind: 'Kind', object: 'Object', id: 'Id', booking_id: 'Booking', gateway_amount_cents: 'Gateway amount', platform_amount_cents: 'Platform amount', gateway_status: 'Gateway status', platform_status: 'Platform status', detail: 'Detail' };

/** yyyy-mm-dd of a UTC day, n days from today. */
function utcDay(n) {
  const t = new Date(Date.now() + n * 86400000);
  return isoDate({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

/**
 * Reconciliation (admins): the differences between the payment provider and the read tables over
 * whole UTC days, as a table and as the API's CSV to download.
 */
export async function reconciliation(query) {
  releaseFiles();
  const result = h('div', { id: 'reconciliation-result' });
  const f = form([h('div', { class: 'row' },
    field({ name: 'from', label: 'From (UTC day)', value: query.get('from') || utcDay(-7), attrs: { placeholder: 'yyyy-mm-dd' } }),
    field({ name: 'to', label: 'Until (UTC day, not included)', value: query.get('to') || utcDay(0), hint: 'At most 31 days after the start.', attrs: { placeholder: 'yyyy-mm-dd' } }))],
  'Reconcile', async (fm) => {
    const v = values(fm);
    const errors = ['from', 'to'].filter((n) => !dayStart(v[n])).map((n) => ({ field: n, message: 'must be a date such as 2026-11-01' }));
    if (errors.length) throw Object.assign(new Error('Some fields need a fix.'), { problem: { detail: 'Some fields need a fix.', errors } });
    result.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Asking the payment provider… this can take up to two minutes.'));
    let r;
    try {
      r = await api.get(`/v1/admin/reconciliation?from=${encodeURIComponent(dayStart(v.from))}&to=${encodeURIComponent(dayStart(v.to))}`, { withHeaders: true });
    } catch (e) {
      result.replaceChildren();
      throw e;
    }
    releaseFiles();
    const [head, ...rows] = parseCsv(r.data);
    const amount = (i) => head[i].endsWith('_cents');
    result.replaceChildren(
      h('h2', { id: 'h-differences' }, `${rows.length} difference${rows.length === 1 ? '' : 's'} from ${v.from} to ${v.to}`),
      h('p', {}, downloadLink(r.data, `reconciliation-${v.from}-${v.to}.csv`, 'reconciliation-csv')),
      rows.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'reconciliation' },
        h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, RECONCILIATION_HEADS[c] || c)))),
        h('tbody', {}, rows.map((row) => h('tr', { class: row[0] === 'REFUND_FAILED' ? 'attention' : null }, row.map((c, i) => h('td', {}, amount(i) && c !== '' ? String(Number(c)) : c)))))))
        : h('p', { id: 'reconciliation-clean' }, 'No differences: the payment provider and the platform agree on every payment and refund of the period.'));
  });
  page('Reconciliation',
    h('p', { class: 'muted' }, 'Compares the payment provider’s payment intents and refunds with the platform’s records over whole UTC days. REFUND_FAILED rows are refunds the renter never received: they need a person. Run it for days that ended some minutes ago; a webhook still on its way shows as a difference.'),
    h('section', { class: 'card' }, f),
    h('section', { class: 'card', 'aria-live': 'polite' }, result));
}
