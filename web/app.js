// app.js — the shell: loads the strings, finds out who is logged in, draws
// the header with the navigation the caller's role may use, and routes
// location.hash to one page module under pages/. Layer: web.
//
// Adding a page: write pages/NAME.js exporting one function per view
// (`async function list(view, ctx)`, ...), add its rows to ROUTES (and to
// NAV if it belongs in the menu), and its strings to both i18n files.
//
// A view function gets an empty <div> to fill and a context:
//   ctx.params  path parameters (":id")      ctx.query  the hash's query
//   ctx.user    the caller's account         ctx.go(hash) / ctx.replace(hash)
// It may return a cleanup function, called when the page is left. An
// ApiError it throws is shown as a page: 403 → forbidden, 404 → not found.

import { h, clear } from './dom.js';
import { api, ApiError, csrfToken, setCsrfToken, setSessionLostHandler, errorText } from './api.js';
import { t, loadLang, currentLang, LANGS } from './i18n.js';
import { currentUser, setUser } from './store.js';

const ALL = ['city_admin', 'county_admin', 'township_admin', 'mentor', 'mentee', 'auditor'];
const ADMINS = ['city_admin', 'county_admin', 'township_admin'];
const OFFICE = [...ADMINS, 'auditor'];

// path pattern, page module, exported view, roles that may open it, and the
// nav entry it lights up. The API checks everything again; this only keeps
// people away from pages that could never work for their role.
const ROUTES = [
  { path: 'login', page: 'login', view: 'render', public: true },
  { path: 'dashboard', page: 'dashboard', view: 'render', roles: OFFICE, nav: 'dashboard' },
  { path: 'mentors', page: 'mentors', view: 'list', roles: ALL, nav: 'mentors' },
  { path: 'mentors/new', page: 'mentors', view: 'nominate', roles: ADMINS, nav: 'mentors' },
  { path: 'mentors/:id', page: 'mentors', view: 'detail', roles: ALL, nav: 'mentors' },
  { path: 'mentors/:id/lineage', page: 'lineage', view: 'render', roles: [...OFFICE, 'mentor'], nav: 'mentors' },
  { path: 'menus', page: 'menus', view: 'list', roles: ALL, nav: 'menus' },
  { path: 'menus/:id', page: 'menus', view: 'detail', roles: ALL, nav: 'menus' },
  { path: 'mentees', page: 'mentees', view: 'list', roles: ALL, nav: 'mentees' },
  { path: 'mentees/new', page: 'mentees', view: 'create', roles: ADMINS, nav: 'mentees' },
  { path: 'mentees/:id', page: 'mentees', view: 'detail', roles: ALL, nav: 'mentees' },
  { path: 'mentees/:id/archive', page: 'archive', view: 'render', roles: [...OFFICE, 'mentee'], nav: 'mentees' },
  { path: 'organisations', page: 'organisations', view: 'list', roles: OFFICE, nav: 'organisations' },
  { path: 'organisations/:id', page: 'organisations', view: 'detail', roles: OFFICE, nav: 'organisations' },
  { path: 'match', page: 'match', view: 'workbench', roles: OFFICE, nav: 'match' },
  { path: 'pairings', page: 'pairings', view: 'list', roles: ALL, nav: 'pairings' },
  { path: 'pairings/:id', page: 'pairings', view: 'detail', roles: ALL, nav: 'pairings' },
  { path: 'due', page: 'pairings', view: 'due', roles: OFFICE, nav: 'due' },
  { path: 'import', page: 'imports', view: 'render', roles: ADMINS, nav: 'import' },
  { path: 'forbidden', page: 'forbidden', view: 'render', roles: ALL },
];

// The menu, per role. href(user) may point a person at their own record.
const NAV = [
  { key: 'dashboard', roles: OFFICE, href: () => '#/dashboard' },
  { key: 'mentors', roles: OFFICE, href: () => '#/mentors' },
  { key: 'my_mentor', nav: 'mentors', roles: ['mentor'], href: (u) => (u.mentor ? `#/mentors/${u.mentor}` : '#/mentors') },
  { key: 'menus', roles: ALL, href: () => '#/menus' },
  { key: 'mentees', roles: OFFICE, href: () => '#/mentees' },
  { key: 'my_mentee', nav: 'mentees', roles: ['mentee'], href: (u) => (u.mentee ? `#/mentees/${u.mentee}` : '#/mentees') },
  { key: 'organisations', roles: OFFICE, href: () => '#/organisations' },
  { key: 'match', roles: OFFICE, href: () => '#/match' },
  { key: 'pairings', roles: ALL, href: () => '#/pairings' },
  { key: 'due', roles: OFFICE, href: () => '#/due' },
  { key: 'import', roles: ADMINS, href: () => '#/import' },
];

// Where a role lands after logging in.
function landing(u) {
  if (OFFICE.includes(u.role)) return '#/dashboard';
  if (u.role === 'mentor' && u.mentor) return `#/mentors/${u.mentor}`;
  return '#/menus';
}

// ---- routing ---------------------------------------------------------------

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [p, q = ''] = raw.split('?');
  const path = p.replace(/\/+$/, '');
  return { path, query: Object.fromEntries(new URLSearchParams(q)) };
}

function match(path) {
  const segs = path.split('/').filter(Boolean);
  for (const r of ROUTES) {
    const pat = r.path.split('/');
    if (pat.length !== segs.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < pat.length && ok; i++) {
      if (pat[i].startsWith(':')) params[pat[i].slice(1)] = decodeURIComponent(segs[i]);
      else ok = pat[i] === segs[i];
    }
    if (ok) return { route: r, params };
  }
  return null;
}

const go = (hash) => {
  if (location.hash === hash) route();
  else location.hash = hash;
};
const replace = (hash) => {
  history.replaceState(null, '', hash);
  route();
};

let cleanup = null;
let renderSeq = 0;

async function route() {
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  const user = currentUser();
  if (path === '') return replace(user ? landing(user) : '#/login');
  const m = match(path);

  if (!user && !(m && m.route.public)) {
    const next = location.hash;
    return replace(`#/login${next && next !== '#/' ? `?next=${encodeURIComponent(next)}` : ''}`);
  }
  if (user && m && m.route.path === 'login') return replace(query.next || landing(user));

  if (typeof cleanup === 'function') {
    try {
      cleanup();
    } catch {
      /* a page's cleanup failing must not stop the next one */
    }
  }
  cleanup = null;
  drawShell(m && m.route);

  const main = document.getElementById('main');
  const view = h('div', { class: 'view' });
  // Pages append optional parts as `cond ? node : null` and lists of
  // nodes: skip the nulls and flatten, as h() does, instead of the DOM
  // writing "null".
  view.append = (...kids) => {
    for (const c of kids.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      Element.prototype.append.call(view, c instanceof Node ? c : String(c));
    }
  };
  clear(main).append(view);
  window.scrollTo(0, 0);

  if (!m) return showPage(view, 'notfound', 'render', {}, query);
  if (user && m.route.roles && !m.route.roles.includes(user.role)) {
    return showPage(view, 'forbidden', 'render', {}, query);
  }
  await showPage(view, m.route.page, m.route.view, m.params, query, seq);
}

async function showPage(view, page, name, params, query, seq = renderSeq) {
  const ctx = { params, query, user: currentUser(), go, replace, loggedIn, lang: currentLang(), stale: () => seq !== renderSeq };
  document.title = `${t(`title.${page}`)} · ${t('app.name')}`;
  try {
    const mod = await import(`./pages/${page}.js`);
    const out = await mod[name](view, ctx);
    if (seq === renderSeq) cleanup = out || null;
    else if (typeof out === 'function') out();
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e instanceof ApiError && e.sessionLost) return; /* the handler moved us to login */
    if (e instanceof ApiError && e.status === 403) return showPage(clear(view), 'forbidden', 'render', params, query, seq);
    if (e instanceof ApiError && e.status === 404) return showPage(clear(view), 'notfound', 'render', params, query, seq);
    clear(view).append(
      h('div', { class: 'status-page' }, h('h1', null, t('error.title')), h('p', { class: 'notice notice-danger', role: 'alert' }, errorText(e))),
    );
    if (!(e instanceof ApiError)) console.error(e); // eslint-disable-line no-console
  }
}

// ---- the shell ---------------------------------------------------------------

function drawShell(r) {
  wireSkipLink();
  const user = currentUser();
  const header = document.getElementById('top');
  const other = LANGS.find((l) => l !== currentLang());
  const langBtn = h(
    'button',
    { type: 'button', class: 'btn btn-ghost btn-small lang-switch', lang: other, 'data-lang': other, on: { click: () => switchLang(other) } },
    t(`lang.${other}`),
  );
  const brand = h('a', { class: 'brand', href: user ? landing(user) : '#/login' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '帮'), h('span', { class: 'brand-name' }, t('app.name')));
  clear(header);
  if (!user) {
    header.append(h('div', { class: 'topbar' }, brand, h('div', { class: 'top-tools' }, langBtn)));
    return;
  }
  const active = r && r.nav;
  const items = NAV.filter((n) => n.roles.includes(user.role));
  const nav = h(
    'nav',
    { class: 'mainnav', 'aria-label': t('nav.label') },
    h(
      'ul',
      null,
      items.map((n) => {
        const on = (n.nav || n.key) === active;
        return h('li', null, h('a', { href: n.href(user), class: on ? 'active' : null, 'aria-current': on ? 'page' : null, dataset: { nav: n.key } }, t(`nav.${n.key}`)));
      }),
    ),
  );
  const who = h('span', { class: 'who' }, h('span', { class: 'who-login' }, user.login), h('span', { class: 'who-role' }, t(`role.${user.role}`)));
  const logout = h('button', { type: 'button', class: 'btn btn-ghost btn-small', on: { click: logoutNow } }, t('nav.logout'));
  header.append(h('div', { class: 'topbar' }, brand, h('div', { class: 'top-tools' }, who, langBtn, logout)), nav);
}

async function switchLang(l) {
  await loadLang(l);
  route(); // same hash: the same page, now in the other language
}

async function logoutNow() {
  try {
    await api.post('/auth/logout');
  } catch {
    /* the session may already be gone; we forget it either way */
  }
  setCsrfToken(null);
  setUser(null);
  go('#/login');
}

// The login page calls this (as ctx.loggedIn) with the login answer.
function loggedIn(answer, next) {
  setCsrfToken(answer.csrf);
  setUser(answer.user);
  go(next && next.startsWith('#/') && !next.startsWith('#/login') ? next : landing(answer.user));
}

let booted = false;
let losing = false;
setSessionLostHandler(() => {
  if (!booted || losing) return;
  losing = true;
  setCsrfToken(null);
  setUser(null);
  const next = location.hash.startsWith('#/login') ? '' : location.hash;
  replace(`#/login?expired=1${next ? `&next=${encodeURIComponent(next)}` : ''}`);
  losing = false;
});

// The skip link would change the hash (and so the route): focus instead.
function wireSkipLink() {
  const a = document.querySelector('.skip-link');
  if (!a) return;
  a.textContent = t('nav.skip');
  if (a.dataset.wired) return;
  a.dataset.wired = '1';
  a.addEventListener('click', (e) => {
    e.preventDefault();
    document.getElementById('main').focus();
  });
}

async function boot() {
  await loadLang();
  // The session cookie is HttpOnly; the CSRF token lives in this tab's
  // sessionStorage. Without it writes cannot succeed, so a tab without one
  // starts at the login page.
  if (csrfToken()) {
    try {
      setUser(await api.get('/auth/me'));
    } catch {
      setCsrfToken(null);
      setUser(null);
    }
  }
  booted = true;
  window.addEventListener('hashchange', route);
  await route();
}

boot().catch((e) => {
  const main = document.getElementById('main');
  clear(main).append(h('p', { class: 'notice notice-danger', role: 'alert' }, String(e && e.message ? e.message : e)));
});
