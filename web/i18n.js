// i18n.js — UI strings. Every string the UI shows comes from
// i18n/<lang>.json; code only names keys. zh-CN is the default, en the
// second language; the choice is kept in localStorage. Layer: web, shared.

export const LANGS = ['zh-CN', 'en'];
const DEFAULT = 'zh-CN';
const KEY = 'bangdai.lang';

let lang = DEFAULT;
let dict = {};
let fallback = {};

export function currentLang() {
  return lang;
}

function stored() {
  try {
    const l = localStorage.getItem(KEY);
    return LANGS.includes(l) ? l : DEFAULT;
  } catch {
    return DEFAULT;
  }
}

async function fetchDict(l) {
  const r = await fetch(`/i18n/${l}.json`, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(`i18n ${l}: HTTP ${r.status}`);
  return r.json();
}

// loadLang(l): loads the dictionary (and zh-CN as the fallback for keys a
// translation lacks), remembers the choice and sets <html lang>.
export async function loadLang(l = stored()) {
  if (!LANGS.includes(l)) l = DEFAULT;
  const [d, f] = await Promise.all([
    fetchDict(l),
    l === DEFAULT ? null : fetchDict(DEFAULT),
  ]);
  dict = d;
  fallback = f || d;
  lang = l;
  try {
    localStorage.setItem(KEY, l);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = l;
  return l;
}

// has(key): whether the current language (or the fallback) has the key.
export function has(key) {
  return key in dict || key in fallback;
}

// t(key, vars): the string for key with {name} placeholders filled from
// vars. A missing key shows itself, so it is seen and fixed.
export function t(key, vars) {
  let s = key in dict ? dict[key] : key in fallback ? fallback[key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// serverText(msg): the server writes messages as "中文 (english)"; show
// the half that matches the UI language.
export function serverText(msg) {
  if (!msg) return '';
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(msg);
  if (!m || !m[1]) return msg;
  if (lang === 'en') return m[2].charAt(0).toUpperCase() + m[2].slice(1);
  return m[1];
}

export function fmtNumber(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return Number(n).toLocaleString(lang, { maximumFractionDigits: digits });
}

export function fmtDate(s) {
  if (!s) return '—';
  return String(s).slice(0, 10);
}

export function fmtDateTime(s) {
  if (!s) return '—';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
}
