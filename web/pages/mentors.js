// pages/mentors.js — the mentor library (导师库): the list with search
// (the server folds simplified and traditional characters) and filters,
// one mentor with the selection pipeline's history and its next steps as
// buttons, and the nomination form (乡镇推选).
// The appointed mentor's numbered letter (聘书) downloads as a PDF; the
// lineage page (who it trained) is a link away.

import { h, hashFor } from '../dom.js';
import { api, showFormError, clearFormErrors, fileUrl, errorText } from '../api.js';
import { t, fmtDate, fmtDateTime, fmtNumber } from '../i18n.js';
import { getVocab, getRegions, vocabName, enumName, regionLabel, regionOptions, isAdmin } from '../store.js';
import {
  pageHeader, card, facts, statusBadge, chips, scoreBar, dataTable, pager, empty,
  field, textInput, textArea, selectInput, checkGroup, readForm, toBody, busy, formAlert, buttonLink, notice, exportButtons,
} from '../widgets.js';

const LIMIT = 20;
const TIERS = ['city', 'county', 'township'];
const TEAMS = ['expert', 'experienced', 'grassroots'];
const STATUSES = ['nominated', 'shortlisted', 'filed', 'active', 'paused', 'retired', 'rejected'];
const FILTERS = ['q', 'tier', 'source', 'team_type', 'status', 'domain'];

// The pipeline as the server has it (src/core/domain.c): from which status
// an action may be taken, the least admin rank that may take it, and
// whether a reason is required. The server decides; this only chooses
// which buttons to show.
const PIPELINE = [
  { from: 'nominated', action: 'shortlist', min: 'county_admin', reason: false },
  { from: 'shortlisted', action: 'file', min: 'city_admin', reason: false },
  { from: 'filed', action: 'appoint', min: 'city_admin', reason: false },
  { from: 'active', action: 'pause', min: 'county_admin', reason: true },
  { from: 'paused', action: 'resume', min: 'county_admin', reason: false },
  { from: 'active', action: 'retire', min: 'county_admin', reason: true },
  { from: 'paused', action: 'retire', min: 'county_admin', reason: true },
  { from: 'nominated', action: 'reject', min: 'county_admin', reason: true },
  { from: 'shortlisted', action: 'reject', min: 'city_admin', reason: true },
  { from: 'filed', action: 'reject', min: 'city_admin', reason: true },
];
const RANK = { city_admin: 3, county_admin: 2, township_admin: 1 };
const STEPS = ['nominated', 'shortlisted', 'filed', 'active'];

const vocabOpts = (vocab, kind) => (vocab[kind] || []).map((v) => ({ value: v.code, label: vocabName(kind, v.code) }));
const enumOpts = (kind, list) => list.map((v) => ({ value: v, label: enumName(kind, v) }));

// ---- list ---------------------------------------------------------------------

export async function list(view, ctx) {
  const q = ctx.query;
  const offset = Math.max(0, parseInt(q.offset, 10) || 0);
  const query = { limit: LIMIT, offset };
  for (const k of FILTERS) if (q[k]) query[k] = q[k];
  const [res, vocab] = await Promise.all([api.get('/mentors', query), getVocab(), getRegions()]);
  if (ctx.stale()) return;

  const filters = h(
    'form',
    { class: 'filters', role: 'search', novalidate: true },
    h(
      'div',
      { class: 'filter-search' },
      h('label', { class: 'sr-only', for: 'mentor-q' }, t('mentors.search')),
      h('input', { type: 'search', id: 'mentor-q', name: 'q', value: q.q || '', placeholder: t('mentors.search_placeholder'), autocomplete: 'off' }),
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')),
    ),
    h(
      'div',
      { class: 'filter-selects' },
      filterSelect('tier', t('mentor.tier'), enumOpts('tier', TIERS), q.tier),
      filterSelect('source', t('mentor.source'), vocabOpts(vocab, 'source'), q.source),
      filterSelect('team_type', t('mentor.team_type'), enumOpts('team_type', TEAMS), q.team_type),
      filterSelect('status', t('mentor.status'), enumOpts('status', STATUSES), q.status),
      filterSelect('domain', t('mentor.domains'), vocabOpts(vocab, 'domain'), q.domain),
      FILTERS.some((k) => q[k]) ? h('a', { class: 'btn btn-ghost', href: '#/mentors' }, t('common.clear')) : null,
    ),
  );
  const apply = () => {
    const v = readForm(filters);
    ctx.go(hashFor('mentors', Object.fromEntries(FILTERS.map((k) => [k, v[k]]))));
  };
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  for (const s of filters.querySelectorAll('select')) s.addEventListener('change', apply);

  const rows = res.items || [];
  const bulk = isAdmin(ctx.user) && rows.length ? bulkBar(ctx, rows) : null;
  const table = rows.length
    ? dataTable(
        [
          bulk ? { label: t('mentors.bulk_pick'), cls: 'pick', render: (m) => h('input', { type: 'checkbox', class: 'bulk-pick', value: m.id, 'aria-label': m.name }) } : null,
          { label: t('mentor.name'), render: (m) => m.name, link: true },
          { label: t('mentor.region'), cls: 'region-cell', render: (m) => regionLabel(m.region, m.region_name) },
          { label: t('mentor.tier'), render: (m) => enumName('tier', m.tier) },
          { label: t('mentor.source'), render: (m) => vocabName('source', m.source) },
          { label: t('mentor.team_type'), render: (m) => enumName('team_type', m.team_type) },
          { label: t('mentor.domains'), render: (m) => chips((m.domains || []).map((d) => vocabName('domain', d))), cls: 'wrap' },
          { label: t('mentor.status'), cls: 'status-cell', render: (m) => statusBadge(m.status) },
        ].filter(Boolean),
        rows,
        { rowHref: (m) => `#/mentors/${m.id}`, caption: t('mentors.title'), rowAttrs: (m) => ({ dataset: { region: m.region, id: m.id } }) },
      )
    : empty(t('mentors.none'));

  view.append(
    pageHeader(t('mentors.title'), {
      subtitle: t('mentors.total', { n: fmtNumber(res.total) }),
      actions: [
        isAdmin(ctx.user) || ctx.user.role === 'auditor' ? exportButtons('mentors', pick(q, FILTERS)) : null,
        isAdmin(ctx.user) ? buttonLink('#/mentors/new', t('mentors.nominate'), 'btn btn-primary') : null,
      ].filter(Boolean),
    }),
    filters,
    bulk,
    h('div', { class: 'results', dataset: { total: res.total } }, table),
    res.total > LIMIT ? pager({ total: res.total, limit: LIMIT, offset, href: (o) => hashFor('mentors', { ...pick(q, FILTERS), offset: o || undefined }) }) : null,
  );
}

// Bulk view (批量操作): tick mentors of the page, choose a pipeline step
// (with a reason where it needs one) and apply it to each in turn. The
// server judges every mentor on its own: one that may not take the step
// is listed with the server's reason and the others go ahead.
function bulkBar(ctx, rows) {
  const actions = [...new Set(PIPELINE.filter((p) => (RANK[ctx.user.role] || 0) >= RANK[p.min]).map((p) => p.action))];
  const needsReason = (a) => PIPELINE.some((p) => p.action === a && p.reason);
  const action = selectInput('action', actions.map((a) => ({ value: a, label: t(`action.${a}`) })), { value: actions[0] });
  action.id = 'bulk-action';
  const reason = textInput('reason', { maxlength: 1000 });
  reason.id = 'bulk-reason';
  const results = h('ul', { class: 'bulk-results', 'aria-live': 'polite' });
  const alert = h('div', { class: 'bulk-alert' });
  const picked = () => [...document.querySelectorAll('input.bulk-pick:checked')].map((x) => Number(x.value));
  const apply = h('button', { type: 'submit', class: 'btn btn-primary' }, t('mentors.bulk_apply'));
  const form = h(
    'form',
    { class: 'bulk-bar', novalidate: true, 'aria-label': t('mentors.bulk_title') },
    h('strong', null, t('mentors.bulk_title')),
    h('button', { type: 'button', class: 'btn btn-ghost bulk-all', on: { click: () => { for (const x of document.querySelectorAll('input.bulk-pick')) x.checked = true; } } }, t('mentors.bulk_all')),
    h('label', { class: 'inline-field', for: action.id }, h('span', null, t('mentors.bulk_action')), action),
    h('label', { class: 'inline-field', for: reason.id }, h('span', null, t('mentors.bulk_reason')), reason),
    apply,
    alert,
    results,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    results.replaceChildren();
    alert.replaceChildren();
    const ids = picked();
    if (!ids.length) {
      alert.append(notice(t('mentors.bulk_none'), 'danger'));
      return;
    }
    if (needsReason(action.value) && !reason.value.trim()) {
      alert.append(notice(t('mentor.reason_required'), 'danger'));
      reason.focus();
      return;
    }
    const body = { action: action.value };
    if (reason.value.trim()) body.reason = reason.value.trim();
    let ok = 0;
    await busy(apply, async () => {
      for (const id of ids) {
        const m = rows.find((r) => r.id === id);
        try {
          const after = await api.post(`/mentors/${id}/transitions`, body);
          ok++;
          const cell = document.querySelector(`tr[data-id="${id}"] td.status-cell`);
          if (cell) cell.replaceChildren(statusBadge(after.status));
          results.append(h('li', { class: 'bulk-ok', dataset: { id } }, `${m ? m.name : id}：${t(`status.${after.status}`)}`));
        } catch (err) {
          results.append(h('li', { class: 'bulk-refused', dataset: { id } }, `${m ? m.name : id}：${errorText(err)}`));
        }
      }
    });
    alert.append(notice(t('mentors.bulk_done', { ok: fmtNumber(ok), bad: fmtNumber(ids.length - ok) }), ok === ids.length ? 'info' : 'warn'));
  });
  return form;
}

function pick(obj, keys) {
  return Object.fromEntries(keys.filter((k) => obj[k]).map((k) => [k, obj[k]]));
}

function filterSelect(name, label, options, value) {
  const sel = selectInput(name, options, { value, empty: t('common.all') });
  sel.id = `filter-${name}`;
  return h('label', { class: 'inline-field', for: sel.id }, h('span', null, label), sel);
}

// ---- detail ------------------------------------------------------------------

export async function detail(view, ctx) {
  const id = ctx.params.id;
  const [m, hist] = await Promise.all([api.get(`/mentors/${encodeURIComponent(id)}`), api.get(`/mentors/${encodeURIComponent(id)}/transitions`), getVocab(), getRegions()]);
  if (ctx.stale()) return;
  const history = hist.items || [];

  const info = card(
    t('mentor.basic'),
    facts([
      [t('mentor.gender'), m.gender],
      [t('mentor.birth_year'), m.birth_year],
      [t('mentor.phone'), m.phone],
      [t('mentor.id_number'), m.id_number],
      [t('mentor.region'), regionLabel(m.region, m.region_name)],
      [t('mentor.tier'), enumName('tier', m.tier)],
      [t('mentor.source'), vocabName('source', m.source)],
      [t('mentor.team_type'), enumName('team_type', m.team_type)],
      [t('mentor.capacity'), m.capacity != null ? t('mentor.capacity_n', { n: m.capacity }) : null],
      [t('mentor.letter_no'), m.letter_no],
      [t('mentor.appointed_on'), m.appointed_on ? fmtDate(m.appointed_on) : null],
      [t('mentor.from_mentee'), m.from_mentee ? h('a', { href: `#/mentees/${m.from_mentee}` }, t('mentor.from_mentee_link', { id: m.from_mentee })) : null],
    ]),
  );
  const scores = card(
    t('mentor.scores'),
    h(
      'div',
      { class: 'scores' },
      scoreBar(t('mentor.score_political'), m.score_political),
      scoreBar(t('mentor.score_professional'), m.score_professional),
      scoreBar(t('mentor.score_style'), m.score_style),
      scoreBar(t('mentor.score_reputation'), m.score_reputation),
    ),
    h('h3', { class: 'sub-title' }, t('mentor.domains')),
    chips((m.domains || []).map((d) => vocabName('domain', d))),
  );

  const pipeline = card(t('mentor.pipeline'), steps(m.status), actionsPanel(m, ctx), historyTable(history));

  const u = ctx.user;
  const own = u.role === 'mentor' && String(u.mentor) === String(m.id);
  const reader = u.role !== 'mentee' && (u.role !== 'mentor' || own);
  const letter = m.letter_no && reader
    ? h('a', { class: 'btn btn-small', id: 'letter-pdf', href: fileUrl(`/mentors/${m.id}/letter.pdf`), download: `letter-${m.letter_no}.pdf` }, t('mentor.letter_pdf'))
    : null;
  const lineage = reader ? h('a', { class: 'btn btn-ghost btn-small', id: 'lineage-link', href: `#/mentors/${m.id}/lineage` }, t('lineage.short')) : null;
  view.append(
    pageHeader(m.name, {
      subtitle: m.post || null,
      back: { href: '#/mentors', label: t('mentors.title') },
      actions: [lineage, letter, statusBadge(m.status)],
    }),
    h('div', { class: 'detail-grid' }, info, scores),
    pipeline,
  );
}

// The four steps to appointment, with where this mentor is.
function steps(status) {
  const at = STEPS.indexOf(status === 'paused' || status === 'retired' ? 'active' : status);
  return h(
    'ol',
    { class: 'steps', 'aria-label': t('mentor.pipeline') },
    STEPS.map((s, i) =>
      h('li', { class: [i < at ? 'done' : '', i === at ? 'current' : ''], 'aria-current': i === at ? 'step' : null }, t(`step.${s}`)),
    ),
    status === 'paused' || status === 'retired' || status === 'rejected' ? h('li', { class: 'current off' }, enumName('status', status)) : null,
  );
}

function historyTable(history) {
  if (!history.length) return empty(t('mentor.no_history'));
  return dataTable(
    [
      { label: t('history.at'), render: (x) => fmtDateTime(x.at) },
      { label: t('history.action'), render: (x) => enumName('action', x.action) },
      { label: t('history.change'), render: (x) => `${x.from ? enumName('status', x.from) : '—'} → ${enumName('status', x.to)}` },
      { label: t('history.reason'), render: (x) => x.reason || '—', cls: 'wrap' },
      { label: t('history.user'), render: (x) => (x.user != null ? `#${x.user}` : t('history.system')) },
    ],
    [...history].reverse(),
    { caption: t('mentor.history') },
  );
}

// The next steps this caller may take, as buttons; each opens a small form
// (with the reason where the step needs one) and posts the transition.
function actionsPanel(m, ctx) {
  if (!isAdmin(ctx.user)) return null;
  const mine = PIPELINE.filter((p) => p.from === m.status && (RANK[ctx.user.role] || 0) >= RANK[p.min]);
  if (!mine.length) return h('p', { class: 'muted' }, t('mentor.no_actions'));
  const slot = h('div', { class: 'action-form-slot' });
  const buttons = mine.map((p) =>
    h(
      'button',
      {
        type: 'button',
        class: ['btn', p.action === 'reject' || p.action === 'retire' ? 'btn-danger' : p.action === 'pause' ? '' : 'btn-primary'],
        dataset: { action: p.action },
        on: { click: () => openForm(p) },
      },
      t(`action.${p.action}`),
    ),
  );
  function openForm(p) {
    slot.replaceChildren();
    const submit = h('button', { type: 'submit', class: ['btn', p.action === 'reject' || p.action === 'retire' ? 'btn-danger' : 'btn-primary'] }, t('mentor.confirm_action', { action: t(`action.${p.action}`) }));
    const form = h(
      'form',
      { class: 'form action-form', novalidate: true, dataset: { action: p.action } },
      formAlert(),
      h('p', null, t('mentor.action_explain', { action: t(`action.${p.action}`), name: m.name })),
      field('reason', p.reason ? t('mentor.reason_required') : t('mentor.reason_optional'), textArea('reason', { rows: 3, maxlength: 1000 }), { required: p.reason, wide: true }),
      h('div', { class: 'form-buttons' }, submit, h('button', { type: 'button', class: 'btn btn-ghost', on: { click: () => slot.replaceChildren() } }, t('common.cancel'))),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormErrors(form);
      const body = { action: p.action };
      const reason = form.elements.reason.value.trim();
      if (reason) body.reason = reason;
      await busy(submit, async () => {
        try {
          await api.post(`/mentors/${m.id}/transitions`, body);
          ctx.replace(location.hash); // draw the mentor again, with its new status
        } catch (err) {
          showFormError(form, err);
        }
      });
    });
    slot.append(form);
    form.elements.reason.focus();
  }
  return h('div', { class: 'pipeline-actions' }, h('div', { class: 'action-buttons' }, buttons), slot);
}

// ---- nominate ------------------------------------------------------------------

export async function nominate(view, ctx) {
  const [vocab, regions] = await Promise.all([getVocab(), getRegions()]);
  if (ctx.stale()) return;
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('mentors.nominate_submit'));
  const num = (name, min, max) => textInput(name, { type: 'text', inputmode: 'numeric', min, max });
  const defaultTier = ctx.user.role === 'city_admin' ? 'county' : ctx.user.role === 'county_admin' ? 'county' : 'township';
  const form = h(
    'form',
    { class: 'form form-grid', novalidate: true, id: 'nominate-form' },
    formAlert(),
    h('fieldset', null, h('legend', null, t('mentor.basic')),
      h('div', { class: 'fields' },
        field('name', t('mentor.name'), textInput('name', { maxlength: 40, autocomplete: 'off' }), { required: true }),
        field('gender', t('mentor.gender'), selectInput('gender', [{ value: '男', label: t('gender.male') }, { value: '女', label: t('gender.female') }], { empty: '—' })),
        field('birth_year', t('mentor.birth_year'), num('birth_year', 1900, 2100)),
        field('phone', t('mentor.phone'), textInput('phone', { type: 'tel', inputmode: 'tel', autocomplete: 'off' }), { hint: t('mentor.phone_hint') }),
        field('id_number', t('mentor.id_number'), textInput('id_number', { autocomplete: 'off' })),
        field('post', t('mentor.post'), textInput('post', { maxlength: 60 }), { wide: true }),
      )),
    h('fieldset', null, h('legend', null, t('mentor.library')),
      h('div', { class: 'fields' },
        field('region', t('mentor.region'), selectInput('region', regionOptions(regions, { minLevel: 1, maxLevel: 3 }), { empty: t('common.choose') }), { required: true }),
        field('tier', t('mentor.tier'), selectInput('tier', enumOpts('tier', TIERS), { value: defaultTier }), { required: true }),
        field('source', t('mentor.source'), selectInput('source', vocabOpts(vocab, 'source'), { empty: t('common.choose') }), { required: true }),
        field('team_type', t('mentor.team_type'), selectInput('team_type', enumOpts('team_type', TEAMS), { empty: t('common.choose') }), { required: true }),
        field('capacity', t('mentor.capacity'), num('capacity', 1, 50), { hint: t('mentor.capacity_hint') }),
      )),
    h('fieldset', null, h('legend', null, t('mentor.scores')),
      h('div', { class: 'fields fields-4' },
        field('score_political', t('mentor.score_political'), num('score_political', 0, 100)),
        field('score_professional', t('mentor.score_professional'), num('score_professional', 0, 100)),
        field('score_style', t('mentor.score_style'), num('score_style', 0, 100)),
        field('score_reputation', t('mentor.score_reputation'), num('score_reputation', 0, 100)),
      )),
    h('fieldset', null, h('legend', null, t('mentor.domains')),
      field('domains', t('mentor.domains_pick'), checkGroup('domains', vocabOpts(vocab, 'domain')), { wide: true })),
    h('div', { class: 'form-buttons' }, submit, h('a', { class: 'btn btn-ghost', href: '#/mentors' }, t('common.cancel'))),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const body = toBody(readForm(form), { ints: ['birth_year', 'capacity', 'score_political', 'score_professional', 'score_style', 'score_reputation'] });
    await busy(submit, async () => {
      try {
        const made = await api.post('/mentors', body);
        ctx.go(`#/mentors/${made.id}`);
      } catch (err) {
        showFormError(form, err); // what was typed stays in the form
      }
    });
  });
  view.append(
    pageHeader(t('mentors.nominate'), { back: { href: '#/mentors', label: t('mentors.title') }, subtitle: t('mentors.nominate_explain') }),
    notice(t('mentors.nominate_note'), 'info'),
    card(null, form),
  );
  form.elements.name.focus();
}
