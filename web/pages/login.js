// pages/login.js — the login form. POST /auth/login answers {token, csrf,
// user} and sets the HttpOnly session cookie; the shell keeps the csrf.

import { h } from '../dom.js';
import { api, showFormError, clearFormErrors } from '../api.js';
import { t } from '../i18n.js';
import { field, textInput, busy, formAlert } from '../widgets.js';

export async function render(view, ctx) {
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('login.submit'));
  const form = h(
    'form',
    { class: 'form login-form', novalidate: true, 'aria-labelledby': 'login-title' },
    formAlert(),
    field('login', t('login.login'), textInput('login', { autocomplete: 'username' }), { required: true }),
    field('password', t('login.password'), textInput('password', { type: 'password', autocomplete: 'current-password' }), { required: true }),
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const body = { login: form.elements.login.value.trim(), password: form.elements.password.value };
    await busy(submit, async () => {
      try {
        const answer = await api.post('/auth/login', body);
        ctx.loggedIn(answer, ctx.query.next);
      } catch (err) {
        showFormError(form, err);
      }
    });
  });

  view.append(
    h(
      'div',
      { class: 'login-page' },
      h(
        'section',
        { class: 'login-card card' },
        h('h1', { id: 'login-title' }, t('login.title')),
        h('p', { class: 'subtitle' }, t('login.motto')),
        ctx.query.expired ? h('p', { class: 'notice notice-warn', role: 'status' }, t('login.expired')) : null,
        form,
      ),
    ),
  );
  form.elements.login.focus();
}
