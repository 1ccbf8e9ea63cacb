// pages/menus.js — county menus of mentors (菜单, "你来点单，我来帮带"). A
// mentee sees its county's published menu; admins see the menus of their
// jurisdiction. GET /menus, GET /menus/{id}, GET /menus/{id}/mentors.
//
// TODO(menu-choices): a mentee ranks up to K mentors from the menu. The API
// for recording choices does not exist yet; choicesPanel() below is the
// hook: it shows the menu's state and says that choosing is not open, and
// must not pretend to save anything until that API is there.

import { h } from '../dom.js';
import { api } from '../api.js';
import { t, fmtNumber } from '../i18n.js';
import { getVocab, getRegions, vocabName, enumName, regionLabel, isAdmin } from '../store.js';
import { pageHeader, card, badge, chips, dataTable, empty, notice, selectInput } from '../widgets.js';

export async function list(view, ctx) {
  const res = await api.get('/menus', { limit: 100 });
  if (ctx.stale()) return;
  const menus = res.items || [];
  // A mentee has one county and so one published menu: open it at once.
  if (ctx.user.role === 'mentee') {
    const pub = menus.filter((m) => m.published);
    if (pub.length === 1) return ctx.replace(`#/menus/${pub[0].id}`);
  }
  view.append(
    pageHeader(t('menus.title'), { subtitle: t('menus.explain') }),
    menus.length
      ? dataTable(
          [
            { label: t('menu.name'), render: (m) => m.name },
            { label: t('menu.region'), render: (m) => m.region_name || m.region },
            { label: t('menu.year'), render: (m) => m.year },
            { label: t('menu.items'), render: (m) => t('menu.items_n', { n: m.items }) },
            { label: t('menu.published'), render: (m) => (m.published ? badge(t('menu.is_published'), 'ok') : badge(t('menu.draft'), 'neutral')) },
          ],
          menus,
          { rowHref: (m) => `#/menus/${m.id}`, caption: t('menus.title') },
        )
      : empty(t('menus.none')),
  );
  return undefined;
}

export async function detail(view, ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const wantMentee = ctx.user.role === 'mentee' && ctx.user.mentee;
  const [menu, res, , , me] = await Promise.all([
    api.get(`/menus/${id}`),
    api.get(`/menus/${id}/mentors`),
    getVocab(),
    getRegions(),
    wantMentee ? api.get(`/mentees/${ctx.user.mentee}`).catch(() => null) : null,
  ]);
  if (ctx.stale()) return;
  const mentors = res.items || [];
  const weak = new Set((me && me.weaknesses) || []);

  // Filter the cards by a domain, on the page (the menu is small).
  const domains = [...new Set(mentors.flatMap((m) => m.domains || []))];
  const filter = selectInput('domain', domains.map((d) => ({ value: d, label: vocabName('domain', d) })), { empty: t('common.all') });
  filter.id = 'menu-domain';
  const grid = h('div', { class: 'mentor-cards' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const draw = () => {
    const want = filter.value;
    const shown = want ? mentors.filter((m) => (m.domains || []).includes(want)) : mentors;
    grid.replaceChildren(...shown.map((m) => mentorCard(m, weak, ctx)));
    count.textContent = t('menu.showing', { n: shown.length, total: mentors.length });
  };
  filter.addEventListener('change', draw);
  draw();

  view.append(
    pageHeader(menu.name, {
      subtitle: t('menu.subtitle', { region: menu.region_name || menu.region, year: menu.year, n: fmtNumber(res.total ?? mentors.length) }),
      back: ctx.user.role === 'mentee' ? null : { href: '#/menus', label: t('menus.title') },
      actions: [menu.published ? badge(t('menu.is_published'), 'ok') : badge(t('menu.draft'), 'neutral')],
    }),
    h('div', { class: 'menu-layout' },
      h('div', { class: 'menu-main' },
        h('div', { class: 'menu-tools' }, h('label', { class: 'inline-field', for: 'menu-domain' }, h('span', null, t('menu.filter_domain')), filter), count),
        weak.size ? notice(t('menu.weak_hint'), 'info') : null,
        mentors.length ? grid : empty(t('menu.no_mentors'))),
      choicesPanel(menu, ctx)),
  );
}

function mentorCard(m, weak, ctx) {
  const fits = (m.domains || []).some((d) => weak.has(d));
  const name = isAdmin(ctx.user) || ctx.user.role === 'auditor' ? h('a', { href: `#/mentors/${m.id}` }, m.name) : m.name;
  return h(
    'article',
    { class: ['mentor-card', fits ? 'fits' : ''], dataset: { id: m.id } },
    h('header', null,
      h('h3', null, name),
      h('span', { class: 'badges' }, badge(enumName('tier', m.tier), 'info'), badge(enumName('team_type', m.team_type), 'neutral'))),
    h('p', { class: 'mentor-post' }, m.post || vocabName('source', m.source)),
    h('p', { class: 'muted' }, `${regionLabel(m.region, m.region_name)} · ${vocabName('source', m.source)} · ${t('mentor.capacity_n', { n: m.capacity })}`),
    chips((m.domains || []).map((d) => ({ label: vocabName('domain', d), code: d })), { mark: (c) => weak.has(c.code) }),
    fits ? h('p', { class: 'fits-note' }, t('menu.fits')) : null,
  );
}

// TODO(menu-choices): the hook for ranking. Replace the notice with the
// ranking form when the API exists (POST the ranked mentor ids; show the
// server's field errors next to the list like every other form).
function choicesPanel(menu, ctx) {
  if (ctx.user.role !== 'mentee') return null;
  return h(
    'aside',
    { class: 'card choices-panel', dataset: { todo: 'menu-choices' }, 'aria-labelledby': 'choices-title' },
    h('h2', { class: 'card-title', id: 'choices-title' }, t('menu.choices_title')),
    h('p', null, t('menu.choices_explain')),
    notice(t('menu.choices_todo'), 'warn'),
  );
}
