// pages/forbidden.js — what a 403 from the API (or a route the role may
// not open) shows: "无权访问", why, and a way back.

import { h } from '../dom.js';
import { t } from '../i18n.js';

export async function render(view) {
  view.append(
    h(
      'section',
      { class: 'status-page forbidden-page', 'aria-labelledby': 'forbidden-title' },
      h('p', { class: 'status-code', 'aria-hidden': 'true' }, '403'),
      h('h1', { id: 'forbidden-title' }, t('forbidden.title')),
      h('p', null, t('forbidden.text')),
      h(
        'p',
        { class: 'status-actions' },
        h('button', { type: 'button', class: 'btn', on: { click: () => history.back() } }, t('common.back')),
        h('a', { class: 'btn btn-primary', href: '#/' }, t('forbidden.home')),
      ),
    ),
  );
}
