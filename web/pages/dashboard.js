// pages/dashboard.js — the programme's figures for the caller's
// jurisdiction (GET /stats): the report's headline numbers, mentors by
// source, tier, team type and status, mentees by category, organisations by
// stars, and everything by county — each chart also readable as a table.
//
// TODO(stats-over-time): the issue asks for figures over time (activities
// per month, pairings by mode); /stats has no time series yet. Add a line
// chart here when it does.

import { h } from '../dom.js';
import { api } from '../api.js';
import { t, fmtNumber } from '../i18n.js';
import { getVocab, getRegions, vocabName, enumName, userRegionCode } from '../store.js';
import { pageHeader, selectInput, notice } from '../widgets.js';
import { loadECharts, chartCard, barOption, pieOption, groupedBarOption, baseOption } from '../charts.js';

const TIERS = ['city', 'county', 'township'];
const TEAMS = ['expert', 'experienced', 'grassroots'];
const STATUSES = ['nominated', 'shortlisted', 'filed', 'active', 'paused', 'retired', 'rejected'];
const NONE = '(none)';

// Entries of a count object in a known order (vocabulary or enum order),
// then any the order does not know, leaving out zero rows.
function ordered(counts, order) {
  const keys = [...order.filter((k) => k in (counts || {})), ...Object.keys(counts || {}).filter((k) => !order.includes(k))];
  return keys.map((k) => [k, counts[k]]);
}

function kpi(key, value, label, sub) {
  return h(
    'div',
    { class: 'kpi', dataset: { kpi: key } },
    h('span', { class: 'kpi-value' }, value),
    h('span', { class: 'kpi-label' }, label),
    sub ? h('span', { class: 'kpi-sub' }, sub) : null,
  );
}

export async function render(view, ctx) {
  const region = ctx.query.region || '';
  const [stats, vocab, regions] = await Promise.all([api.get('/stats', { region }), getVocab(), getRegions()]);
  if (ctx.stale()) return null;

  // The scope picker: the units one level below the caller's own region.
  const mine = regions.get(userRegionCode(ctx.user));
  const children = mine ? [...regions.values()].filter((g) => g.parent === mine.code && g.level <= 3) : [];
  const scopeName = region ? (regions.get(region) || {}).name || region : mine ? mine.name : '';
  const actions = [];
  if (children.length) {
    const sel = selectInput(
      'region',
      children.map((g) => ({ value: g.code, label: g.name })),
      { value: region, empty: t('dashboard.all_of', { name: mine.name }) },
    );
    sel.id = 'dash-region';
    sel.addEventListener('change', () => ctx.go(sel.value ? `#/dashboard?region=${encodeURIComponent(sel.value)}` : '#/dashboard'));
    actions.push(h('label', { class: 'inline-field', for: 'dash-region' }, h('span', null, t('dashboard.scope')), sel));
  }

  const m = stats.mentors || {};
  const me = stats.mentees || {};
  const o = stats.organisations || {};
  const out = stats.outcomes || {};
  const kpis = h(
    'section',
    { class: 'kpis', 'aria-label': t('dashboard.headline') },
    kpi('mentors', fmtNumber(m.total), t('dashboard.kpi.mentors')),
    kpi('mentor_orgs', fmtNumber((stats.mentor_orgs || {}).total), t('dashboard.kpi.mentor_orgs')),
    kpi('mentees', fmtNumber(me.total), t('dashboard.kpi.mentees')),
    kpi('organisations', fmtNumber(o.total), t('dashboard.kpi.organisations')),
    kpi('three_star', fmtNumber(out.three_star_and_above ?? o.three_star_and_above), t('dashboard.kpi.three_star')),
    kpi('demonstration', `${fmtNumber(out.demonstration_village_pct, 1)}%`, t('dashboard.kpi.demonstration_pct'), t('dashboard.kpi.of_helped', { n: fmtNumber(out.organisations_helped) })),
    kpi('rectified', fmtNumber(out.rectified), t('dashboard.kpi.rectified')),
    kpi('upgraded', fmtNumber(out.upgraded), t('dashboard.kpi.upgraded')),
  );

  const countLabel = t('dashboard.count');
  const cards = [];
  const add = (id, title, rows, kind, extra = {}) => {
    const labels = rows.map((r) => r[0]);
    const values = rows.map((r) => r[1]);
    const option = kind === 'pie' ? pieOption(rows, title) : barOption(labels, values, { horizontal: kind === 'hbar', name: countLabel });
    cards.push(chartCard(title, { id, option, headers: [extra.head || t('dashboard.item'), countLabel], rows, ...extra }));
  };

  add('chart-source', t('dashboard.chart.by_source'), ordered(m.by_source, (vocab.source || []).map((v) => v.code)).map(([k, v]) => [vocabName('source', k), v]), 'hbar');
  add('chart-tier', t('dashboard.chart.by_tier'), ordered(m.by_tier, TIERS).map(([k, v]) => [enumName('tier', k), v]), 'pie');
  add('chart-team', t('dashboard.chart.by_team_type'), ordered(m.by_team_type, TEAMS).map(([k, v]) => [enumName('team_type', k), v]), 'pie');
  add('chart-status', t('dashboard.chart.by_status'), ordered(m.by_status, STATUSES).map(([k, v]) => [enumName('status', k), v]), 'bar');
  add(
    'chart-category',
    t('dashboard.chart.by_category'),
    ordered(me.by_category, (vocab.category || []).map((v) => v.code)).map(([k, v]) => [k === NONE ? t('dashboard.org_mentees') : vocabName('category', k), v]),
    'hbar',
    { tall: true },
  );
  add('chart-stars', t('dashboard.chart.by_stars'), ['1', '2', '3', '4', '5'].filter((k) => k in (o.by_stars || {})).map((k) => [t('org.stars_n', { n: k }), o.by_stars[k]]), 'bar');

  // By county: mentors and mentees side by side.
  const countyKeys = [...new Set([...Object.keys(m.by_county || {}), ...Object.keys(me.by_county || {})])].sort((a, b) =>
    a === NONE ? -1 : b === NONE ? 1 : a < b ? -1 : 1,
  );
  const countyName = (k) => (k === NONE ? t('dashboard.city_level') : (regions.get(k) || {}).name || k);
  if (countyKeys.length) {
    const rows = countyKeys.map((k) => [countyName(k), (m.by_county || {})[k] || 0, (me.by_county || {})[k] || 0]);
    cards.push(
      chartCard(t('dashboard.chart.by_county'), {
        id: 'chart-county',
        tall: true,
        option: groupedBarOption(
          rows.map((r) => r[0]),
          [
            { name: t('dashboard.kpi.mentors'), data: rows.map((r) => r[1]) },
            { name: t('dashboard.kpi.mentees'), data: rows.map((r) => r[2]) },
          ],
        ),
        headers: [t('dashboard.county'), t('dashboard.kpi.mentors'), t('dashboard.kpi.mentees')],
        rows,
      }),
    );
    // Where they are: each county-level unit at its coordinates, sized by
    // its mentors (a positioned scatter of the region tree).
    const placed = countyKeys.filter((k) => regions.get(k) && regions.get(k).lat != null);
    if (placed.length >= 2) {
      const pts = placed.map((k) => {
        const g = regions.get(k);
        return { name: g.name, value: [g.lon, g.lat, (m.by_county || {})[k] || 0, (me.by_county || {})[k] || 0] };
      });
      const max = Math.max(1, ...pts.map((p) => p.value[2]));
      cards.push(
        chartCard(t('dashboard.chart.map'), {
          id: 'chart-map',
          tall: true,
          option: (width) => ({
            tooltip: { ...baseOption().tooltip, trigger: 'item', formatter: (p) => `${p.name}\n${t('dashboard.kpi.mentors')} ${p.value[2]}\n${t('dashboard.kpi.mentees')} ${p.value[3]}` },
            // Padded axes keep the bubbles and their labels inside.
            grid: { left: 8, right: 16, top: 28, bottom: 28, containLabel: true },
            xAxis: { type: 'value', scale: true, boundaryGap: ['12%', width < 520 ? '45%' : '30%'], name: t('dashboard.lon'), nameLocation: 'middle', nameGap: 28, splitNumber: width < 520 ? 2 : 4, axisLabel: { formatter: (v) => v.toFixed(2) } },
            yAxis: { type: 'value', scale: true, boundaryGap: ['15%', '15%'], name: t('dashboard.lat'), splitNumber: 4, axisLabel: { formatter: (v) => v.toFixed(2) } },
            labelLayout: { moveOverlap: 'shiftY' },
            series: [
              {
                type: 'scatter',
                data: pts,
                symbolSize: (v) => (width < 520 ? 10 : 14) + (width < 520 ? 22 : 36) * Math.sqrt(v[2] / max),
                label: { show: true, formatter: (p) => `${p.name} ${p.value[2]}`, position: 'top' },
                colorBy: 'data',
              },
            ],
          }),
          headers: [t('dashboard.county'), t('dashboard.lon'), t('dashboard.lat'), t('dashboard.kpi.mentors'), t('dashboard.kpi.mentees')],
          rows: pts.map((p) => [p.name, p.value[0], p.value[1], p.value[2], p.value[3]]),
        }),
      );
    }
  }

  view.append(
    pageHeader(t('dashboard.title'), { subtitle: scopeName ? t('dashboard.scope_of', { name: scopeName }) : null, actions }),
    kpis,
    h('div', { class: 'chart-grid' }, cards.map((c) => c.el)),
  );

  const echarts = await loadECharts();
  if (ctx.stale()) return null;
  if (!echarts) view.insertBefore(notice(t('dashboard.no_charts'), 'warn'), view.querySelector('.kpis'));
  for (const c of cards) c.mount(echarts);
  return () => cards.forEach((c) => c.dispose());
}
