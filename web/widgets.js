// widgets.js — the building blocks pages are made of: page headers, form
// fields that can show the server's error beside them, tables that turn
// into cards on a phone, pagers, badges, chips and star strips. Layer: web,
// shared. Every visible string comes from the caller or from i18n.

import { h, uid } from './dom.js';
import { t, fmtNumber } from './i18n.js';

// ---- page structure -----------------------------------------------------

export function pageHeader(title, { subtitle, actions, back } = {}) {
  return h(
    'header',
    { class: 'page-header' },
    back ? h('a', { class: 'back-link', href: back.href }, `← ${back.label}`) : null,
    h(
      'div',
      { class: 'page-header-row' },
      h('div', { class: 'page-title' }, h('h1', null, title), subtitle ? h('p', { class: 'subtitle' }, subtitle) : null),
      actions && actions.length ? h('div', { class: 'page-actions' }, actions) : null,
    ),
  );
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', { class: 'card-title' }, title) : null, children);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

export function empty(text) {
  return h('p', { class: 'empty' }, text || t('common.empty'));
}

export function notice(text, tone = 'info') {
  return h('div', { class: `notice notice-${tone}`, role: tone === 'danger' ? 'alert' : 'note' }, text);
}

// A definition list of [label, value] pairs; a null value shows "—".
export function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.map(([k, v]) =>
      h('div', { class: 'fact' }, h('dt', null, k), h('dd', null, v === null || v === undefined || v === '' ? '—' : v)),
    ),
  );
}

export function buttonLink(href, label, cls = 'btn') {
  return h('a', { class: cls, href }, label);
}

// ---- small displays -----------------------------------------------------

export function badge(text, tone = 'neutral') {
  return h('span', { class: `badge badge-${tone}` }, text);
}

const STATUS_TONE = {
  active: 'ok',
  nominated: 'info',
  shortlisted: 'info',
  filed: 'info',
  paused: 'warn',
  retired: 'neutral',
  rejected: 'danger',
};
export function statusBadge(status) {
  return badge(t(`status.${status}`), STATUS_TONE[status] || 'neutral');
}

export function chips(list, { mark } = {}) {
  if (!list || !list.length) return h('span', { class: 'muted' }, '—');
  return h(
    'span',
    { class: 'chips' },
    list.map((c) => h('span', { class: ['chip', mark && mark(c) ? 'chip-mark' : ''] }, c.label ?? c)),
  );
}

export function starStrip(n) {
  const v = Math.max(0, Math.min(5, Number(n) || 0));
  return h(
    'span',
    { class: 'stars', title: t('org.stars_n', { n: v }), 'aria-label': t('org.stars_n', { n: v }) },
    h('span', { class: 'stars-on', 'aria-hidden': 'true' }, '★'.repeat(v)),
    h('span', { class: 'stars-off', 'aria-hidden': 'true' }, '★'.repeat(5 - v)),
  );
}

// A 0–100 score as a labelled bar; the width is set through CSSOM.
export function scoreBar(label, value) {
  const v = Math.max(0, Math.min(100, Number(value) || 0));
  const fill = h('span', { class: 'bar-fill' });
  fill.style.width = `${v}%`;
  return h(
    'div',
    { class: 'score' },
    h('span', { class: 'score-label' }, label),
    h('span', { class: 'bar', role: 'img', 'aria-label': `${label} ${v}` }, fill),
    h('span', { class: 'score-value' }, value ?? '—'),
  );
}

// ---- tables ---------------------------------------------------------------

// dataTable(columns, rows, {rowHref, caption}): a table whose cells carry
// their column's label (data-label), so CSS can show each row as a card on
// a narrow screen. columns: [{label, render(row) -> node|string, cls}].
// rowHref(row): the first cell becomes a link there.
export function dataTable(columns, rows, { rowHref, caption, rowAttrs } = {}) {
  // The row's link goes on the column marked `link`, else the first.
  const linkAt = Math.max(0, columns.findIndex((c) => c.link));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data-table' },
      caption ? h('caption', null, caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.cls }, c.label)))),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            rowAttrs ? rowAttrs(row) : null,
            columns.map((c, i) => {
              let v = c.render(row);
              if (i === linkAt && rowHref) v = h('a', { href: rowHref(row) }, v);
              return h('td', { class: c.cls, 'data-label': c.label }, v ?? '—');
            }),
          ),
        ),
      ),
    ),
  );
}

// A plain two-column (or more) table from label/value rows, used to make
// every chart readable as a table.
export function simpleTable(headers, rows, caption) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data-table compact' },
      caption ? h('caption', null, caption) : null,
      h('thead', null, h('tr', null, headers.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            null,
            r.map((x, i) => h('td', { class: i ? 'num' : null, 'data-label': headers[i] }, typeof x === 'number' ? fmtNumber(x, 1) : x)),
          ),
        ),
      ),
    ),
  );
}

// pager({total, limit, offset, href(offset)}): previous/next links and
// where we are. Links, not buttons, so the browser's back button works.
export function pager({ total, limit, offset, href }) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  const prev = offset > 0 ? Math.max(0, offset - limit) : null;
  const next = offset + limit < total ? offset + limit : null;
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('pager.label') },
    prev === null
      ? h('span', { class: 'btn btn-ghost disabled', 'aria-disabled': 'true' }, t('pager.prev'))
      : h('a', { class: 'btn btn-ghost', href: href(prev), rel: 'prev' }, t('pager.prev')),
    h('span', { class: 'pager-info' }, t('pager.info', { page, pages, total: fmtNumber(total) })),
    next === null
      ? h('span', { class: 'btn btn-ghost disabled', 'aria-disabled': 'true' }, t('pager.next'))
      : h('a', { class: 'btn btn-ghost', href: href(next), rel: 'next' }, t('pager.next')),
  );
}

// ---- forms ------------------------------------------------------------------

// field(name, label, control, {required, hint, wide}): a labelled control
// with a place for the server's error. `name` is the API's field name: the
// error display finds the field by it.
export function field(name, label, control, { required, hint, wide } = {}) {
  const id = control.id || uid(name);
  const errId = `${id}-err`;
  const isGroup = control.classList && control.classList.contains('checks');
  if (!isGroup) control.id = id;
  const describedBy = [errId];
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'field-hint', id: `${id}-hint` }, hint);
    describedBy.push(`${id}-hint`);
  }
  control.setAttribute('aria-describedby', describedBy.join(' '));
  if (required && !isGroup) control.setAttribute('aria-required', 'true');
  const lbl = isGroup
    ? h('span', { class: 'label', id: `${id}-label` }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null)
    : h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
  if (isGroup) control.setAttribute('aria-labelledby', `${id}-label`);
  return h(
    'div',
    { class: ['field', wide ? 'field-wide' : ''], dataset: { field: name } },
    lbl,
    control,
    hintEl,
    h('p', { class: 'field-error', id: errId, role: 'alert', hidden: true }),
  );
}

export function textInput(name, { type = 'text', value, placeholder, autocomplete, inputmode, maxlength, min, max } = {}) {
  return h('input', {
    type,
    name,
    value: value ?? '',
    placeholder,
    autocomplete: autocomplete || 'off',
    inputmode,
    maxlength,
    min,
    max,
  });
}

export function textArea(name, { value, rows = 3, maxlength, placeholder } = {}) {
  const el = h('textarea', { name, rows, maxlength, placeholder });
  el.value = value ?? '';
  return el;
}

// options: [{value, label}] or [{group, options: [...]}]; `empty`: the
// label of a first "" option.
export function selectInput(name, options, { value, empty } = {}) {
  const opt = (o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label);
  return h(
    'select',
    { name },
    empty !== undefined ? h('option', { value: '' }, empty) : null,
    options.map((o) => (o.group ? h('optgroup', { label: o.group }, o.options.map(opt)) : opt(o))),
  );
}

export function checkGroup(name, options, selected = []) {
  return h(
    'div',
    { class: 'checks', role: 'group' },
    options.map((o) =>
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name, value: o.value, checked: selected.includes(o.value) }),
        h('span', null, o.label),
      ),
    ),
  );
}

// readForm(form): {name: value} for text, select and textarea controls, and
// {name: [values]} for checkbox groups. Strings are trimmed.
export function readForm(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.matches(':disabled')) continue;
    if (el.type === 'checkbox') {
      (out[el.name] ||= []);
      if (el.checked) out[el.name].push(el.value);
    } else if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    } else if (el.tagName !== 'BUTTON') {
      out[el.name] = el.value.trim();
    }
  }
  return out;
}

// toBody(values, {ints}): the JSON body for the API: empty strings are left
// out (the server applies its defaults); fields in `ints` become numbers
// when they are numbers, and are sent as typed otherwise so that the
// server's own message names the field.
export function toBody(values, { ints = [] } = {}) {
  const body = {};
  for (const [k, v] of Object.entries(values)) {
    if (Array.isArray(v)) {
      body[k] = v;
      continue;
    }
    if (v === '' || v === undefined) continue;
    body[k] = ints.includes(k) && /^-?\d+$/.test(v) ? Number(v) : v;
  }
  return body;
}

// A submit button that shows it is busy while `fn` runs.
export async function busy(button, fn) {
  button.disabled = true;
  button.classList.add('busy');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.classList.remove('busy');
  }
}

// The form's alert box, above the fields (api.showFormError fills it).
export function formAlert() {
  return h('div', { class: 'form-alert', role: 'alert', hidden: true });
}

// exportButtons(kind, filters): links that download the list as .xlsx or
// .csv (GET /exports/KIND.xlsx|.csv with the list's filters; the session
// cookie authorises them). Only the filters the export takes are passed.
const EXPORT_KEYS = ['region', 'q', 'status', 'tier', 'source', 'team_type', 'category', 'domain', 'kind', 'level', 'flag', 'parent', 'date'];
export function exportButtons(kind, filters = {}) {
  const q = new URLSearchParams();
  for (const k of EXPORT_KEYS) if (filters[k]) q.set(k, filters[k]);
  const s = q.toString();
  const link = (fmt) =>
    h('a', { class: 'btn btn-ghost btn-small export-link', href: `/api/v1/exports/${kind}.${fmt}${s ? `?${s}` : ''}`, download: `${kind}.${fmt}`, dataset: { format: fmt } }, t(`export.${fmt}`));
  return h('span', { class: 'export-buttons', dataset: { kind } }, link('xlsx'), link('csv'));
}
