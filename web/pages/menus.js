// pages/menus.js — county menus of mentors (菜单, "你来点单，我来帮带"). A
// mentee sees its county's published menu; admins see the menus of their
// jurisdiction. GET /menus, GET /menus/{id}, GET /menus/{id}/mentors.
//
// A mentee ranks up to 5 mentors of the menu (点单): GET/PUT /match/choices.
// The cards carry an add button; the side panel holds the ordered list.

import { h } from '../dom.js';
import { api, clearFormErrors, showFormError } from '../api.js';
import { t, fmtNumber } from '../i18n.js';
import { getVocab, getRegions, vocabName, enumName, regionLabel, isAdmin } from '../store.js';
import { pageHeader, badge, chips, dataTable, empty, notice, selectInput, busy, formAlert } from '../widgets.js';

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
  const [menu, res, , , me, saved] = await Promise.all([
    api.get(`/menus/${id}`),
    api.get(`/menus/${id}/mentors`),
    getVocab(),
    getRegions(),
    wantMentee ? api.get(`/mentees/${ctx.user.mentee}`).catch(() => null) : null,
    wantMentee ? api.get('/match/choices').catch(() => null) : null,
  ]);
  if (ctx.stale()) return;
  const mentors = res.items || [];
  const weak = new Set((me && me.weaknesses) || []);
  const chooser = ctx.user.role === 'mentee' ? makeChooser(menu, mentors, saved) : null;

  // Filter the cards by a domain, on the page (the menu is small).
  const domains = [...new Set(mentors.flatMap((m) => m.domains || []))];
  const filter = selectInput('domain', domains.map((d) => ({ value: d, label: vocabName('domain', d) })), { empty: t('common.all') });
  filter.id = 'menu-domain';
  const grid = h('div', { class: 'mentor-cards' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const draw = () => {
    const want = filter.value;
    const shown = want ? mentors.filter((m) => (m.domains || []).includes(want)) : mentors;
    grid.replaceChildren(...shown.map((m) => mentorCard(m, weak, ctx, chooser)));
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
      chooser ? chooser.panel : null),
  );
}

function mentorCard(m, weak, ctx, chooser) {
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
    chooser ? chooser.addButton(m) : null,
  );
}

const MAX_CHOICES = 5;

// The ranking panel: the ordered list (move up, down, remove), a save
// button (PUT /match/choices) and the server's error by the list.
function makeChooser(menu, mentors, saved) {
  const byId = new Map(mentors.map((m) => [m.id, m]));
  const savedIds = ((saved && saved.items) || []).filter((c) => c.menu === menu.id).sort((a, b) => a.rank - b.rank).map((c) => c.mentor);
  let picks = [...savedIds];
  const addButtons = new Map();
  const list = h('ol', { class: 'choice-list', id: 'choice-list', 'aria-describedby': 'choice-list-err' });
  const status = h('p', { class: 'muted choice-status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'choices-save' }, t('menu.choices_save'));
  const form = h(
    'form',
    { class: 'form choices-form', novalidate: true },
    formAlert(),
    h('div', { class: 'field', dataset: { field: 'mentors' } },
      h('span', { class: 'label', id: 'choice-list-label' }, t('menu.choices_list', { max: MAX_CHOICES })),
      list,
      h('p', { class: 'field-error', id: 'choice-list-err', role: 'alert', hidden: true })),
    h('div', { class: 'form-buttons' }, submit),
    status,
  );
  list.setAttribute('aria-labelledby', 'choice-list-label');
  const nameOf = (id) => (byId.get(id) ? byId.get(id).name : `#${id}`);
  const move = (i, d) => {
    const j = i + d;
    if (j < 0 || j >= picks.length) return;
    [picks[i], picks[j]] = [picks[j], picks[i]];
    draw();
  };
  function draw() {
    const dirty = picks.join(',') !== savedIds.join(',');
    list.replaceChildren(
      ...picks.map((id, i) =>
        h('li', { class: 'choice', dataset: { id } },
          h('span', { class: 'choice-rank' }, String(i + 1)),
          h('span', { class: 'choice-name' }, nameOf(id)),
          h('span', { class: 'choice-tools' },
            h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': t('menu.choice_up', { name: nameOf(id) }), disabled: i === 0, dataset: { act: 'up' }, on: { click: () => move(i, -1) } }, '↑'),
            h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': t('menu.choice_down', { name: nameOf(id) }), disabled: i === picks.length - 1, dataset: { act: 'down' }, on: { click: () => move(i, 1) } }, '↓'),
            h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': t('menu.choice_remove', { name: nameOf(id) }), dataset: { act: 'remove' }, on: { click: () => { picks.splice(i, 1); draw(); } } }, '×'))),
      ),
    );
    if (!picks.length) list.append(h('li', { class: 'muted choice-empty' }, t('menu.choices_none')));
    status.textContent = dirty ? t('menu.choices_unsaved') : savedIds.length ? t('menu.choices_saved', { n: savedIds.length }) : '';
    for (const [id, b] of addButtons) {
      const on = picks.includes(id);
      b.disabled = on || picks.length >= MAX_CHOICES;
      b.textContent = on ? t('menu.choice_added', { rank: picks.indexOf(id) + 1 }) : t('menu.choice_add');
    }
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    await busy(submit, async () => {
      try {
        const res = await api.put('/match/choices', { menu: menu.id, mentors: picks });
        const items = ((res && res.items) || []).sort((a, b) => a.rank - b.rank).map((c) => c.mentor);
        savedIds.splice(0, savedIds.length, ...items);
        picks = [...items];
        draw();
      } catch (err) {
        showFormError(form, err);
      }
    });
  });
  const panel = h(
    'aside',
    { class: 'card choices-panel', 'aria-labelledby': 'choices-title' },
    h('h2', { class: 'card-title', id: 'choices-title' }, t('menu.choices_title')),
    h('p', null, t('menu.choices_explain')),
    menu.published ? form : notice(t('menu.choices_closed'), 'warn'),
  );
  const addButton = (m) => {
    if (!menu.published) return null;
    const b = h('button', { type: 'button', class: 'btn btn-small choose-btn', dataset: { id: m.id }, on: { click: () => { if (!picks.includes(m.id) && picks.length < MAX_CHOICES) { picks.push(m.id); draw(); } } } }, t('menu.choice_add'));
    addButtons.set(m.id, b);
    queueMicrotask(draw);
    return b;
  };
  draw();
  return { panel, addButton };
}
