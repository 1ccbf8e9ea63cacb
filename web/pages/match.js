// pages/match.js — the matching workbench (科学匹配) for admins: start a
// run (method, jurisdiction, weights), read the proposals with the score of
// each principle, lock or ban a pair with a reason, re-run, approve; the
// mentees left unmatched with the reason and alternatives.
// POST/GET /match/runs, GET /match/runs/{id}, POST .../approve|discard,
// GET/POST /match/rules, DELETE /match/rules/{id}.

import { h } from '../dom.js';
import { api, clearFormErrors, showFormError, errorText } from '../api.js';
import { t, fmtNumber, fmtDateTime } from '../i18n.js';
import { getRegions, regionOptions, userRegionCode, isAdmin } from '../store.js';
import { pageHeader, card, badge, dataTable, empty, notice, field, textInput, textArea, selectInput, busy, formAlert } from '../widgets.js';

const METHODS = ['auto', 'menu', 'team', 'groups'];
const PRINCIPLES = ['domain', 'convenience', 'strong_weak', 'voluntary', 'org'];
const DEFAULT_WEIGHTS = [0.35, 0.2, 0.2, 0.15, 0.1];
// The run's why{} names the fifth principle "organisation".
const whyKey = (p) => (p === 'org' ? 'organisation' : p);
const SCALE = 10000; // scores come in ten-thousandths

export async function workbench(view, ctx) {
  const runId = ctx.query.run;
  const [regions, run, rules] = await Promise.all([
    getRegions(),
    runId ? api.get(`/match/runs/${encodeURIComponent(runId)}`) : null,
    api.get('/match/rules').catch(() => ({ items: [] })),
  ]);
  if (ctx.stale()) return;
  const admin = isAdmin(ctx.user);

  view.append(
    pageHeader(t('match.title'), { subtitle: t('match.explain') }),
    admin ? card(t('match.start'), runForm(regions, run, ctx)) : null,
    run ? runView(run, ctx, admin) : await historyCard(ctx),
    rulesCard(rules.items || [], ctx, admin),
  );
}

function runForm(regions, run, ctx) {
  const p = (run && run.params) || {};
  const w = p.weights || DEFAULT_WEIGHTS;
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'run-start' }, t('match.run'));
  const num = (name, value) => {
    const el = textInput(name, { type: 'number', value: String(value), inputmode: 'decimal', min: 0, max: 100 });
    el.step = 'any';
    return el;
  };
  const form = h(
    'form',
    { class: 'form form-grid run-form', novalidate: true },
    formAlert(),
    h('div', { class: 'fields' },
      field('method', t('match.method'), selectInput('method', METHODS.map((m) => ({ value: m, label: t(`match.method_${m}`) })), { value: p.method || 'auto' }), { required: true }),
      field('region', t('match.region'), selectInput('region', regionOptions(regions, { minLevel: 1, maxLevel: 3 }), { value: (run && run.region) || userRegionCode(ctx.user) }), { required: true }),
      field('reach_km', t('match.reach_km'), num('reach_km', p.reach_km ?? 50)),
      field('seed', t('match.seed'), num('seed', p.seed ?? 1))),
    h('fieldset', { class: 'weights' }, h('legend', null, t('match.weights')),
      h('div', { class: 'fields fields-5' }, PRINCIPLES.map((k, i) => field(`weights.${k}`, t(`match.p_${k}`), num(`w_${k}`, w[i] ?? 0))))),
    h('div', { class: 'form-buttons' }, submit),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const el = form.elements;
    const body = {
      method: el.method.value,
      region: el.region.value,
      weights: Object.fromEntries(PRINCIPLES.map((k) => [k, Number(el[`w_${k}`].value)])),
      reach_km: Number(el.reach_km.value),
      seed: Math.trunc(Number(el.seed.value)),
    };
    await busy(submit, async () => {
      try {
        const made = await api.post('/match/runs', body);
        ctx.go(`#/match?run=${made.id}`);
      } catch (err) {
        if (err.field === 'weights') err.field = 'weights.domain';
        showFormError(form, err);
      }
    });
  });
  return form;
}

async function historyCard(ctx) {
  const res = await api.get('/match/runs');
  const runs = res.items || [];
  return card(
    t('match.history'),
    runs.length
      ? dataTable(
          [
            { label: t('match.run_no'), render: (r) => `#${r.id}` },
            { label: t('match.region'), render: (r) => r.region_name || r.region },
            { label: t('match.method'), render: (r) => t(`match.method_${r.method}`) },
            { label: t('match.matched'), render: (r) => `${fmtNumber(r.matched)} / ${fmtNumber(r.mentees)}` },
            { label: t('match.status'), render: (r) => runBadge(r.status) },
            { label: t('match.created'), render: (r) => fmtDateTime(r.created_at) },
          ],
          runs,
          { rowHref: (r) => `#/match?run=${r.id}`, caption: t('match.history') },
        )
      : empty(t('match.no_runs')),
  );
}

function runBadge(status) {
  const tone = status === 'approved' ? 'ok' : status === 'discarded' ? 'neutral' : 'info';
  return badge(t(`match.status_${status}`), tone);
}

function runView(run, ctx, admin) {
  const proposed = run.status === 'proposed';
  const msg = h('div', { class: 'run-message', 'aria-live': 'polite' });
  const slot = h('div', { class: 'rule-form-slot' });
  const tools = [];
  if (admin && proposed) {
    const rerun = h('button', { type: 'button', class: 'btn', id: 'run-rerun' }, t('match.rerun'));
    const approve = h('button', { type: 'button', class: 'btn btn-primary', id: 'run-approve' }, t('match.approve'));
    const discard = h('button', { type: 'button', class: 'btn btn-ghost', id: 'run-discard' }, t('match.discard'));
    rerun.addEventListener('click', () => busy(rerun, async () => {
      try {
        const p = run.params || {};
        const w = p.weights || DEFAULT_WEIGHTS;
        const made = await api.post('/match/runs', {
          method: run.method,
          region: run.region,
          weights: Object.fromEntries(PRINCIPLES.map((k, i) => [k, w[i] ?? 0])),
          reach_km: p.reach_km,
          seed: p.seed,
        }); // a full run again, now under the locks and bans in force
        // (the follow-up button starts a next round for the unmatched only)
        ctx.go(`#/match?run=${made.id}`);
      } catch (err) {
        msg.replaceChildren(notice(errorText(err), 'danger'));
      }
    }));
    approve.addEventListener('click', () => busy(approve, async () => {
      try {
        await api.post(`/match/runs/${run.id}/approve`);
        ctx.replace(`#/match?run=${run.id}&approved=1`);
      } catch (err) {
        msg.replaceChildren(notice(errorText(err), 'danger'));
      }
    }));
    discard.addEventListener('click', () => busy(discard, async () => {
      try {
        await api.post(`/match/runs/${run.id}/discard`);
        ctx.replace(`#/match?run=${run.id}`);
      } catch (err) {
        msg.replaceChildren(notice(errorText(err), 'danger'));
      }
    }));
    tools.push(rerun, discard, approve);
  }
  const un = run.unmatched || [];
  // A follow-up round (补充匹配) for the mentees this run left unmatched:
  // the parent run, a wider reach, and optionally mentors from the whole
  // jurisdiction. Open once the run has any unmatched and is not discarded.
  if (admin && un.length && run.status !== 'discarded') {
    const follow = h('button', { type: 'button', class: 'btn', id: 'run-followup' }, t('match.followup'));
    follow.addEventListener('click', () => {
      if (slot.firstChild) return slot.replaceChildren();
      slot.replaceChildren(followForm(run, un.length, ctx, () => slot.replaceChildren()));
    });
    tools.push(follow);
  }
  if (ctx.query.ruled) msg.append(notice(t('match.ruled_note'), 'ok'));
  if (ctx.query.approved) msg.append(notice(t('match.approved_note'), 'ok'), h('p', null, h('a', { href: '#/pairings', class: 'btn' }, t('match.to_pairings'))));

  const props = run.proposals || [];
  const table = props.length
    ? dataTable(
        [
          { label: t('match.mentee'), render: (p) => p.mentee_name },
          { label: t('match.mentor'), render: (p) => p.mentor_name },
          { label: t('match.score'), render: (p) => h('strong', { class: 'score-total' }, fmtScore(p.score)) },
          { label: t('match.why'), render: (p) => whyBars(p.why || {}), cls: 'wrap' },
          { label: t('match.flags'), render: (p) => [p.locked ? badge(t('match.locked'), 'ok') : null, p.team ? badge(t('match.team_n', { n: p.team }), 'neutral') : null] },
          admin && proposed ? { label: t('match.actions'), render: (p) => ruleButtons(p, slot, run, ctx) } : null,
        ].filter(Boolean),
        props,
        { caption: t('match.proposals'), rowAttrs: (p) => ({ class: 'proposal', dataset: { mentee: p.mentee, mentor: p.mentor } }) },
      )
    : empty(t('match.no_proposals'));

  const rounds = run.rounds || [];
  return h('div', { class: 'run-view', dataset: { run: run.id, status: run.status } },
    card(t('match.run_title', { id: run.id }),
      h('p', { class: 'run-summary' },
        runBadge(run.status), ' ',
        t('match.summary', { region: run.region_name || run.region, method: t(`match.method_${run.method}`), matched: fmtNumber(run.matched), mentees: fmtNumber(run.mentees), mentors: fmtNumber(run.mentors), round: run.round })),
      rounds.length ? h('p', { class: 'run-rounds' }, t('match.earlier_rounds'), ' ', rounds.map((r, i) => [i ? ' → ' : '', h('a', { href: `#/match?run=${r.id}`, dataset: { run: r.id } }, t('match.round_link', { id: r.id, round: r.round, matched: r.matched, mentees: r.mentees }))])) : null,
      h('div', { class: 'action-buttons' }, tools, h('a', { class: 'btn btn-ghost', href: '#/match' }, t('match.history'))),
      msg, slot),
    card(t('match.proposals_n', { n: props.length }), table),
    card(t('match.unmatched_n', { n: un.length }), un.length
      ? h('ul', { class: 'unmatched-list' }, un.map((u) => h('li', { class: 'unmatched', dataset: { mentee: u.mentee } },
          h('strong', null, u.mentee_name || `#${u.mentee}`), ' — ', u.reason || '—',
          (u.alternatives || []).length ? h('p', { class: 'muted' }, t('match.alternatives'), ' ', (u.alternatives || []).map((a) => (typeof a === 'object' ? `${a.mentor_name || a.name || `#${a.mentor || a.id}`}${a.score != null ? ` (${fmtScore(a.score)})` : ''}` : String(a))).join('、')) : null)))
      : empty(t('match.no_unmatched'))),
  );
}

function followForm(run, n, ctx, cancel) {
  const p = run.params || {};
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'followup-start' }, t('match.followup_start'));
  const reach = textInput('reach_km', { type: 'number', value: String(Math.min(5000, (p.reach_km || 50) * 2)), min: 0, max: 5000, inputmode: 'decimal' });
  const form = h('form', { class: 'form followup-form', novalidate: true }, formAlert(),
    h('p', null, t('match.followup_explain', { n })),
    h('div', { class: 'fields' },
      field('method', t('match.method'), selectInput('method', METHODS.map((m) => ({ value: m, label: t(`match.method_${m}`) })), { value: run.method === 'menu' ? 'auto' : run.method })),
      field('reach_km', t('match.reach_km'), reach),
      field('wider', t('match.wider'), h('div', { class: 'checks' }, h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'wider', checked: true }), h('span', null, t('match.wider_explain')))))),
    h('div', { class: 'form-buttons' }, submit, h('button', { type: 'button', class: 'btn btn-ghost', on: { click: cancel } }, t('common.cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const el = form.elements;
    const w = p.weights || DEFAULT_WEIGHTS;
    const body = {
      method: el.method.value,
      region: run.region,
      parent: run.id,
      reach_km: Number(el.reach_km.value),
      wider: el.wider.checked,
      weights: Object.fromEntries(PRINCIPLES.map((k, i) => [k, w[i] ?? 0])),
      seed: p.seed,
    };
    await busy(submit, async () => {
      try {
        const made = await api.post('/match/runs', body);
        ctx.go(`#/match?run=${made.id}`);
      } catch (err) {
        showFormError(form, err);
      }
    });
  });
  return form;
}

const fmtScore = (v) => fmtNumber((Number(v) || 0) / (SCALE / 100), 1);

// One small bar per principle, its width the share of the full 100.
function whyBars(why) {
  return h('div', { class: 'why' }, PRINCIPLES.map((k) => {
    const v = Number(why[whyKey(k)]) || 0;
    const fill = h('span', { class: 'bar-fill' });
    fill.style.width = `${Math.min(100, (v / SCALE) * 100 * 2)}%`;
    return h('div', { class: 'why-row', dataset: { p: k } },
      h('span', { class: 'why-label' }, t(`match.p_${k}`)),
      h('span', { class: 'bar', role: 'img', 'aria-label': `${t(`match.p_${k}`)} ${fmtScore(v)}` }, fill),
      h('span', { class: 'why-value' }, fmtScore(v)));
  }));
}

function ruleButtons(p, slot, run, ctx) {
  const open = (kind) => {
    const submit = h('button', { type: 'submit', class: ['btn', kind === 'ban' ? 'btn-danger' : 'btn-primary'] }, t(`match.${kind}_confirm`));
    const form = h('form', { class: 'form rule-form', novalidate: true, dataset: { kind } },
      formAlert(),
      h('p', null, t(`match.${kind}_explain`, { mentee: p.mentee_name, mentor: p.mentor_name })),
      field('reason', t('match.reason'), textArea('reason', { rows: 2, maxlength: 500 }), { required: kind === 'ban', wide: true }),
      h('div', { class: 'form-buttons' }, submit, h('button', { type: 'button', class: 'btn btn-ghost', on: { click: () => slot.replaceChildren() } }, t('common.cancel'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearFormErrors(form);
      const body = { kind, mentee: p.mentee, mentor: p.mentor };
      const reason = form.elements.reason.value.trim();
      if (reason) body.reason = reason;
      await busy(submit, async () => {
        try {
          await api.post('/match/rules', body);
          slot.replaceChildren(notice(t(`match.${kind}_done`, { mentee: p.mentee_name, mentor: p.mentor_name }), 'ok'));
          ctx.replace(`#/match?run=${run.id}&ruled=1`);
        } catch (err) {
          showFormError(form, err);
        }
      });
    });
    slot.replaceChildren(form);
    slot.scrollIntoView({ block: 'nearest' });
    form.elements.reason.focus();
  };
  return h('span', { class: 'rule-buttons' },
    h('button', { type: 'button', class: 'btn btn-small', dataset: { rule: 'lock' }, on: { click: () => open('lock') } }, t('match.lock')),
    h('button', { type: 'button', class: 'btn btn-small btn-danger', dataset: { rule: 'ban' }, on: { click: () => open('ban') } }, t('match.ban')));
}

function rulesCard(rules, ctx, admin) {
  return card(t('match.rules'), rules.length
    ? dataTable(
        [
          { label: t('match.rule_kind'), render: (r) => badge(t(`match.kind_${r.kind}`), r.kind === 'ban' ? 'danger' : 'ok') },
          { label: t('match.mentee'), render: (r) => r.mentee_name || `#${r.mentee}` },
          { label: t('match.mentor'), render: (r) => r.mentor_name || `#${r.mentor}` },
          { label: t('match.reason'), render: (r) => r.reason || '—', cls: 'wrap' },
          admin ? { label: t('match.actions'), render: (r) => h('button', { type: 'button', class: 'btn btn-ghost btn-small', dataset: { del: r.id }, on: { click: async (e) => {
            await busy(e.currentTarget, async () => {
              try {
                await api.del(`/match/rules/${r.id}`);
                ctx.replace(location.hash);
              } catch (err) {
                e.target.replaceWith(errorText(err));
              }
            });
          } } }, t('match.rule_delete')) } : null,
        ].filter(Boolean),
        rules,
        { caption: t('match.rules'), rowAttrs: (r) => ({ class: 'rule', dataset: { kind: r.kind, mentee: r.mentee, mentor: r.mentor } }) },
      )
    : empty(t('match.no_rules')));
}
