// pages/pairings.js — pairings (结对): the list, one pairing's page and the
// due list (待办). The pairing page: members, status with its next steps
// (the ceremony among them), the yearly plan with its duty and task lists
// (admins generate, edit and approve it; members report their items
// done), activities (a mentor records them), work logs (members write
// them and edit their own within the editing window) and evaluations
// (admins record them). GET/POST /pairings/{id}/..., POST /activities,
// PATCH /logs/{id}, PATCH|POST /plans/{id}[/approve], PATCH /plan-items/{id},
// GET /due.

import { h } from '../dom.js';
import { api, clearFormErrors, showFormError, errorText, fileUrl } from '../api.js';
import { t, has, fmtNumber, fmtDate, fmtDateTime } from '../i18n.js';
import { getRegions, regionLabel, isAdmin } from '../store.js';
import {
  pageHeader, card, badge, dataTable, empty, facts, pager, field, textInput, textArea, busy, formAlert, selectInput,
  readForm, toBody, notice, exportButtons,
} from '../widgets.js';
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
    pageHeader(t('pairings.title'), {
      subtitle: t('pairings.total', { n: fmtNumber(res.total) }),
      actions: isAdmin(ctx.user) || ctx.user.role === 'auditor' ? [exportButtons('pairings', { status: q.status })] : [],
    }),
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
  const [p, hist, plans, acts, logs, evals, settings] = await Promise.all([
    api.get(`/pairings/${id}`), sub('transitions'), sub('plans'), sub('activities'), sub('logs'), sub('evaluations'),
    api.get('/life/settings').catch(() => ({})), getRegions(),
  ]);
  if (ctx.stale()) return;
  const u = ctx.user;
  const admin = isAdmin(u);
  const office = admin || u.role === 'auditor';
  const members = p.members || [];
  const mySide = u.role === 'mentor' && (p.mentors || []).includes(u.mentor) ? 'mentor'
    : u.role === 'mentee' && (p.mentees || []).includes(u.mentee) ? 'mentee' : null;
  const open = !['completed', 'dissolved'].includes(p.status);
  const reload = () => ctx.replace(location.hash);
  const env = { p, ctx, admin, mySide, open, reload, settings };
  const memberLink = (m) => (office ? h('a', { href: `#/${m.side}s/${m.id}` }, m.name) : m.name);
  const memberMore = (m) => {
    if (m.side === 'mentee' && (office || (u.role === 'mentee' && u.mentee === m.id))) return h('a', { class: 'archive-link', href: `#/mentees/${m.id}/archive` }, t('archive.short'));
    if (m.side === 'mentor' && (office || (u.role === 'mentor' && u.mentor === m.id))) return h('a', { class: 'lineage-link', href: `#/mentors/${m.id}/lineage` }, t('lineage.short'));
    return '—';
  };
  const agreement = p.ceremony || ['ceremony', 'active', 'completed'].includes(p.status)
    ? h('a', { class: 'btn btn-ghost btn-small', id: 'agreement-pdf', href: fileUrl(`/pairings/${p.id}/agreement.pdf`), download: `agreement-${p.id}.pdf` }, t('pairing.agreement_pdf'))
    : null;

  // On a phone the forms are far down the page: a member gets shortcuts
  // that open them and scroll there.
  const jump = (opener, formId, label) => h('button', { type: 'button', class: 'btn btn-small btn-primary', dataset: { jump: formId }, on: { click: () => {
    const b = document.getElementById(opener);
    if (!b) return;
    if (!document.getElementById(formId)) b.click();
    (document.getElementById(formId) || b).scrollIntoView({ block: 'start' });
  } } }, label);
  const shortcuts = mySide && open
    ? [mySide === 'mentor' ? jump('activity-new', 'activity-form', t('activity.record')) : null, jump('log-new', 'log-form', t('log.write'))]
    : [];
  view.append(
    pageHeader(t('pairing.title', { id: p.id }), {
      subtitle: `${p.mode} · ${t(`pairing.origin_${p.origin}`)} · ${regionLabel(p.region)}`,
      back: { href: '#/pairings', label: t('pairings.title') },
      actions: [...shortcuts, agreement, h('span', { class: 'pairing-status', dataset: { status: p.status } }, pairBadge(p.status))],
    }),
    h('div', { class: 'detail-grid' },
      card(t('pairing.members'),
        dataTable(
          [
            { label: t('pairing.side'), render: (m) => t(`pairing.side_${m.side}`) },
            { label: t('pairing.name'), render: (m) => memberLink(m) },
            { label: t('pairing.since'), render: (m) => (m.since ? fmtDate(m.since) : '—') },
            { label: t('pairing.until'), render: (m) => (m.until ? fmtDate(m.until) : '—') },
            { label: t('pairing.more'), render: memberMore },
          ],
          members,
          { caption: t('pairing.members'), rowAttrs: (m) => ({ class: 'member', dataset: { side: m.side, id: m.id } }) },
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
    plansCard(plans, env),
    activitiesCard(acts, env),
    logsCard(logs, env),
    evaluationsCard(evals, env),
  );
}

// ---- shared form plumbing ------------------------------------------------------

const today = () => new Date().toISOString().slice(0, 10);

// A form that posts its values and reloads the page on success; on a
// failure the server's message goes next to its field and nothing typed
// is lost. send(body) makes the request; ints name the number fields.
function lifeForm({ id, cls, fields, submitLabel, send, ints = [], onCancel, reload }) {
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, submitLabel);
  const form = h('form', { id, class: ['form', 'life-form', cls], novalidate: true }, formAlert(),
    h('div', { class: 'fields' }, fields),
    h('div', { class: 'form-buttons' }, submit,
      onCancel ? h('button', { type: 'button', class: 'btn btn-ghost', on: { click: onCancel } }, t('common.cancel')) : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const body = toBody(readForm(form), { ints });
    await busy(submit, async () => {
      try {
        await send(body);
        reload();
      } catch (err) {
        showFormError(form, err);
      }
    });
  });
  return form;
}

// A button that shows `make()`'s form in `slot` (and hides it again).
function opener(label, idName, slot, make) {
  return h('button', { type: 'button', class: 'btn', id: idName, on: { click: () => {
    if (slot.firstChild) return slot.replaceChildren();
    const f = make(() => slot.replaceChildren());
    slot.replaceChildren(f);
    const first = f.querySelector('input, select, textarea');
    if (first) first.focus();
  } } }, label);
}

// ---- plans ------------------------------------------------------------------------

function plansCard(plans, env) {
  const { p, admin, reload } = env;
  const slot = h('div', { class: 'form-slot' });
  const tools = [];
  const year = new Date().getUTCFullYear();
  if (admin && env.open && !plans.some((x) => x.year === year)) {
    tools.push(opener(t('plan.generate'), 'plan-generate', slot, (cancel) => lifeForm({
      id: 'plan-generate-form',
      fields: [field('year', t('plan.year'), textInput('year', { type: 'number', value: String(year), min: 2000, max: 2100 }), { required: true })],
      submitLabel: t('plan.generate'),
      ints: ['year'],
      send: (body) => api.post(`/pairings/${p.id}/plans`, body),
      onCancel: cancel,
      reload,
    })));
  }
  return card(t('pairing.plans'),
    tools.length ? h('div', { class: 'action-buttons' }, tools) : null, slot,
    plans.length ? plans.map((plan) => planView(plan, env)) : empty(t('pairing.none_plans')));
}

function planView(plan, env) {
  const { admin, reload, mySide } = env;
  const items = plan.items || [];
  const draft = plan.status === 'draft';
  const slot = h('div', { class: 'form-slot' });
  const msg = h('div', { class: 'plan-message', 'aria-live': 'polite' });
  const tools = [];
  if (admin && draft) {
    tools.push(opener(t('plan.edit'), `plan-edit-${plan.id}`, slot, (cancel) => planEditor(plan, cancel, reload)));
    const approve = h('button', { type: 'button', class: 'btn btn-primary', id: `plan-approve-${plan.id}` }, t('plan.approve'));
    approve.addEventListener('click', () => busy(approve, async () => {
      try {
        await api.post(`/plans/${plan.id}/approve`);
        reload();
      } catch (err) {
        msg.replaceChildren(notice(errorText(err), 'danger'));
      }
    }));
    tools.push(approve);
  }
  // A member reports its own list's items done; an admin any item.
  const mayReport = (i) => !draft && env.open && i.status !== 'done' && (admin || i.side === mySide);
  const markDone = (i) => h('button', { type: 'button', class: 'btn btn-small', dataset: { item: i.id }, on: { click: (e) => busy(e.currentTarget, async () => {
    try {
      await api.patch(`/plan-items/${i.id}`, { status: 'done', completed_on: today() });
      reload();
    } catch (err) {
      msg.replaceChildren(notice(errorText(err), 'danger'));
    }
  }) } }, t('plan.mark_done'));
  return h('div', { class: 'plan', dataset: { id: plan.id, status: plan.status } },
    h('h3', { class: 'sub-title' }, t('pairing.plan_head', { year: plan.year, done: plan.items_done ?? 0, total: plan.items_total ?? items.length }), ' ',
      badge(t(`plan.status_${plan.status === 'approved' ? 'approved' : 'draft'}`), plan.status === 'approved' ? 'ok' : 'warn')),
    tools.length ? h('div', { class: 'action-buttons' }, tools) : null, msg, slot,
    ['duty', 'task'].map((list) => {
      const rows = items.filter((i) => (i.list || (i.side === 'mentor' ? 'duty' : 'task')) === list);
      if (!rows.length) return null;
      return h('div', { class: 'plan-list', dataset: { list } },
        h('h4', { class: 'list-title' }, t(`pairing.list_${list}`)),
        dataTable(
          [
            { label: t('pairing.item'), render: (i) => i.title, cls: 'wrap' },
            { label: t('pairing.due'), render: (i) => (i.due ? fmtDate(i.due) : '—') },
            { label: t('pairing.done'), render: (i) => (i.status === 'done' ? `✓ ${i.completed_on ? fmtDate(i.completed_on) : ''}` : mayReport(i) ? markDone(i) : '—') },
          ],
          rows,
          { caption: t(`pairing.list_${list}`), rowAttrs: (i) => ({ class: 'plan-item', dataset: { id: i.id, status: i.status } }) },
        ));
    }));
}

// The draft's items as editable rows: side, title, due; rows can be added
// and removed. PATCH /plans/{id} replaces the whole list.
function planEditor(plan, cancel, reload) {
  const rowsBox = h('div', { class: 'plan-rows' });
  const addRow = (it = {}) => {
    const n = rowsBox.children.length;
    const row = h('div', { class: 'plan-row', dataset: { n } },
      field(`items[${n}].side`, t('pairing.list'), selectInput('side', ['mentor', 'mentee'].map((v) => ({ value: v, label: t(`pairing.list_${v === 'mentor' ? 'duty' : 'task'}`) })), { value: it.side || 'mentor' })),
      field(`items[${n}].title`, t('pairing.item'), textInput('title', { value: it.title || '', maxlength: 80 }), { required: true, wide: true }),
      field(`items[${n}].due`, t('pairing.due'), textInput('due', { type: 'date', value: it.due || '' }), { required: true }),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small remove-row', on: { click: () => row.remove() } }, t('plan.remove_item')));
    rowsBox.append(row);
  };
  for (const it of plan.items || []) addRow(it);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('plan.save'));
  const form = h('form', { class: 'form plan-form', id: `plan-form-${plan.id}`, novalidate: true }, formAlert(), rowsBox,
    h('div', { class: 'form-buttons' },
      h('button', { type: 'button', class: 'btn', id: 'plan-add-item', on: { click: () => addRow() } }, t('plan.add_item')),
      submit, h('button', { type: 'button', class: 'btn btn-ghost', on: { click: cancel } }, t('common.cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    // Renumber, so that the server's "items[3].due" finds the fourth row.
    const rows = [...rowsBox.querySelectorAll('.plan-row')];
    rows.forEach((r, n) => {
      for (const f of r.querySelectorAll('.field')) f.dataset.field = f.dataset.field.replace(/^items\[\d+\]/, `items[${n}]`);
    });
    const items = rows.map((r) => {
      const o = { side: r.querySelector('[name=side]').value, title: r.querySelector('[name=title]').value.trim() };
      const due = r.querySelector('[name=due]').value;
      if (due) o.due = due;
      return o;
    });
    await busy(submit, async () => {
      try {
        await api.patch(`/plans/${plan.id}`, { items });
        reload();
      } catch (err) {
        showFormError(form, err);
      }
    });
  });
  return form;
}

// ---- activities ---------------------------------------------------------------------

function activitiesCard(acts, env) {
  const { p, admin, mySide, reload, settings } = env;
  const slot = h('div', { class: 'form-slot' });
  const types = settings.activity_types || [];
  const may = env.open && (admin || mySide === 'mentor');
  const button = may
    ? opener(t('activity.record'), 'activity-new', slot, (cancel) => lifeForm({
        id: 'activity-form',
        fields: [
          field('type', t('pairing.activity_type'), selectInput('type', types.map((x) => ({ value: x.code, label: activityTypeName(x) })), { empty: t('common.choose') }), { required: true }),
          field('date', t('pairing.date'), textInput('date', { type: 'date', value: today() }), { required: true }),
          field('title', t('activity.title'), textInput('title', { maxlength: 80 }), { required: true, wide: true }),
          field('place', t('pairing.place'), textInput('place', { maxlength: 40 })),
          field('trained', t('activity.trained'), textInput('trained', { type: 'number', min: 0, inputmode: 'numeric' }), { hint: t('activity.trained_hint') }),
          field('participants', t('activity.participants'), textInput('participants', { maxlength: 1000 }), { wide: true, hint: t('activity.participants_hint') }),
          field('summary', t('activity.summary'), textArea('summary', { rows: 3, maxlength: 1000 }), { wide: true }),
        ],
        submitLabel: t('activity.save'),
        ints: ['trained'],
        send: (body) => api.post('/activities', { ...body, pairings: [p.id] }),
        onCancel: cancel,
        reload,
      }))
    : null;
  return card(t('pairing.activities'),
    button ? h('div', { class: 'action-buttons' }, button) : null, slot,
    acts.length
      ? dataTable(
          [
            { label: t('pairing.date'), render: (a) => fmtDate(a.date) },
            { label: t('pairing.activity_type'), render: (a) => activityTypeName({ code: a.type, name: a.type_name }) },
            { label: t('pairing.activity_title'), render: (a) => [h('strong', null, a.title), a.summary ? h('p', { class: 'muted' }, a.summary) : null], cls: 'wrap' },
            { label: t('pairing.place'), render: (a) => a.place || '—' },
            { label: t('activity.people'), render: (a) => [a.trained ? t('activity.trained_n', { n: a.trained }) : null, a.participants ? h('span', { class: 'muted' }, ` ${a.participants}`) : null].filter(Boolean) },
          ],
          acts,
          { caption: t('pairing.activities'), rowAttrs: (a) => ({ class: 'activity', dataset: { id: a.id, type: a.type } }) },
        )
      : empty(t('pairing.none_activities')));
}

const activityTypeName = (x) => (has(`activity.type.${x.code}`) ? t(`activity.type.${x.code}`) : x.name || x.code);

// ---- logs ----------------------------------------------------------------------------

function logsCard(logs, env) {
  const { p, ctx, mySide, reload, settings } = env;
  const slot = h('div', { class: 'form-slot' });
  const days = Number(((settings.items || []).find((x) => x.code === 'log_edit_days') || {}).value) || 7;
  const me = mySide === 'mentor' ? ctx.user.mentor : mySide === 'mentee' ? ctx.user.mentee : null;
  const logForm = (id, l, cancel) => lifeForm({
    id,
    fields: [
      field('date', t('pairing.date'), textInput('date', { type: 'date', value: l ? l.date : today() }), { required: true }),
      field('content', t('pairing.content'), textArea('content', { rows: 4, maxlength: 1000, value: l ? l.content : '' }), { required: true, wide: true }),
    ],
    submitLabel: t('log.save'),
    send: (body) => (l ? api.patch(`/logs/${l.id}`, body) : api.post(`/pairings/${p.id}/logs`, body)),
    onCancel: cancel,
    reload,
  });
  const editable = (l) => {
    if (!me || l.side !== mySide || l.author !== me) return false;
    const written = Date.parse(`${String(l.created_at).slice(0, 10)}T00:00:00Z`);
    const now = Date.parse(`${today()}T00:00:00Z`);
    return (now - written) / 86400000 <= days;
  };
  const button = mySide && env.open ? opener(t('log.write'), 'log-new', slot, (cancel) => logForm('log-form', null, cancel)) : null;
  return card(t('pairing.logs'),
    button ? h('div', { class: 'action-buttons' }, button, h('span', { class: 'muted' }, t('log.edit_window', { n: days }))) : null, slot,
    logs.length
      ? dataTable(
          [
            { label: t('pairing.date'), render: (l) => fmtDate(l.date) },
            { label: t('pairing.author'), render: (l) => `${l.author_name || ''} (${t(`pairing.side_${l.side}`)})` },
            { label: t('pairing.content'), render: (l) => h('span', { class: 'log-content' }, l.content), cls: 'wrap' },
            { label: t('pairing.actions'), render: (l) => (editable(l)
              ? h('button', { type: 'button', class: 'btn btn-small log-edit', dataset: { id: l.id }, on: { click: () => {
                slot.replaceChildren(logForm(`log-edit-form`, l, () => slot.replaceChildren()));
                slot.scrollIntoView({ block: 'nearest' });
              } } }, t('log.edit'))
              : '—') },
          ],
          logs,
          { caption: t('pairing.logs'), rowAttrs: (l) => ({ class: 'log', dataset: { id: l.id, side: l.side } }) },
        )
      : empty(t('pairing.none_logs')));
}

// ---- evaluations ---------------------------------------------------------------------

function evaluationsCard(evals, env) {
  const { p, admin, reload, settings } = env;
  const slot = h('div', { class: 'form-slot' });
  const kinds = settings.evaluation_kinds || [];
  const grades = settings.grades || [];
  const button = admin && ['active', 'completed'].includes(p.status)
    ? opener(t('evaluation.record'), 'evaluation-new', slot, (cancel) => lifeForm({
        id: 'evaluation-form',
        fields: [
          field('kind', t('pairing.eval_kind'), selectInput('kind', kinds.map((k) => ({ value: k.code, label: has(`evaluation.kind.${k.code}`) ? t(`evaluation.kind.${k.code}`) : k.name })), { empty: t('common.choose') }), { required: true }),
          field('period', t('pairing.period'), textInput('period', { maxlength: 20, placeholder: t('evaluation.period_hint') }), { required: true }),
          field('date', t('pairing.date'), textInput('date', { type: 'date', value: today() })),
          field('score', t('pairing.score'), textInput('score', { type: 'number', min: 0, max: 100, inputmode: 'numeric' }), { required: true }),
          field('grade', t('pairing.grade'), selectInput('grade', grades.map((g) => ({ value: g.code, label: g.name })), { empty: t('evaluation.grade_auto') })),
          field('comment', t('pairing.comment'), textArea('comment', { rows: 3, maxlength: 1000 }), { wide: true }),
        ],
        submitLabel: t('evaluation.save'),
        ints: ['score'],
        send: (body) => api.post(`/pairings/${p.id}/evaluations`, body),
        onCancel: cancel,
        reload,
      }))
    : null;
  return card(t('pairing.evaluations'),
    button ? h('div', { class: 'action-buttons' }, button) : null, slot,
    evals.length
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
          { caption: t('pairing.evaluations'), rowAttrs: (e) => ({ class: 'evaluation', dataset: { id: e.id } }) },
        )
      : empty(t('pairing.none_evaluations')));
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
  const admin = isAdmin(ctx.user);
  const allowed = admin || ctx.user.role === 'mentor' || ctx.user.role === 'mentee';
  // Each side confirms once: an admin names the side, a member confirms its own.
  const unconfirmed = ['mentor', 'mentee'].filter((sd) => !p[`${sd}_confirmed`]);
  const own = ctx.user.role === 'mentor' || ctx.user.role === 'mentee' ? ctx.user.role : null;
  // Members only confirm; every other step is an admin's (the server's rule).
  const next = ((allowed && NEXT[p.status]) || []).filter((a) => (a === 'confirm' ? (admin ? unconfirmed.length : unconfirmed.includes(own)) : admin));
  if (!next.length) return h('p', { class: 'muted' }, t('pairing.no_actions'));
  const slot = h('div', { class: 'action-form-slot' });
  const open = (action) => {
    const submit = h('button', { type: 'submit', class: ['btn', action === 'dissolve' ? 'btn-danger' : 'btn-primary'] }, t(`pairing.action_${action}`));
    const extra = [];
    if (action === 'confirm' && admin) {
      extra.push(field('side', t('pairing.confirm_side'), selectInput('side', unconfirmed.map((sd) => ({ value: sd, label: t(`pairing.side_${sd}`) }))), { required: true }));
    }
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
      for (const k of ['side', 'date', 'place', 'reason']) if (form.elements[k] && form.elements[k].value.trim()) body[k] = form.elements[k].value.trim();
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

const DUE_LIMIT = 100;

export async function due(view, ctx) {
  const q = ctx.query;
  // A county's list runs to thousands of items: ask for one page, the
  // answer's total and overdue are over the whole list.
  const offset = Math.max(0, parseInt(q.offset, 10) || 0);
  const [res] = await Promise.all([api.get('/due', { region: q.region, date: q.date, limit: DUE_LIMIT, offset }), getRegions()]);
  if (ctx.stale()) return;
  const items = res.items || [];
  const total = res.total ?? items.length;
  const date = textInput('date', { type: 'date', value: res.date || q.date || '' });
  date.id = 'due-date';
  date.addEventListener('change', () => ctx.go(hashFor('due', { region: q.region, date: date.value || undefined })));
  const overdue = res.overdue ?? items.filter((i) => i.overdue_days > 0).length;
  view.append(
    pageHeader(t('due.title'), {
      subtitle: t('due.subtitle', { date: res.date ? fmtDate(res.date) : '', n: fmtNumber(total), overdue: fmtNumber(overdue), days: res.horizon_days ?? '' }),
      actions: [exportButtons('due', { region: q.region, date: q.date })],
    }),
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
    total > DUE_LIMIT ? pager({ total, limit: DUE_LIMIT, offset, href: (o) => hashFor('due', { region: q.region, date: q.date, offset: o || undefined }) }) : null,
  );
}
