// Small helpers for building pages without inline code (the Content-Security-Policy forbids it).

/** An element: h('button', {class: 'x', onclick: fn}, 'text', child...). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let ids = 0;
export const uid = (p) => `${p}-${++ids}`;

/** Replaces the page's content, titles it and moves focus to it (for screen readers). */
export function page(title, ...children) {
  const main = document.getElementById('main');
  main.replaceChildren(h('h1', {}, title), ...children.flat(Infinity).filter(Boolean));
  document.title = `${title} · Hearth`;
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
  return main;
}

export function flash(text) { document.getElementById('flash').textContent = text || ''; }

export function money(cents, currency) {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency || 'USD' }).format((cents || 0) / 100);
  } catch (e) {
    return `${((cents || 0) / 100).toFixed(2)} ${currency || ''}`;
  }
}

export function when(instant, zone, opts) {
  return new Intl.DateTimeFormat('en-GB', Object.assign({ timeZone: zone || undefined, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, opts || {})).format(new Date(instant));
}

export function timeOnly(instant, zone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

export function status(s) { return h('span', { class: `status ${s}` }, s); }

/**
 * A labelled input: {name, label, type, value, hint, required, options, attrs}. The name is the
 * API's field path (snake_case, dots for nested), so problem documents find their field.
 */
export function field(spec) {
  const id = uid('f');
  const hintId = spec.hint ? `${id}-hint` : null;
  const errId = `${id}-err`;
  let input;
  if (spec.options) {
    input = h('select', { id, name: spec.name, required: spec.required }, spec.options.map((o) => {
      const [value, text] = Array.isArray(o) ? o : [o, o];
      return h('option', { value, selected: String(spec.value ?? '') === String(value) }, text);
    }));
  } else if (spec.type === 'textarea') {
    input = h('textarea', Object.assign({ id, name: spec.name, rows: 3, required: spec.required }, spec.attrs || {}), spec.value ?? '');
  } else {
    input = h('input', Object.assign({ id, name: spec.name, type: spec.type || 'text', value: spec.value ?? '', required: spec.required }, spec.attrs || {}));
  }
  input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  input.dataset.label = spec.label;
  return h('div', { class: 'field' },
    h('label', { for: id }, spec.label + (spec.required ? ' (required)' : '')),
    input,
    spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
    h('p', { class: 'error', id: errId, 'data-error-for': spec.name }));
}

/** A form: fields, a submit button and a place for errors that belong to no field. */
export function form(children, submitText, onSubmit, extra) {
  const errors = h('div', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit' }, submitText);
  const f = h('form', { novalidate: true }, errors, ...children, h('div', { class: 'actions' }, button, extra || null));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(f);
    button.disabled = true;
    try {
      await onSubmit(f);
    } catch (err) {
      showProblem(f, err);
    } finally {
      button.disabled = false;
    }
  });
  return f;
}

export function clearErrors(f) {
  f.querySelectorAll('[data-error-for]').forEach((p) => { p.textContent = ''; });
  f.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  const box = f.querySelector('.form-error');
  if (box) box.textContent = '';
}

/** A field name as a person reads it: hourly_rate_cents becomes "Hourly rate cents". */
function humanField(name) {
  const s = String(name).split('.').pop().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function sentence(text) {
  const t = String(text || '').trim();
  if (!t) return '';
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/**
 * Shows an API problem as sentences: each field error next to its field (found by name, or by the
 * nearest enclosing name: rules.min_duration_minutes, opening_hours.mon[0].open...), the rest at
 * the top of the form.
 */
export function showProblem(f, err) {
  const box = f.querySelector('.form-error');
  const problem = err && err.problem ? err.problem : { detail: String(err && err.message ? err.message : err) };
  const loose = [];
  const fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  let first = null;
  for (const fe of fieldErrors) {
    const target = findField(f, fe.field);
    if (target) {
      const label = target.label || target.input.dataset.label || humanField(fe.field);
      const said = sentence(`${label} ${fe.message}`);
      target.error.textContent = target.error.textContent ? `${target.error.textContent} ${said}` : said;
      target.input.setAttribute('aria-invalid', 'true');
      first = first || target.input;
    } else {
      loose.push(sentence(`${humanField(fe.field)} ${fe.message}`));
    }
  }
  const rule = problem.rule ? ruleSentence(problem.rule) : '';
  if (!fieldErrors.length || loose.length || rule) {
    box.textContent = [rule || sentence(problem.detail || problem.title || 'Something went wrong'), ...loose].join(' ');
  }
  if (first) first.focus();
  else box.focus?.();
}

function findField(f, path) {
  let p = String(path || '');
  while (p) {
    const q = CSS.escape(p);
    const exact = f.querySelector(`[name="${q}"]`);
    if (exact) return { input: exact, error: f.querySelector(`[data-error-for="${CSS.escape(exact.name)}"]`) };
    // A group of inputs with an error place of its own (a day's opening windows).
    const inner = f.querySelector(`[name^="${q}["], [name^="${q}."]`);
    const group = f.querySelector(`p[data-error-for="${q}"]`);
    if (group && inner) return { input: inner, error: group, label: group.dataset.label };
    if (inner) return { input: inner, error: f.querySelector(`[data-error-for="${CSS.escape(inner.name)}"]`) };
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return null;
}

const RULES = {
  IN_PAST: 'That time has already passed.',
  MISALIGNED: 'The start and end must fall on the kitchen’s slot boundaries.',
  TOO_SHORT: 'That booking is shorter than the kitchen’s minimum.',
  TOO_LONG: 'That booking is longer than the kitchen’s maximum.',
  TOO_SOON: 'That slot starts too soon: the kitchen needs more notice.',
  BEYOND_HORIZON: 'That slot is further ahead than the kitchen takes bookings.',
  IN_BLACKOUT: 'The kitchen is closed then (a blackout).',
  OUTSIDE_OPENING_HOURS: 'The whole booking must fall within one stretch of the kitchen’s opening hours.',
};
export function ruleSentence(rule) { return RULES[rule] || sentence(rule); }

/** A message for an error outside any form. */
export function problemText(err) {
  if (err && err.problem && err.problem.rule) return ruleSentence(err.problem.rule);
  return sentence(err && err.message ? err.message : String(err));
}

export function errorBox(err) { return h('p', { class: 'form-error', role: 'alert' }, problemText(err)); }

/** The form's values by name (strings; empty ones left out). */
export function values(f) {
  const out = {};
  for (const el of f.elements) {
    if (!el.name || el.type === 'file') continue;
    const v = el.value.trim();
    if (v !== '') out[el.name] = v;
  }
  return out;
}

/** Local date and time in a zone -> the instant (exact across daylight-saving changes). */
export function zonedInstant(y, m, d, hh, mm, zone) {
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  let t = guess - offsetMs(guess, zone);
  const again = guess - offsetMs(t, zone);
  if (again !== t) t = again;
  return new Date(t);
}

export function offsetMs(t, zone) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(t))) parts[p.type] = p.value;
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
  return asUtc - (t - (t % 1000 + 1000) % 1000);
}

/** The local calendar date {y, m, d, dow} of an instant in a zone (dow 0 = Monday). */
export function localDate(t, zone) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' }).formatToParts(new Date(t))) parts[p.type] = p.value;
  return { y: +parts.year, m: +parts.month, d: +parts.day, dow: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) };
}

/** The date n days after {y, m, d} (calendar arithmetic, no zone involved). */
export function addDays(date, n) {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), dow: (t.getUTCDay() + 6) % 7 };
}

export function isoDate(date) {
  return `${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * Paging links for a list page at #path: "First page" when on a later one, "Next page" when the
 * API gave a next_cursor. The cursor travels in the fragment (it is opaque, not secret).
 */
export function pager(path, params, cursor, nextCursor) {
  if (!cursor && !nextCursor) return null;
  const to = (c) => {
    const q = new URLSearchParams(params);
    q.delete('cursor');
    if (c) q.set('cursor', c);
    const text = q.toString();
    return `#${path}${text ? `?${text}` : ''}`;
  };
  return h('nav', { class: 'actions pager', 'aria-label': 'Pages' },
    cursor ? h('a', { class: 'button secondary', href: to(null), rel: 'first' }, '« First page') : null,
    nextCursor ? h('a', { class: 'button secondary', href: to(nextCursor), rel: 'next' }, 'Next page →') : null);
}
