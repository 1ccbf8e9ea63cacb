// store.js — what the pages share and fetch once per login: the caller's
// account, the vocabularies (source, category, domain, talent_team) and the
// regions of the caller's jurisdiction. Layer: web, shared.

import { api } from './api.js';
import { t, has } from './i18n.js';

const state = { user: null, vocab: null, regions: null };

export function currentUser() {
  return state.user;
}

export function setUser(u) {
  state.user = u;
  state.vocab = null;
  state.regions = null;
}

export const ADMIN_ROLES = ['city_admin', 'county_admin', 'township_admin'];
export const isAdmin = (u = state.user) => !!u && ADMIN_ROLES.includes(u.role);

// The region code at the bottom of the caller's region path ("/6401/640122/").
export function userRegionCode(u = state.user) {
  if (!u || !u.region_path) return null;
  const segs = u.region_path.split('/').filter(Boolean);
  return segs.length ? segs[segs.length - 1] : null;
}

// ---- vocabularies -------------------------------------------------------

// getVocab(): {kind: [{code, name, sort}]} sorted by the server's order.
export async function getVocab() {
  if (!state.vocab) {
    const r = await api.get('/vocab');
    const by = {};
    for (const v of r.items || []) (by[v.kind] ||= []).push(v);
    for (const k of Object.keys(by)) by[k].sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0));
    state.vocab = by;
  }
  return state.vocab;
}

// vocabName(kind, code): the UI language's name for a vocabulary entry —
// a translation in i18n (vocab.KIND.CODE) when there is one, else the
// name the programme office gave it, else the code.
export function vocabName(kind, code) {
  if (!code) return '';
  const key = `vocab.${kind}.${code}`;
  if (has(key)) return t(key);
  const list = (state.vocab && state.vocab[kind]) || [];
  const v = list.find((x) => x.code === code);
  return v ? v.name : code;
}

// The name of a fixed enum value (tier, team_type, status, ...).
export function enumName(kind, v) {
  if (v === null || v === undefined || v === '') return '—';
  const key = `${kind}.${v}`;
  return has(key) ? t(key) : String(v);
}

// ---- regions ------------------------------------------------------------

const REGION_PAGE = 500;
const REGION_MAX = 20000; /* a province's townships and villages */

// getRegions(): Map code -> region for every region the caller may see.
export async function getRegions() {
  if (!state.regions) {
    const map = new Map();
    for (let offset = 0; offset < REGION_MAX; offset += REGION_PAGE) {
      const r = await api.get('/regions', { limit: REGION_PAGE, offset, sort: 'path' });
      for (const g of r.items || []) map.set(g.code, g);
      if (!r.items || r.items.length < REGION_PAGE || map.size >= (r.total ?? 0)) break;
    }
    state.regions = map;
  }
  return state.regions;
}

// regionLabel(code, name): "贺兰县 · 金贵镇" — the county-level unit before a
// lower region's own name, so that lists show whose jurisdiction a row is
// in. Falls back to the name the record carries.
export function regionLabel(code, name) {
  const map = state.regions;
  const g = map && map.get(code);
  if (!g) return name || code || '—';
  if (g.level <= 2) return g.name;
  const segs = (g.path || '').split('/').filter(Boolean);
  const county = map.get(segs[1]);
  return county ? `${county.name} · ${g.name}` : g.name;
}

// The county-level unit's name for a region code ("" when unknown).
export function countyName(code) {
  const g = state.regions && state.regions.get(code);
  if (!g) return '';
  if (g.level === 2) return g.name;
  const segs = (g.path || '').split('/').filter(Boolean);
  const c = state.regions.get(segs[1]);
  return c ? c.name : '';
}

// regionOptions(map, {minLevel, maxLevel}): <select> options for the
// regions in the map, grouped by county-level unit, indented by level.
export function regionOptions(map, { minLevel = 1, maxLevel = 4 } = {}) {
  const top = [];
  const groups = new Map();
  const pad = (lvl) => '\u3000'.repeat(Math.max(0, lvl - 2));
  for (const g of [...map.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (g.level < minLevel || g.level > maxLevel) continue;
    if (g.level === 1) {
      top.push({ value: g.code, label: g.name });
      continue;
    }
    const segs = (g.path || '').split('/').filter(Boolean);
    const county = map.get(segs[1]);
    const key = county ? county.name : g.name;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ value: g.code, label: `${pad(g.level)}${g.name}` });
  }
  return [...top, ...[...groups.entries()].map(([group, options]) => ({ group, options }))];
}
