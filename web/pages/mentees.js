// pages/mentees.js — mentees (帮带对象): people in the six categories and
// weak village organisations. List with search and filters, one mentee,
// and the create form. GET/POST /mentees, GET /mentees/{id}.

import { h, hashFor } from '../dom.js';
import { api, showFormError, clearFormErrors } from '../api.js';
import { t, fmtNumber, fmtDateTime } from '../i18n.js';
import { getVocab, getRegions, vocabName, enumName, regionLabel, regionOptions, isAdmin } from '../store.js';
import {
  pageHeader, card, facts, badge, chips, dataTable, pager, empty,
  field, textInput, selectInput, checkGroup, readForm, toBody, busy, formAlert, buttonLink, exportButtons,
} from '../widgets.js';

const LIMIT = 20;
const FILTERS = ['q', 'kind', 'category', 'domain'];
const KINDS = ['person', 'org'];

const vocabOpts = (vocab, kind) => (vocab[kind] || []).map((v) => ({ value: v.code, label: vocabName(kind, v.code) }));

export async function list(view, ctx) {
  const q = ctx.query;
  const offset = Math.max(0, parseInt(q.offset, 10) || 0);
  const query = { limit: LIMIT, offset };
  for (const k of FILTERS) if (q[k]) query[k] = q[k];
  const [res, vocab] = await Promise.all([api.get('/mentees', query), getVocab(), getRegions()]);
  if (ctx.stale()) return;

  const sel = (name, label, options) => {
    const s = selectInput(name, options, { value: q[name], empty: t('common.all') });
    s.id = `filter-${name}`;
    return h('label', { class: 'inline-field', for: s.id }, h('span', null, label), s);
  };
  const filters = h(
    'form',
    { class: 'filters', role: 'search', novalidate: true },
    h(
      'div',
      { class: 'filter-search' },
      h('label', { class: 'sr-only', for: 'mentee-q' }, t('mentees.search')),
      h('input', { type: 'search', id: 'mentee-q', name: 'q', value: q.q || '', placeholder: t('mentees.search_placeholder'), autocomplete: 'off' }),
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')),
    ),
    h(
      'div',
      { class: 'filter-selects' },
      sel('kind', t('mentee.kind'), KINDS.map((k) => ({ value: k, label: enumName('kind', k) }))),
      sel('category', t('mentee.category'), vocabOpts(vocab, 'category')),
      sel('domain', t('mentee.weaknesses'), vocabOpts(vocab, 'domain')),
      FILTERS.some((k) => q[k]) ? h('a', { class: 'btn btn-ghost', href: '#/mentees' }, t('common.clear')) : null,
    ),
  );
  const apply = () => {
    const v = readForm(filters);
    ctx.go(hashFor('mentees', Object.fromEntries(FILTERS.map((k) => [k, v[k]]))));
  };
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  for (const s of filters.querySelectorAll('select')) s.addEventListener('change', apply);

  const rows = res.items || [];
  view.append(
    pageHeader(t('mentees.title'), {
      subtitle: t('mentees.total', { n: fmtNumber(res.total) }),
      actions: [
        isAdmin(ctx.user) || ctx.user.role === 'auditor' ? exportButtons('mentees', Object.fromEntries(FILTERS.filter((k) => q[k]).map((k) => [k, q[k]]))) : null,
        isAdmin(ctx.user) ? buttonLink('#/mentees/new', t('mentees.create'), 'btn btn-primary') : null,
      ].filter(Boolean),
    }),
    filters,
    rows.length
      ? dataTable(
          [
            { label: t('mentee.name'), render: (m) => m.name },
            { label: t('mentee.kind'), render: (m) => badge(enumName('kind', m.kind), m.kind === 'org' ? 'info' : 'neutral') },
            { label: t('mentee.region'), render: (m) => regionLabel(m.region, m.region_name) },
            { label: t('mentee.category'), render: (m) => (m.category ? vocabName('category', m.category) : '—'), cls: 'wrap' },
            { label: t('mentee.post'), render: (m) => m.post || '—', cls: 'wrap' },
            { label: t('mentee.weaknesses'), render: (m) => chips((m.weaknesses || []).map((d) => vocabName('domain', d))), cls: 'wrap' },
          ],
          rows,
          { rowHref: (m) => `#/mentees/${m.id}`, caption: t('mentees.title'), rowAttrs: (m) => ({ dataset: { region: m.region, id: m.id } }) },
        )
      : empty(t('mentees.none')),
    res.total > LIMIT
      ? pager({ total: res.total, limit: LIMIT, offset, href: (o) => hashFor('mentees', { ...Object.fromEntries(FILTERS.filter((k) => q[k]).map((k) => [k, q[k]])), offset: o || undefined }) })
      : null,
  );
}

export async function detail(view, ctx) {
  const m = await api.get(`/mentees/${encodeURIComponent(ctx.params.id)}`);
  const [vocab] = await Promise.all([getVocab(), getRegions()]);
  if (ctx.stale()) return;
  ctx.vocab = vocab;
  const own = ctx.user.role === 'mentee' && String(ctx.user.mentee) === String(m.id);
  const orgLink = m.organisation
    ? ctx.user.role === 'mentee' || ctx.user.role === 'mentor'
      ? `#${m.organisation}`
      : h('a', { href: `#/organisations/${m.organisation}` }, t('mentee.organisation_link', { id: m.organisation }))
    : null;
  const person = m.kind === 'person';
  const archive = own || ctx.user.role === 'auditor' || isAdmin(ctx.user)
    ? buttonLink(`#/mentees/${m.id}/archive`, t('archive.short'), 'btn btn-small archive-link')
    : null;
  view.append(
    pageHeader(m.name, {
      subtitle: own ? t('mentee.mine') : m.post || null,
      back: own ? null : { href: '#/mentees', label: t('mentees.title') },
      actions: [archive, badge(enumName('kind', m.kind), m.kind === 'org' ? 'info' : 'neutral'), badge(enumName('mentee_status', m.status), m.status === 'active' ? 'ok' : 'neutral')],
    }),
    h(
      'div',
      { class: 'detail-grid' },
      card(
        t('mentee.basic'),
        facts([
          [t('mentee.region'), regionLabel(m.region, m.region_name)],
          [t('mentee.post'), m.post],
          ...(person
            ? [
                [t('mentee.gender'), m.gender],
                [t('mentee.birth_year'), m.birth_year],
                [t('mentee.phone'), m.phone],
                [t('mentee.id_number'), m.id_number],
                [t('mentee.category'), m.category ? vocabName('category', m.category) : null],
                [t('mentee.talent_team'), m.talent_team ? vocabName('talent_team', m.talent_team) : null],
              ]
            : [[t('mentee.organisation'), orgLink]]),
          [t('mentee.created_at'), fmtDateTime(m.created_at)],
        ]),
      ),
      card(t('mentee.weaknesses'), h('p', { class: 'muted' }, t('mentee.weaknesses_explain')), chips((m.weaknesses || []).map((d) => vocabName('domain', d)))),
    ),
    isAdmin(ctx.user) && person && m.status !== 'graduated' ? graduateCard(m, ctx) : null,
  );
}

// 徒成师: an admin puts a mentee who has grown into the role into the
// mentor library (status nominated), remembering who trained it.
// POST /mentees/{id}/graduate.
function graduateCard(m, ctx) {
  const vocab = ctx.vocab || {};
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('graduate.submit'));
  const form = h('form', { class: 'form', id: 'graduate-form', novalidate: true }, formAlert(),
    h('p', { class: 'muted' }, t('graduate.explain')),
    h('div', { class: 'fields' },
      field('source', t('mentor.source'), selectInput('source', vocabOpts(vocab, 'source'), { empty: t('common.choose') }), { required: true }),
      field('tier', t('mentor.tier'), selectInput('tier', ['township', 'county', 'city'].map((v) => ({ value: v, label: enumName('tier', v) })), { value: 'township' }))),
    h('div', { class: 'form-buttons' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    await busy(submit, async () => {
      try {
        const made = await api.post(`/mentees/${m.id}/graduate`, toBody(readForm(form)));
        ctx.go(`#/mentors/${made.id}`);
      } catch (err) {
        showFormError(form, err);
      }
    });
  });
  return card(t('graduate.title'), form);
}

export async function create(view, ctx) {
  const [vocab, regions, orgs] = await Promise.all([getVocab(), getRegions(), api.get('/organisations', { limit: 500, sort: 'name' })]);
  if (ctx.stale()) return;
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('mentees.create_submit'));
  const kind = selectInput('kind', KINDS.map((k) => ({ value: k, label: enumName('kind', k) })), { value: 'person' });
  const personSet = h(
    'fieldset',
    { class: 'only-person' },
    h('legend', null, t('mentee.person_fields')),
    h('div', { class: 'fields' },
      field('gender', t('mentee.gender'), selectInput('gender', [{ value: '男', label: t('gender.male') }, { value: '女', label: t('gender.female') }], { empty: '—' })),
      field('birth_year', t('mentee.birth_year'), textInput('birth_year', { inputmode: 'numeric' })),
      field('phone', t('mentee.phone'), textInput('phone', { type: 'tel', inputmode: 'tel' }), { hint: t('mentor.phone_hint') }),
      field('id_number', t('mentee.id_number'), textInput('id_number')),
      field('category', t('mentee.category'), selectInput('category', vocabOpts(vocab, 'category'), { empty: t('common.choose') }), { wide: true }),
      field('talent_team', t('mentee.talent_team'), selectInput('talent_team', vocabOpts(vocab, 'talent_team'), { empty: t('common.choose') })),
    ),
  );
  const orgSet = h(
    'fieldset',
    { class: 'only-org' },
    h('legend', null, t('mentee.org_fields')),
    h('div', { class: 'fields' },
      field('organisation', t('mentee.organisation'), selectInput('organisation', (orgs.items || []).map((o) => ({ value: o.id, label: `${o.name}（${o.region_name || o.region}）` })), { empty: t('common.choose') }), { wide: true }),
    ),
  );
  const form = h(
    'form',
    { class: 'form form-grid', novalidate: true, id: 'mentee-form' },
    formAlert(),
    h('fieldset', null, h('legend', null, t('mentee.basic')),
      h('div', { class: 'fields' },
        field('kind', t('mentee.kind'), kind, { required: true }),
        field('name', t('mentee.name'), textInput('name', { maxlength: 60 }), { required: true }),
        field('region', t('mentee.region'), selectInput('region', regionOptions(regions, { minLevel: 2, maxLevel: 4 }), { empty: t('common.choose') }), { required: true }),
        field('post', t('mentee.post'), textInput('post', { maxlength: 60 })),
      )),
    personSet,
    orgSet,
    h('fieldset', null, h('legend', null, t('mentee.weaknesses')),
      field('weaknesses', t('mentee.weaknesses_pick'), checkGroup('weaknesses', vocabOpts(vocab, 'domain')), { wide: true })),
    h('div', { class: 'form-buttons' }, submit, h('a', { class: 'btn btn-ghost', href: '#/mentees' }, t('common.cancel'))),
  );
  // Show the fields of the chosen kind; the hidden ones are disabled so
  // they are not sent.
  const sync = () => {
    const isOrg = kind.value === 'org';
    personSet.hidden = isOrg;
    orgSet.hidden = !isOrg;
    personSet.disabled = isOrg;
    orgSet.disabled = !isOrg;
  };
  kind.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const body = toBody(readForm(form), { ints: ['birth_year', 'organisation'] });
    await busy(submit, async () => {
      try {
        const made = await api.post('/mentees', body);
        ctx.go(`#/mentees/${made.id}`);
      } catch (err) {
        showFormError(form, err);
      }
    });
  });
  view.append(pageHeader(t('mentees.create'), { back: { href: '#/mentees', label: t('mentees.title') } }), card(null, form));
  form.elements.name.focus();
}
