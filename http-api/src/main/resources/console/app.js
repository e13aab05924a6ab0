// The console's shell: sign-in, navigation by role, and the router (hash routes, so the node
// serves one page and no path carries anything secret).
import * as api from './api.js';
import { h, page, form, field, values, flash, showProblem } from './ui.js';
import * as renter from './renter.js';
import * as host from './host.js';
import * as admin from './admin.js';

const routes = [
  [/^\/$/, home],
  [/^\/sign-in$/, signIn],
  [/^\/sign-up$/, signUp],
  [/^\/search$/, renter.search],
  [/^\/kitchens\/([^/]+)$/, renter.kitchen],
  [/^\/bookings\/([^/]+)$/, renter.booking],
  [/^\/my-bookings$/, renter.myBookings],
  [/^\/host$/, host.kitchens],
  [/^\/host\/profile$/, host.profile],
  [/^\/host\/kitchens\/new$/, () => host.editKitchen(null)],
  [/^\/host\/kitchens\/([^/]+)$/, host.editKitchen],
  [/^\/host\/kitchens\/([^/]+)\/calendar$/, host.calendar],
  [/^\/host\/payouts$/, host.payouts],
  [/^\/host\/compliance$/, host.notices],
  [/^\/admin$/, admin.reviews],
  [/^\/admin\/health$/, admin.health],
  [/^\/admin\/charts$/, admin.charts],
  [/^\/admin\/kitchens$/, admin.kitchens],
  [/^\/admin\/kitchens\/([^/]+)\/bookings$/, admin.bookings],
  [/^\/admin\/lapses$/, admin.lapses],
  [/^\/admin\/payouts$/, admin.payouts],
  [/^\/admin\/reconciliation$/, admin.reconciliation],
];

function parse() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query] = raw.split('?');
  return { path, query: new URLSearchParams(query || '') };
}

async function render() {
  const { path, query } = parse();
  flash('');
  renderNav(path);
  const needsSession = !['/sign-in', '/sign-up'].includes(path);
  if (needsSession && !api.current()) { signIn(query, path); return; }
  for (const [re, view] of routes) {
    const m = path.match(re);
    if (m) {
      try {
        await view(...m.slice(1), query);
      } catch (err) {
        page('Something went wrong', h('p', { class: 'form-error', role: 'alert' }, err.message || String(err)));
      }
      return;
    }
  }
  page('Not found', h('p', {}, 'There is no such page. '), h('a', { href: '#/' }, 'Go to the start'));
}

function renderNav(path) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  const s = api.current();
  const links = [];
  if (s) {
    links.push(['#/search', 'Find a kitchen']);
    if (api.hasRole('renter')) links.push(['#/my-bookings', 'My bookings']);
    if (api.hasRole('host')) links.push(['#/host', 'My kitchens'], ['#/host/profile', 'Host profile'], ['#/host/payouts', 'Payouts'], ['#/host/compliance', 'Compliance']);
    if (api.hasRole('admin') || api.hasRole('operator')) links.push(['#/admin', 'Review queue'], ['#/admin/health', 'Health'], ['#/admin/charts', 'Charts'], ['#/admin/kitchens', 'Kitchens'], ['#/admin/lapses', 'Lapses']);
    if (api.hasRole('admin')) links.push(['#/admin/payouts', 'Payout batches'], ['#/admin/reconciliation', 'Reconciliation']);
  }
  nav.replaceChildren(...links.map(([href, text]) => h('a', { href, 'aria-current': `#${path}` === href ? 'page' : false }, text)));
  who.replaceChildren(...(s
    ? [h('span', {}, `${s.account.name || s.sub} (${s.roles.join(', ')})`), h('button', { type: 'button', onclick: async () => { await api.signOut(); location.hash = '#/sign-in'; render(); } }, 'Sign out')]
    : [h('a', { href: '#/sign-in' }, 'Sign in'), h('a', { href: '#/sign-up' }, 'Create an account')]));
}

function home() {
  if (api.hasRole('admin') || api.hasRole('operator')) location.replace('#/admin');
  else if (api.hasRole('host')) location.replace('#/host');
  else location.replace('#/search');
}

function signIn(query, wanted) {
  const back = wanted && !['/sign-in', '/sign-up'].includes(wanted) ? `#${wanted}` : '#/';
  const done = () => { if (location.hash === back) render(); else location.hash = back; };
  const accountForm = form([
    field({ name: 'email', label: 'E-mail', type: 'email', required: true, attrs: { autocomplete: 'username' } }),
    field({ name: 'password', label: 'Password', type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
  ], 'Sign in', async (f) => {
    const v = values(f);
    await api.signIn(v.email || '', v.password || '');
    done();
  });
  const tokenForm = form([
    field({ name: 'token', label: 'Access token', type: 'password', required: true, hint: 'For admins, operators and developers: a token from ./hearth token --sub NAME --roles admin (or your identity provider). It is kept in this tab’s memory only.', attrs: { autocomplete: 'off' } }),
  ], 'Use this token', async (f) => {
    api.useToken(f.elements.token.value);
    try { await api.get('/v1/kitchens?limit=1'); } catch (err) { await api.signOut(); throw err; }
    done();
  });
  page('Sign in',
    h('section', { class: 'card', 'aria-labelledby': 'h-account' }, h('h2', { id: 'h-account' }, 'With your account'), accountForm,
      h('p', {}, 'No account yet? ', h('a', { href: '#/sign-up' }, 'Create one'), '.')),
    h('section', { class: 'card', 'aria-labelledby': 'h-token' }, h('h2', { id: 'h-token' }, 'With a token'), tokenForm));
}

function signUp() {
  page('Create an account',
    h('section', { class: 'card' }, form([
      field({ name: 'name', label: 'Your name', required: true, attrs: { autocomplete: 'name' } }),
      field({ name: 'email', label: 'E-mail', type: 'email', required: true, attrs: { autocomplete: 'email' } }),
      field({ name: 'password', label: 'Password', type: 'password', required: true, hint: 'At least the length the node asks for; a passphrase is best.', attrs: { autocomplete: 'new-password' } }),
      field({ name: 'role', label: 'I want to', options: [['renter', 'rent kitchens'], ['host', 'list my kitchen (host)']], value: 'renter' }),
    ], 'Create account', async (f) => {
      const v = values(f);
      await api.signUp({ email: v.email || '', password: f.elements.password.value, name: v.name || '', role: v.role });
      await api.signIn(v.email, f.elements.password.value);
      location.hash = v.role === 'host' ? '#/host/profile' : '#/search';
    })));
}

api.onSessionChange(() => renderNav(parse().path));
window.addEventListener('hashchange', render);

(async () => {
  await api.restore();
  render();
})();

export { showProblem };
