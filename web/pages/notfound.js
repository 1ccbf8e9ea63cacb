// pages/notfound.js — an unknown address, or a record the API says does
// not exist (404).

import { h } from '../dom.js';
import { t } from '../i18n.js';

export async function render(view) {
  view.append(
    h(
      'section',
      { class: 'status-page', 'aria-labelledby': 'notfound-title' },
      h('p', { class: 'status-code', 'aria-hidden': 'true' }, '404'),
      h('h1', { id: 'notfound-title' }, t('notfound.title')),
      h('p', null, t('notfound.text')),
      h('p', { class: 'status-actions' }, h('a', { class: 'btn btn-primary', href: '#/' }, t('forbidden.home'))),
    ),
  );
}
