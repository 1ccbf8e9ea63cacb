// pages/organisations.js — village and community party organisations
// (村(社区)党组织): list with search, flag filter and sorting by stars; one
// organisation with its flags, star-rating history and the form to add a
// rating. GET /organisations, GET /organisations/{id}, GET and POST
// /organisations/{id}/stars.

import { h, hashFor } from '../dom.js';
import { api, showFormError, clearFormErrors } from '../api.js';
import { t, fmtNumber, fmtDate, fmtDateTime } from '../i18n.js';
import { getRegions, regionLabel, isAdmin } from '../store.js';
import {
  pageHeader, card, facts, badge, starStrip, dataTable, pager, empty,
  field, textInput, textArea, selectInput, readForm, toBody, busy, formAlert, exportButtons,
} from '../widgets.js';

const LIMIT = 20;
const FILTERS = ['q', 'flag', 'sort'];
// The server's flag filter: 1 weak/lax, 2 lagging, 3 demonstration, 4 weak economy.
const FLAGS = [
  { value: '1', key: 'weak_lax' },
  { value: '2', key: 'lagging' },
  { value: '3', key: 'demonstration' },
  { value: '4', key: 'weak_economy' },
];
const FLAG_TONE = { weak_lax: 'danger', lagging: 'warn', demonstration: 'ok', weak_economy: 'warn', was_weak_lax: 'neutral', was_lagging: 'neutral' };

function flagBadges(o) {
  const on = Object.keys(FLAG_TONE).filter((k) => o[k]);
  if (!on.length) return h('span', { class: 'muted' }, '—');
  return h('span', { class: 'chips' }, on.map((k) => badge(t(`org.flag.${k}`), FLAG_TONE[k])));
}

export async function list(view, ctx) {
  const q = ctx.query;
  const offset = Math.max(0, parseInt(q.offset, 10) || 0);
  const query = { limit: LIMIT, offset };
  if (q.q) query.q = q.q;
  if (q.flag) query.flag = q.flag;
  if (q.sort === 'stars') Object.assign(query, { sort: 'stars', order: 'desc' });
  const [res] = await Promise.all([api.get('/organisations', query), getRegions()]);
  if (ctx.stale()) return;

  const flagSel = selectInput('flag', FLAGS.map((f) => ({ value: f.value, label: t(`org.flag.${f.key}`) })), { value: q.flag, empty: t('common.all') });
  flagSel.id = 'filter-flag';
  const sortSel = selectInput('sort', [{ value: 'stars', label: t('org.sort_stars') }], { value: q.sort, empty: t('org.sort_default') });
  sortSel.id = 'filter-sort';
  const filters = h(
    'form',
    { class: 'filters', role: 'search', novalidate: true },
    h(
      'div',
      { class: 'filter-search' },
      h('label', { class: 'sr-only', for: 'org-q' }, t('orgs.search')),
      h('input', { type: 'search', id: 'org-q', name: 'q', value: q.q || '', placeholder: t('orgs.search_placeholder'), autocomplete: 'off' }),
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')),
    ),
    h(
      'div',
      { class: 'filter-selects' },
      h('label', { class: 'inline-field', for: 'filter-flag' }, h('span', null, t('org.flags')), flagSel),
      h('label', { class: 'inline-field', for: 'filter-sort' }, h('span', null, t('common.sort')), sortSel),
      FILTERS.some((k) => q[k]) ? h('a', { class: 'btn btn-ghost', href: '#/organisations' }, t('common.clear')) : null,
    ),
  );
  const apply = () => {
    const v = readForm(filters);
    ctx.go(hashFor('organisations', Object.fromEntries(FILTERS.map((k) => [k, v[k]]))));
  };
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  for (const s of filters.querySelectorAll('select')) s.addEventListener('change', apply);

  const rows = res.items || [];
  view.append(
    pageHeader(t('orgs.title'), { subtitle: t('orgs.total', { n: fmtNumber(res.total) }), actions: [exportButtons('organisations', { q: q.q, flag: q.flag })] }),
    filters,
    rows.length
      ? dataTable(
          [
            { label: t('org.name'), render: (o) => o.name, cls: 'wrap' },
            { label: t('org.region'), render: (o) => regionLabel(o.region, o.region_name) },
            { label: t('org.stars'), render: (o) => starStrip(o.stars) },
            { label: t('org.flags'), render: (o) => flagBadges(o), cls: 'wrap' },
          ],
          rows,
          { rowHref: (o) => `#/organisations/${o.id}`, caption: t('orgs.title'), rowAttrs: (o) => ({ dataset: { region: o.region, id: o.id } }) },
        )
      : empty(t('orgs.none')),
    res.total > LIMIT
      ? pager({ total: res.total, limit: LIMIT, offset, href: (o) => hashFor('organisations', { ...Object.fromEntries(FILTERS.filter((k) => q[k]).map((k) => [k, q[k]])), offset: o || undefined }) })
      : null,
  );
}

export async function detail(view, ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const [o, stars] = await Promise.all([api.get(`/organisations/${id}`), api.get(`/organisations/${id}/stars`), getRegions()]);
  if (ctx.stale()) return;
  const history = [...(stars.items || [])].sort((a, b) => (a.rated_on < b.rated_on ? 1 : a.rated_on > b.rated_on ? -1 : b.id - a.id));

  view.append(
    pageHeader(o.name, { back: { href: '#/organisations', label: t('orgs.title') }, actions: [starStrip(o.stars)] }),
    h(
      'div',
      { class: 'detail-grid' },
      card(
        t('org.basic'),
        facts([
          [t('org.region'), regionLabel(o.region, o.region_name)],
          [t('org.stars'), o.stars ? t('org.stars_n', { n: o.stars }) : t('org.unrated')],
          [t('org.flags'), flagBadges(o)],
          [t('org.updated_at'), fmtDateTime(o.updated_at)],
        ]),
      ),
      isAdmin(ctx.user) ? card(t('org.add_rating'), ratingForm(o, ctx)) : null,
    ),
    card(
      t('org.star_history'),
      history.length
        ? dataTable(
            [
              { label: t('org.rated_on'), render: (s) => fmtDate(s.rated_on) },
              { label: t('org.stars'), render: (s) => starStrip(s.stars) },
              { label: t('org.note'), render: (s) => s.note || '—', cls: 'wrap' },
              { label: t('history.user'), render: (s) => (s.user != null ? `#${s.user}` : t('history.system')) },
            ],
            history,
            { caption: t('org.star_history'), rowAttrs: (s) => ({ dataset: { stars: s.stars } }) },
          )
        : empty(t('org.no_ratings')),
    ),
  );
}

function ratingForm(o, ctx) {
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('org.add_rating_submit'));
  const today = new Date().toISOString().slice(0, 10);
  const form = h(
    'form',
    { class: 'form', novalidate: true, id: 'rating-form' },
    formAlert(),
    h('div', { class: 'fields' },
      field('stars', t('org.stars'), selectInput('stars', [1, 2, 3, 4, 5].map((n) => ({ value: n, label: t('org.stars_n', { n }) })), { value: o.stars || 3 }), { required: true }),
      field('rated_on', t('org.rated_on'), textInput('rated_on', { type: 'date', value: today }), { required: true }),
      field('note', t('org.note'), textArea('note', { rows: 2, maxlength: 1000 }), { wide: true }),
    ),
    h('div', { class: 'form-buttons' }, submit),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const body = toBody(readForm(form), { ints: ['stars'] });
    await busy(submit, async () => {
      try {
        await api.post(`/organisations/${o.id}/stars`, body);
        ctx.replace(location.hash);
      } catch (err) {
        showFormError(form, err);
      }
    });
  });
  return form;
}
