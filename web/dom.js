// dom.js — building DOM nodes without innerHTML, so that data from the
// server is never parsed as markup and the strict Content-Security-Policy
// (no inline styles, no inline scripts) holds. Layer: web, shared.

// h(tag, attrs, ...children) makes an element. attrs: plain attributes,
// `class`, `dataset` (object), `on` (object of event listeners) and boolean
// properties (checked, disabled, selected, hidden, required). A `style`
// attribute is refused: the CSP would drop it; use a class, or set one
// property through el.style from code (CSSOM is allowed).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'style') throw new Error('h(): inline style is not allowed (CSP)');
      if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      else if (k === 'value') el.value = v;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

// append(el, children): strings become text nodes; arrays are flattened;
// null, undefined and false are skipped.
export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A fresh id for label/input pairs.
let seq = 0;
export function uid(prefix = 'f') {
  seq += 1;
  return `${prefix}-${seq}`;
}

// Hash helpers: routes are "#/a/b?x=1&y=2".
export function hashFor(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return `#/${path.replace(/^\/+/, '')}${s ? `?${s}` : ''}`;
}
