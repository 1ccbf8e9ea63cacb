// pages/pairings.js — pairings (结对): the list, one pairing's page
// (members, status with its next steps, plans, activities, logs,
// evaluations, read-only) and the due list (待办). GET /pairings,
// GET /pairings/{id}[/transitions|plans|activities|logs|evaluations],
// POST /pairings/{id}/transitions, GET /due.

import { h } from '../dom.js';
import { api, clearFormErrors, showFormError } from '../api.js';
import { t, fmtNumber, fmtDate, fmtDateTime } from '../i18n.js';
import { getRegions, regionLabel, isAdmin } from '../store.js';
import { pageHeader, card, badge, dataTable, empty, facts, pager, field, textInput, textArea, busy, formAlert, selectInput } from '../widgets.js';
import { hashFor } from '../dom.js';

const LIMIT = 50;
const STATUSES = ['proposed', 'confirmed', 'ceremony', 'active', 'completed', 'dissolved'];
const TONE = { proposed: 'info', confirmed: 'info', ceremony: 'info', active: 'ok', completed: 'neutral', dissolved: 'danger' };
const pairBadge = (s) => badge(t(`pairing.status_${s}`), TONE[s] || 'neutral');

export async function list(view, ctx) {
  const q = ctx.query;
  const offset = Number(q.offset) || 0;
  const [res] = await Promise.all([api.get('/pairings', { status: q.status, limit: LIMIT, offset }), getRegions()]);
  if (ctx.stale()) return;
  const rows = res.items || [];
  const filter = selectInput('status', STATUSES.map((s) => ({ value: s, label: t(`pairing.status_${s}`) })), { value: q.status, empty: t('common.all') });
  filter.id = 'pairing-status';
  filter.addEventListener('change', () => ctx.go(hashFor('pairings', { status: filter.value || undefined })));
  view.append(
    pageHeader(t('pairings.title'), { subtitle: t('pairings.total', { n: fmtNumber(res.total) }) }),
    h('div', { class: 'filter-selects' }, h('label', { class: 'inline-field', for: 'pairing-status' }, h('span', null, t('pairing.status')), filter)),
    rows.length
      ? dataTable(
          [
            { label: t('pairing.no'), render: (p) => `#${p.id}` },
            { label: t('pairing.mode'), render: (p) => p.mode },
            { label: t('pairing.origin'), render: (p) => t(`pairing.origin_${p.origin}`) },
            { label: t('pairing.region'), render: (p) => regionLabel(p.region) },
            { label: t('pairing.size'), render: (p) => t('pairing.size_n', { mentors: (p.mentors || []).length, mentees: (p.mentees || []).length }) },
            { label: t('pairing.status'), render: (p) => pairBadge(p.status) },
          ],
          rows,
          { rowHref: (p) => `#/pairings/${p.id}`, caption: t('pairings.title'), rowAttrs: (p) => ({ dataset: { id: p.id, status: p.status } }) },
        )
      : empty(t('pairings.none')),
    res.total > LIMIT ? pager({ total: res.total, limit: LIMIT, offset, href: (o) => hashFor('pairings', { status: q.status, offset: o || undefined }) }) : null,
  );
}

// The steps each status may take next (the server checks again).
const NEXT = {
  proposed: ['confirm', 'dissolve'],
  confirmed: ['ceremony', 'dissolve'],
  ceremony: ['activate', 'dissolve'],
  active: ['complete', 'dissolve'],
};

export async function detail(view, ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const sub = (s) => api.get(`/pairings/${id}/${s}`).then((r) => r.items || []).catch(() => []);
  const [p, hist, plans, acts, logs, evals] = await Promise.all([
    api.get(`/pairings/${id}`), sub('transitions'), sub('plans'), sub('activities'), sub('logs'), sub('evaluations'), getRegions(),
  ]);
  if (ctx.stale()) return;
  const members = p.members || [];
  const memberLink = (m) => (isAdmin(ctx.user) || ctx.user.role === 'auditor' ? h('a', { href: `#/${m.side}s/${m.id}` }, m.name) : m.name);

  view.append(
    pageHeader(t('pairing.title', { id: p.id }), {
      subtitle: `${p.mode} · ${t(`pairing.origin_${p.origin}`)} · ${regionLabel(p.region)}`,
      back: { href: '#/pairings', label: t('pairings.title') },
      actions: [h('span', { class: 'pairing-status', dataset: { status: p.status } }, pairBadge(p.status))],
    }),
    h('div', { class: 'detail-grid' },
      card(t('pairing.members'),
        dataTable(
          [
            { label: t('pairing.side'), render: (m) => t(`pairing.side_${m.side}`) },
            { label: t('pairing.name'), render: (m) => memberLink(m) },
            { label: t('pairing.since'), render: (m) => (m.since ? fmtDate(m.since) : '—') },
            { label: t('pairing.until'), render: (m) => (m.until ? fmtDate(m.until) : '—') },
          ],
          members,
          { caption: t('pairing.members'), rowAttrs: (m) => ({ class: 'member', dataset: { side: m.side } }) },
        )),
      card(t('pairing.basic'), facts([
        [t('pairing.status'), pairBadge(p.status)],
        [t('pairing.confirmed'), `${t('pairing.side_mentor')} ${p.mentor_confirmed ? '✓' : '—'} · ${t('pairing.side_mentee')} ${p.mentee_confirmed ? '✓' : '—'}`],
        [t('pairing.ceremony'), p.ceremony ? `${fmtDate(p.ceremony.date)} ${p.ceremony.place || ''} ${p.ceremony.letter_no || ''}` : null],
        [t('pairing.start_date'), p.start_date ? fmtDate(p.start_date) : null],
        [t('pairing.end_date'), p.end_date ? fmtDate(p.end_date) : null],
        [t('pairing.reason'), p.reason || null],
      ]))),
    card(t('pairing.status_card'), actionsPanel(p, ctx), historyTable(hist)),
    card(t('pairing.plans'), plans.length ? plans.map(planView) : empty(t('pairing.none_plans'))),
    card(t('pairing.activities'), acts.length
      ? dataTable(
          [
            { label: t('pairing.date'), render: (a) => fmtDate(a.date) },
            { label: t('pairing.activity_type'), render: (a) => a.type_name || a.type },
            { label: t('pairing.activity_title'), render: (a) => a.title, cls: 'wrap' },
            { label: t('pairing.place'), render: (a) => a.place || '—' },
          ],
          acts,
          { caption: t('pairing.activities') },
        )
      : empty(t('pairing.none_activities'))),
    card(t('pairing.logs'), logs.length
      ? dataTable(
          [
            { label: t('pairing.date'), render: (l) => fmtDate(l.date) },
            { label: t('pairing.author'), render: (l) => `${l.author_name || ''} (${t(`pairing.side_${l.side}`)})` },
            { label: t('pairing.content'), render: (l) => l.content, cls: 'wrap' },
          ],
          logs,
          { caption: t('pairing.logs') },
        )
      : empty(t('pairing.none_logs'))),
    card(t('pairing.evaluations'), evals.length
      ? dataTable(
          [
            { label: t('pairing.eval_kind'), render: (e) => e.kind_name || e.kind },
            { label: t('pairing.period'), render: (e) => e.period },
            { label: t('pairing.date'), render: (e) => fmtDate(e.date) },
            { label: t('pairing.score'), render: (e) => String(e.score) },
            { label: t('pairing.grade'), render: (e) => e.grade_name || e.grade },
            { label: t('pairing.comment'), render: (e) => e.comment || '—', cls: 'wrap' },
          ],
          evals,
          { caption: t('pairing.evaluations') },
        )
      : empty(t('pairing.none_evaluations'))),
  );
}

function planView(plan) {
  const items = plan.items || [];
  return h('div', { class: 'plan', dataset: { id: plan.id } },
    h('h3', { class: 'sub-title' }, t('pairing.plan_head', { year: plan.year, done: plan.items_done ?? 0, total: plan.items_total ?? items.length }), ' ', badge(plan.status, plan.status === 'approved' ? 'ok' : 'neutral')),
    items.length
      ? dataTable(
          [
            { label: t('pairing.side'), render: (i) => t(`pairing.side_${i.side}`) },
            { label: t('pairing.list'), render: (i) => t(`pairing.list_${i.list === 'duty' ? 'duty' : 'task'}`) },
            { label: t('pairing.item'), render: (i) => i.title, cls: 'wrap' },
            { label: t('pairing.due'), render: (i) => (i.due ? fmtDate(i.due) : '—') },
            { label: t('pairing.done'), render: (i) => (i.done || i.done_at || i.status === 'done' ? '✓' : '—') },
          ],
          items,
          { caption: t('pairing.plans') },
        )
      : null);
}

function historyTable(hist) {
  if (!hist.length) return null;
  return dataTable(
    [
      { label: t('history.at'), render: (x) => fmtDateTime(x.at) },
      { label: t('history.action'), render: (x) => t(`pairing.action_${x.action}`) },
      { label: t('history.change'), render: (x) => `${x.from ? t(`pairing.status_${x.from}`) : '—'} → ${t(`pairing.status_${x.to}`)}` },
      { label: t('history.reason'), render: (x) => x.detail || '—', cls: 'wrap' },
    ],
    [...hist].reverse(),
    { caption: t('pairing.history') },
  );
}

function actionsPanel(p, ctx) {
  const allowed = isAdmin(ctx.user) || ctx.user.role === 'mentor' || ctx.user.role === 'mentee';
  const next = (allowed && NEXT[p.status]) || [];
  if (!next.length) return h('p', { class: 'muted' }, t('pairing.no_actions'));
  const slot = h('div', { class: 'action-form-slot' });
  const open = (action) => {
    const submit = h('button', { type: 'submit', class: ['btn', action === 'dissolve' ? 'btn-danger' : 'btn-primary'] }, t(`pairing.action_${action}`));
    const extra = [];
    if (action === 'ceremony') {
      extra.push(field('date', t('pairing.date'), textInput('date', { type: 'date' }), { required: true }));
      extra.push(field('place', t('pairing.place'), textInput('place', { maxlength: 100 }), { required: true }));
    }
    if (action === 'dissolve') extra.push(field('reason', t('pairing.reason'), textArea('reason', { rows: 2, maxlength: 500 }), { required: true, wide: true }));
    const form = h('form', { class: 'form action-form', novalidate: true, dataset: { action } }, formAlert(), extra,
      h('div', { class: 'form-buttons' }, submit, h('button', { type: 'button', class: 'btn btn-ghost', on: { click: () => slot.replaceChildren() } }, t('common.cancel'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormErrors(form);
      const body = { action };
      for (const k of ['date', 'place', 'reason']) if (form.elements[k] && form.elements[k].value.trim()) body[k] = form.elements[k].value.trim();
      await busy(submit, async () => {
        try {
          await api.post(`/pairings/${p.id}/transitions`, body);
          ctx.replace(location.hash);
        } catch (err) {
          showFormError(form, err);
        }
      });
    });
    slot.replaceChildren(form);
  };
  return h('div', { class: 'pipeline-actions' },
    h('div', { class: 'action-buttons' }, next.map((a) => h('button', { type: 'button', class: ['btn', a === 'dissolve' ? 'btn-danger' : 'btn-primary'], dataset: { action: a }, on: { click: () => open(a) } }, t(`pairing.action_${a}`)))),
    slot);
}

// ---- due list ---------------------------------------------------------------

export async function due(view, ctx) {
  const q = ctx.query;
  const [res] = await Promise.all([api.get('/due', { region: q.region, date: q.date }), getRegions()]);
  if (ctx.stale()) return;
  const items = res.items || [];
  const date = textInput('date', { type: 'date', value: res.date || q.date || '' });
  date.id = 'due-date';
  date.addEventListener('change', () => ctx.go(hashFor('due', { region: q.region, date: date.value || undefined })));
  const overdue = items.filter((i) => i.overdue_days > 0).length;
  view.append(
    pageHeader(t('due.title'), { subtitle: t('due.subtitle', { date: res.date ? fmtDate(res.date) : '', n: fmtNumber(items.length), overdue: fmtNumber(overdue), days: res.horizon_days ?? '' }) }),
    h('div', { class: 'filter-selects' }, h('label', { class: 'inline-field', for: 'due-date' }, h('span', null, t('due.date')), date)),
    items.length
      ? dataTable(
          [
            { label: t('due.due'), render: (i) => fmtDate(i.due) },
            { label: t('due.item'), render: (i) => i.title, cls: 'wrap' },
            { label: t('due.kind'), render: (i) => t(`due.kind_${['monthly', 'visit', 'task', 'duty', 'evaluation', 'quarterly'].includes(i.kind) ? i.kind : 'other'}`) },
            { label: t('due.pairing'), render: (i) => h('a', { href: `#/pairings/${i.pairing}` }, `#${i.pairing}`) },
            { label: t('due.region'), render: (i) => regionLabel(i.region) },
            { label: t('due.state'), render: (i) => (i.overdue_days > 0 ? badge(t('due.overdue', { n: i.overdue_days }), 'danger') : badge(t('due.in_days', { n: -i.overdue_days }), 'info')) },
          ],
          items,
          { caption: t('due.title'), rowAttrs: (i) => ({ class: ['due-item', i.overdue_days > 0 ? 'overdue' : ''], dataset: { code: i.code } }) },
        )
      : empty(t('due.none')),
  );
}
