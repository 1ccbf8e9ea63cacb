// pages/imports.js — bulk import (批量导入) for admins: choose what to
// import and a .xlsx or .csv file, check it (a dry run that lists every bad
// row and column), download the error file, then import — all rows or
// none. POST /imports/{kind}?dry_run=true|false[&errors=csv],
// GET /imports/{kind}/template.xlsx.

import { h } from '../dom.js';
import { sendFile, fileUrl, errorText, clearFormErrors, showFormError } from '../api.js';
import { t, fmtNumber } from '../i18n.js';
import { pageHeader, card, dataTable, empty, notice, field, selectInput, busy, formAlert, badge } from '../widgets.js';

const KINDS = ['mentors', 'mentees', 'organisations', 'regions'];

export async function render(view, ctx) {
  const kind = KINDS.includes(ctx.query.kind) ? ctx.query.kind : 'mentors';
  const kindSel = selectInput('kind', KINDS.map((k) => ({ value: k, label: t(`import.kind_${k}`) })), { value: kind });
  const file = h('input', { type: 'file', name: 'file', accept: '.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const template = h('a', { class: 'btn btn-ghost', id: 'import-template', href: fileUrl(`/imports/${kind}/template.xlsx`), download: `${kind}-template.xlsx` }, t('import.template'));
  kindSel.addEventListener('change', () => {
    template.href = fileUrl(`/imports/${kindSel.value}/template.xlsx`);
    template.download = `${kindSel.value}-template.xlsx`;
    result.replaceChildren();
  });
  const check = h('button', { type: 'submit', class: 'btn btn-primary', id: 'import-check' }, t('import.check'));
  const commit = h('button', { type: 'button', class: 'btn', id: 'import-commit', disabled: true }, t('import.commit'));
  const result = h('div', { class: 'import-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'form import-form', id: 'import-form', novalidate: true }, formAlert(),
    h('div', { class: 'fields' },
      field('kind', t('import.kind'), kindSel, { required: true }),
      field('file', t('import.file'), file, { required: true, hint: t('import.file_hint') })),
    h('div', { class: 'form-buttons' }, check, commit, template));

  const chosen = () => {
    const f = file.files && file.files[0];
    if (!f) {
      showFormError(form, Object.assign(new Error(t('import.no_file')), { field: 'file' }));
      return null;
    }
    return f;
  };
  // Importing needs a file; the server refuses a file with bad rows.
  file.addEventListener('change', () => {
    commit.disabled = !(file.files && file.files.length);
    result.replaceChildren();
  });

  const run = async (dry) => {
    clearFormErrors(form);
    const f = chosen();
    if (!f) return;
    const k = kindSel.value;
    try {
      const res = await sendFile(`/imports/${k}`, { dry_run: dry ? 'true' : 'false' }, f);
      const report = res.data.report || res.data;
      result.replaceChildren(reportView(report, res.status === 422 ? res.data.error : null, k, f));
    } catch (err) {
      showFormError(form, err);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(check, () => run(true));
  });
  commit.addEventListener('click', async () => {
    await busy(commit, () => run(false));
    if (result.querySelector('[data-state=committed]')) commit.disabled = true; // not twice
  });

  view.append(
    pageHeader(t('import.title'), { subtitle: t('import.explain') }),
    card(null, form),
    result,
  );
}

// The report: counts, how each column was read, every bad row.
function reportView(r, refused, kind, file) {
  const ok = r.failed === 0;
  const state = r.committed ? 'committed' : refused ? 'refused' : ok ? 'clean' : 'errors';
  const msg = {
    committed: notice(t('import.committed', { created: fmtNumber(r.created), updated: fmtNumber(r.updated) }), 'ok'),
    refused: notice(`${errorText(refused)}`, 'danger'),
    clean: notice(t('import.clean', { rows: fmtNumber(r.rows), created: fmtNumber(r.created), updated: fmtNumber(r.updated), unchanged: fmtNumber(r.unchanged) }), 'ok'),
    errors: notice(t('import.has_errors', { failed: fmtNumber(r.failed), rows: fmtNumber(r.rows) }), 'danger'),
  }[state];
  const errs = r.errors || [];
  const download = errs.length
    ? h('button', { type: 'button', class: 'btn', id: 'import-errors-csv', on: { click: (e) => busy(e.currentTarget, async () => {
        try {
          const res = await sendFile(`/imports/${kind}`, { dry_run: 'true', errors: 'csv' }, file);
          const a = h('a', { href: URL.createObjectURL(res.blob), download: `${kind}-errors.csv`, hidden: true });
          document.body.append(a);
          a.click();
          setTimeout(() => {
            URL.revokeObjectURL(a.href);
            a.remove();
          }, 1000);
        } catch (err) {
          e.target.replaceWith(errorText(err));
        }
      }) } }, t('import.error_file'))
    : null;
  return h('div', { class: 'import-report', dataset: { state, failed: r.failed, rows: r.rows } },
    card(t('import.report'), msg,
      h('p', { class: 'import-counts' }, t('import.counts', { rows: fmtNumber(r.rows), created: fmtNumber(r.created), updated: fmtNumber(r.updated), unchanged: fmtNumber(r.unchanged), failed: fmtNumber(r.failed) })),
      download),
    errs.length ? card(t('import.errors_n', { n: errs.length + (r.errors_not_listed || 0) }), dataTable(
      [
        { label: t('import.row'), render: (e) => t('import.row_n', { n: e.row }) },
        { label: t('import.column'), render: (e) => (e.column ? `${e.column} · ${e.header || e.field || ''}` : '—') },
        { label: t('import.message'), render: (e) => e.message, cls: 'wrap' },
      ],
      errs,
      { caption: t('import.errors'), rowAttrs: (e) => ({ class: 'import-error', dataset: { row: e.row, column: e.column ?? '', field: e.field || '' } }) },
    )) : null,
    card(t('import.columns'), (r.columns || []).length ? dataTable(
      [
        { label: t('import.column'), render: (c) => String(c.column) },
        { label: t('import.header'), render: (c) => c.header },
        { label: t('import.field'), render: (c) => c.field || '—' },
        { label: t('import.imported'), render: (c) => (c.imported ? badge(t('import.yes'), 'ok') : badge(t('import.no'), 'neutral')) },
      ],
      r.columns,
      { caption: t('import.columns') },
    ) : empty()));
}
