// pages/archive.js — a mentee's growth archive (一人一册): everything its
// pairings did, as the server assembles it, with the printable page and
// the A4 PDF. GET /mentees/{id}/archive, .../archive.html, .../archive.pdf.

import { h } from '../dom.js';
import { api, fileUrl } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { pageHeader, card, badge, dataTable, empty, facts } from '../widgets.js';

export async function render(view, ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const a = await api.get(`/mentees/${id}/archive`);
  if (ctx.stale()) return;
  const m = a.mentee || {};
  const office = ctx.user.role !== 'mentee';
  const pdf = h('a', { class: 'btn btn-primary', id: 'archive-pdf', href: fileUrl(`/mentees/${id}/archive.pdf`), download: `archive-${m.id}.pdf` }, t('archive.pdf'));
  const print = h('a', { class: 'btn btn-ghost', id: 'archive-html', href: fileUrl(`/mentees/${id}/archive.html`), target: '_blank', rel: 'noopener' }, t('archive.print'));
  const pairings = a.pairings || [];
  view.append(
    pageHeader(t('archive.title', { name: m.name || '' }), {
      subtitle: t('archive.subtitle', { date: fmtDate(a.generated_on), n: pairings.length }),
      back: office ? { href: `#/mentees/${m.id}`, label: m.name } : null,
      actions: [print, pdf],
    }),
    card(t('archive.basic'), facts([
      [t('mentee.region'), m.region_name],
      [t('mentee.post'), m.post],
      [t('mentee.category'), m.category_name],
      [t('mentee.gender'), m.gender],
      [t('mentee.birth_year'), m.birth_year],
      [t('mentee.talent_team'), m.talent_team],
      [t('mentee.weaknesses'), (m.weaknesses || []).map((w) => w.name).join('、')],
      [t('mentee.status'), m.status_name],
    ])),
    pairings.length ? h('div', { class: 'archive-pairings' }, pairings.map(pairingSection)) : card(null, empty(t('archive.none'))),
  );
}

function pairingSection(p) {
  const plans = p.plans || [];
  const acts = p.activities || [];
  const logs = p.logs || [];
  const evals = p.evaluations || [];
  const count = (title, n) => h('h3', { class: 'sub-title' }, `${title} (${n})`);
  return h('section', { class: 'card archive-pairing', dataset: { pairing: p.id } },
    h('h2', { class: 'card-title' }, h('a', { href: `#/pairings/${p.id}` }, t('pairing.title', { id: p.id })), ' ', badge(p.status_name || p.status, p.status === 'active' ? 'ok' : 'neutral')),
    facts([
      [t('archive.mentors'), (p.mentors || []).map((x) => `${x.name}${x.post ? `（${x.post}）` : ''}`).join('、')],
      [t('pairing.ceremony'), p.ceremony_date ? `${fmtDate(p.ceremony_date)} ${p.ceremony_place || ''} ${p.letter_no || ''}` : null],
      [t('pairing.start_date'), p.start_date ? fmtDate(p.start_date) : null],
      [t('pairing.end_date'), p.end_date ? fmtDate(p.end_date) : null],
    ]),
    count(t('pairing.plans'), plans.length),
    plans.map((pl) => h('div', { class: 'plan' },
      h('h4', { class: 'list-title' }, t('archive.plan_year', { year: pl.year })),
      dataTable(
        [
          { label: t('pairing.list'), render: (i) => t(`pairing.list_${i.side === 'mentor' ? 'duty' : 'task'}`) },
          { label: t('pairing.item'), render: (i) => i.title, cls: 'wrap' },
          { label: t('pairing.due'), render: (i) => (i.due ? fmtDate(i.due) : '—') },
          { label: t('pairing.done'), render: (i) => (i.status === 'done' ? `✓ ${i.completed_on ? fmtDate(i.completed_on) : ''}` : '—') },
        ],
        pl.items || [],
        { caption: t('archive.plan_year', { year: pl.year }) },
      ))),
    count(t('pairing.activities'), acts.length),
    acts.length ? dataTable(
      [
        { label: t('pairing.date'), render: (x) => fmtDate(x.date) },
        { label: t('pairing.activity_type'), render: (x) => x.type_name || x.type },
        { label: t('pairing.activity_title'), render: (x) => x.title, cls: 'wrap' },
        { label: t('pairing.place'), render: (x) => x.place || '—' },
      ],
      acts,
      { caption: t('pairing.activities') },
    ) : empty(t('pairing.none_activities')),
    count(t('pairing.logs'), logs.length),
    logs.length ? dataTable(
      [
        { label: t('pairing.date'), render: (x) => fmtDate(x.date) },
        { label: t('pairing.author'), render: (x) => x.author },
        { label: t('pairing.content'), render: (x) => x.content, cls: 'wrap' },
      ],
      logs,
      { caption: t('pairing.logs') },
    ) : empty(t('pairing.none_logs')),
    count(t('pairing.evaluations'), evals.length),
    evals.length ? dataTable(
      [
        { label: t('pairing.eval_kind'), render: (x) => x.kind_name || x.kind },
        { label: t('pairing.period'), render: (x) => x.period },
        { label: t('pairing.score'), render: (x) => String(x.score) },
        { label: t('pairing.grade'), render: (x) => x.grade_name || '—' },
        { label: t('pairing.comment'), render: (x) => x.comment || '—', cls: 'wrap' },
      ],
      evals,
      { caption: t('pairing.evaluations') },
    ) : empty(t('pairing.none_evaluations')));
}
