// charts.js — ECharts, loaded on demand from /vendor/echarts.min.js (copied
// there from the npm package by `make web-assets`; no CDN), and the chart
// card every figure is shown in: the chart, and the same numbers as a table
// under a disclosure, so every chart is also readable as a table (and
// still there when the library is missing). Layer: web, shared.
//
// CSP: ECharts draws on a canvas and positions its own nodes through
// element.style (CSSOM, allowed). Its HTML tooltips would carry inline
// style attributes, which the policy drops, so tooltips render as rich
// text on the canvas instead.

import { h } from './dom.js';
import { t } from './i18n.js';
import { simpleTable } from './widgets.js';

let loader = null;

// loadECharts(): resolves to the echarts namespace, or null if the file is
// not there (the page then shows the tables open).
export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loader) {
    loader = new Promise((resolve) => {
      const s = document.createElement('script');
      s.src = '/vendor/echarts.min.js';
      s.async = true;
      s.onload = () => resolve(window.echarts || null);
      s.onerror = () => {
        loader = null;
        resolve(null);
      };
      document.head.append(s);
    });
  }
  return loader;
}

// The palette, from the CSS variables --chart-1 ... --chart-8.
export function palette() {
  const cs = getComputedStyle(document.documentElement);
  const out = [];
  for (let i = 1; i <= 8; i++) {
    const v = cs.getPropertyValue(`--chart-${i}`).trim();
    if (v) out.push(v);
  }
  return out;
}

function cssVar(name, dflt) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || dflt;
}

// Options every chart shares: colours, font, rich-text tooltips.
export function baseOption() {
  const text = cssVar('--c-text', '#1f2329');
  const muted = cssVar('--c-muted', '#646a73');
  return {
    color: palette(),
    textStyle: { fontFamily: cssVar('--font-sans', 'sans-serif'), color: text },
    tooltip: { renderMode: 'richText', confine: true },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    aria: { enabled: true },
    animationDuration: 300,
    _muted: muted,
  };
}

// chartCard(title, {option, headers, rows, id, tall}): a card with a chart
// built from `option` and a table of headers/rows under it. `option` may be
// a function of the chart's width in pixels, called again when the width
// changes (labels are truncated to fit a phone). The returned object has
// .el (the card) and .mount(echarts) to draw the chart once the library is
// there; .dispose() releases it.
export function chartCard(title, { option, headers, rows, id, tall }) {
  const chartEl = h('div', { class: ['chart', tall ? 'chart-tall' : ''], role: 'img', 'aria-label': title });
  const table = simpleTable(headers, rows, title);
  const details = h('details', { class: 'chart-table' }, h('summary', null, t('dashboard.as_table')), table);
  const el = h('section', { class: 'card chart-card', id }, h('h2', { class: 'card-title' }, title), chartEl, details);
  let chart = null;
  let ro = null;
  return {
    el,
    mount(echarts) {
      if (!echarts) {
        chartEl.hidden = true;
        details.open = true;
        return;
      }
      chart = echarts.init(chartEl, null, { renderer: 'canvas' });
      const build = typeof option === 'function' ? option : () => option;
      let width = 0;
      const draw = () => {
        const w = chartEl.clientWidth;
        if (!chart || w === 0) return;
        if (w !== width) {
          width = w;
          const opt = { ...baseOption(), ...build(w) };
          delete opt._muted;
          chart.setOption(opt, { notMerge: true });
        }
        chart.resize();
      };
      draw();
      ro = new ResizeObserver(draw);
      ro.observe(chartEl);
    },
    dispose() {
      if (ro) ro.disconnect();
      if (chart) chart.dispose();
      chart = null;
    },
  };
}

// Option builders for the shapes the dashboard uses.

const NARROW = 520; // px: a phone's chart

export function barOption(labels, values, { horizontal, name } = {}) {
  return (width) => {
    const narrow = width < NARROW;
    // A horizontal bar's category labels get at most about a third of the
    // width, cut with "…" (the table and the tooltip have them whole).
    const labelWidth = Math.round(Math.max(64, Math.min(220, width * 0.34)));
    const cat = { type: 'category', data: labels, axisTick: { show: false }, axisLabel: { interval: 0, hideOverlap: true } };
    const val = { type: 'value', minInterval: 1, splitNumber: narrow ? 3 : 5 };
    return {
      tooltip: { ...baseOption().tooltip, trigger: 'axis' },
      grid: { left: 8, right: horizontal ? 28 : 16, top: 20, bottom: 8, containLabel: true },
      xAxis: horizontal ? val : { ...cat, axisLabel: { ...cat.axisLabel, rotate: labels.length > 5 || narrow ? 30 : 0 } },
      yAxis: horizontal ? { ...cat, inverse: true, axisLabel: { ...cat.axisLabel, width: labelWidth, overflow: 'truncate' } } : val,
      series: [{ type: 'bar', name, data: values, barMaxWidth: 28, label: { show: true, position: horizontal ? 'right' : 'top' }, colorBy: 'data' }],
    };
  };
}

export function groupedBarOption(labels, series) {
  return (width) => ({
    tooltip: { ...baseOption().tooltip, trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: labels, axisTick: { show: false }, axisLabel: { interval: 0, rotate: width < NARROW ? 40 : 0 } },
    yAxis: { type: 'value', minInterval: 1, splitNumber: width < NARROW ? 3 : 5 },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.data,
      barMaxWidth: 24,
      label: { show: width >= NARROW, position: 'top' },
    })),
  });
}

export function pieOption(items, name) {
  return {
    tooltip: { ...baseOption().tooltip, trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        name,
        radius: ['42%', '68%'],
        center: ['50%', '45%'],
        avoidLabelOverlap: true,
        label: { formatter: '{b}\n{c}' },
        data: items.map(([n, v]) => ({ name: n, value: v })),
      },
    ],
  };
}
