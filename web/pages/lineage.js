// pages/lineage.js — who trained whom (传承): the mentor, who trained it
// when it was a mentee (up the generations), and its trainees, with those
// who became mentors carrying their own trainees (徒成师), as a tree of
// nested lists. GET /mentors/{id}/lineage.

import { h } from '../dom.js';
import { api } from '../api.js';
import { t, fmtDate } from '../i18n.js';
import { pageHeader, card, badge, empty } from '../widgets.js';

export async function render(view, ctx) {
  const id = encodeURIComponent(ctx.params.id);
  const l = await api.get(`/mentors/${id}/lineage`);
  if (ctx.stale()) return;
  const m = l.mentor || {};
  const office = ctx.user.role !== 'mentor';
  const ancestors = [...(l.ancestors || [])].sort((a, b) => a.generation - b.generation);
  view.append(
    pageHeader(t('lineage.title', { name: m.name || '' }), {
      subtitle: t('lineage.subtitle', { n: l.generations ?? 0 }),
      back: { href: `#/mentors/${m.id}`, label: m.name },
    }),
    card(t('lineage.up'), ancestors.length
      ? h('ol', { class: 'lineage-up' }, ancestors.map((a) => h('li', { class: 'ancestor', dataset: { generation: a.generation } },
          t('lineage.generation', { n: -a.generation }), ' · ',
          (a.trained_by || []).map((x, i) => [i ? '、' : '', h('a', { href: `#/mentors/${x.id}/lineage` }, x.name)]),
          ' → ', office ? h('a', { href: `#/mentees/${a.as_mentee}` }, t('lineage.as_mentee', { id: a.as_mentee })) : t('lineage.as_mentee', { id: a.as_mentee }))))
      : empty(m.from_mentee ? t('lineage.no_up') : t('lineage.not_graduate'))),
    card(t('lineage.down'),
      h('div', { class: 'lineage-tree' },
        h('p', { class: 'lineage-root' }, h('strong', null, m.name), ' ', badge(t(`status.${m.status}`), m.status === 'active' ? 'ok' : 'neutral')),
        (l.trainees || []).length ? tree(l.trainees, office) : empty(t('lineage.none')))),
  );
}

function tree(list, office) {
  return h('ul', { class: 'tree' }, list.map((x) => h('li', { class: 'trainee', dataset: { mentee: x.mentee, generation: x.generation } },
    h('span', { class: 'node' },
      office ? h('a', { href: `#/mentees/${x.mentee}` }, x.name) : x.name, ' ',
      h('span', { class: 'muted' }, `${fmtDate(x.since)} – ${x.until ? fmtDate(x.until) : t('lineage.now')}`), ' ',
      h('a', { class: 'muted', href: `#/pairings/${x.pairing}` }, `#${x.pairing}`),
      x.became_mentor ? [' ', badge(t('lineage.became_mentor'), 'ok'), ' ', h('a', { class: 'became-mentor', href: `#/mentors/${x.became_mentor.id}/lineage` }, t('lineage.their_lineage', { name: x.became_mentor.name }))] : null),
    x.became_mentor && (x.became_mentor.trainees || []).length ? tree(x.became_mentor.trainees, office) : null)));
}
