#!/usr/bin/env node
// tests/browser/run.mjs — the web UI in a real browser: playwright-core
// drives Debian's /usr/bin/chromium (never a downloaded browser) against the
// real server on a fresh demo database, logs in as each role, walks the
// main journeys and asserts what the page shows. Screenshots of each main
// page at desktop (1366×768) and phone (390×844) size go to
// tests/out/screens/. Prints "N passed, M failed" last; exits 1 on failure.
//
// Usage: node tests/browser/run.mjs [--counts FILE] [--docs] [--only TEXT]
//   --counts FILE  append "browser PASSED FAILED" (scripts/test-summary)
//   --docs         also write the README's screenshots to docs/screens/
//   --only TEXT    run only the tests whose name contains TEXT
// Environment: BANGDAI_BIN (default ./bangdai), CHROMIUM (/usr/bin/chromium).

import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.resolve(ROOT, process.env.BANGDAI_BIN || 'bangdai');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENS = path.join(ROOT, 'tests/out/screens');
const DOCS = path.join(ROOT, 'docs/screens');
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const DEADLINE_MS = 150_000; // the whole run, server and browser included
const PASSWORD = 'bangdai-demo';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const COUNTS = opt('--counts');
const ONLY = opt('--only');
const WRITE_DOCS = argv.includes('--docs');

const results = [];
let tmp = null;
let server = null;
let browser = null;

// ---- reporting and cleanup -----------------------------------------------------

function finish(code) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (COUNTS) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(ROOT, COUNTS)), { recursive: true });
      fs.appendFileSync(path.resolve(ROOT, COUNTS), `browser ${passed} ${failed}\n`);
    } catch (e) {
      console.error(`browser: cannot write ${COUNTS}: ${e.message}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code || failed ? 1 : 0);
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  browser = null;
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => {
      const t = setTimeout(() => {
        if (server.exitCode === null) server.kill('SIGKILL');
        r();
      }, 3000);
      server.once('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  }
  if (tmp && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
}

const deadline = setTimeout(async () => {
  console.error(`browser: over the ${DEADLINE_MS / 1000} s budget; stopping`);
  results.push({ name: 'finishes within the time budget', ok: false });
  await cleanup();
  finish(1);
}, DEADLINE_MS);
deadline.unref();

// test(name, fn, {setup}): runs fn and records the result; --only skips
// all but the matching tests (never a setup step).
async function test(name, fn, { setup } = {}) {
  if (ONLY && !setup && !name.includes(ONLY)) return;
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`[ OK ] ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`[FAIL] ${name}: ${(e && e.stack) || e}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

function assertEq(got, want, what) {
  if (got !== want) throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

// ---- the server ---------------------------------------------------------------------

async function startServer() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bangdai-browser-'));
  const db = path.join(tmp, 'demo.db');
  const portFile = path.join(tmp, 'port');
  assert(fs.existsSync(BIN), `no server binary at ${BIN} (run make)`);
  assert(fs.existsSync(path.join(ROOT, 'web/vendor/echarts.min.js')), 'web/vendor/echarts.min.js is missing (run make web-assets)');
  const demo = spawnSync(BIN, ['demo', '--db', db], { encoding: 'utf8', timeout: 30_000 });
  assert(demo.status === 0, `bangdai demo failed: ${demo.stderr || demo.error}`);
  const log = fs.openSync(path.join(tmp, 'server.log'), 'a');
  server = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--port-file', portFile, '--db', db, '--web', path.join(ROOT, 'web')], {
    cwd: ROOT,
    stdio: ['ignore', log, log],
  });
  for (let i = 0; i < 200; i++) {
    if (server.exitCode !== null) break;
    const p = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (/^\d+$/.test(p)) return `http://127.0.0.1:${p}`;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server did not start: ${fs.readFileSync(path.join(tmp, 'server.log'), 'utf8').slice(-2000)}`);
}

// A direct API call (no browser), to look up ids the tests need.
async function apiAs(base, login, pathname) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  const { token } = await r.json();
  const res = await fetch(`${base}/api/v1${pathname}`, { headers: { Authorization: `Bearer ${token}` } });
  return res.json();
}

// ---- browser helpers ------------------------------------------------------------------

// A fresh browser context (cookies, storage) per user, with every console
// error, page error and CSP violation collected. A 4xx answer the test
// asked for is expected: Chromium logs those as "Failed to load resource".
async function open(base, { lang } = {}) {
  const context = await browser.newContext({ baseURL: base, viewport: DESKTOP, locale: 'zh-CN' });
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  if (lang) await context.addInitScript((l) => localStorage.setItem('bangdai.lang', l), lang);
  return { context, page, problems };
}

async function login(page, who, { stay } = {}) {
  if (!stay) await page.goto('/#/login');
  await page.locator('form.login-form input[name=login]').fill(who);
  await page.locator('form.login-form input[name=password]').fill(PASSWORD);
  await page.locator('form.login-form button[type=submit]').click();
  await page.locator('.mainnav').waitFor();
}

// Wait until the route has drawn its page (a heading in the view).
async function settled(page) {
  await page.locator('main .view h1').first().waitFor();
}

async function shoot(page, name) {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header stays on top
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SCREENS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(250); // charts resize on a ResizeObserver
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(150);
}

function noProblems(s, who) {
  assert(s.problems.length === 0, `${who}: ${s.problems.length} console errors or CSP violations:\n  ${s.problems.join('\n  ')}`);
}

const rowsOf = (page) => page.locator('main table.data-table tbody tr');

// ---- the tests -----------------------------------------------------------------------------

async function staticChecks() {
  await test('i18n: zh-CN and en have the same keys, and every key the code names exists', async () => {
    const zh = JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/zh-CN.json'), 'utf8'));
    const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/en.json'), 'utf8'));
    const missingEn = Object.keys(zh).filter((k) => !(k in en));
    const missingZh = Object.keys(en).filter((k) => !(k in zh) && !k.startsWith('vocab.'));
    assert(!missingEn.length && !missingZh.length, `missing in en: ${missingEn}; missing in zh-CN: ${missingZh}`);
    const files = [];
    const walk = (d) => {
      for (const f of fs.readdirSync(d, { withFileTypes: true })) {
        if (f.isDirectory() && f.name !== 'vendor') walk(path.join(d, f.name));
        else if (f.name.endsWith('.js')) files.push(path.join(d, f.name));
      }
    };
    walk(path.join(ROOT, 'web'));
    const used = new Set();
    for (const f of files) for (const m of fs.readFileSync(f, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)) used.add(m[1]);
    const unknown = [...used].filter((k) => !(k in zh));
    assert(!unknown.length, `keys used in code but not in zh-CN.json: ${unknown}`);
  });

  await test('no inline script or style anywhere in web/ (the CSP would refuse them)', async () => {
    const html = fs.readFileSync(path.join(ROOT, 'web/index.html'), 'utf8');
    assert(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), 'inline <script> in index.html');
    assert(!/<style|\sstyle=/i.test(html), 'inline style in index.html');
    for (const f of fs.readdirSync(path.join(ROOT, 'web/pages'))) {
      const src = fs.readFileSync(path.join(ROOT, 'web/pages', f), 'utf8');
      assert(!/innerHTML|setAttribute\(\s*'style'|\bstyle:/.test(src), `${f} writes markup or a style attribute`);
    }
  });
}

async function browserTests(base) {
  const lwMentor = (await apiAs(base, 'city_admin', '/mentors?region=640181&limit=1')).items[0];
  const hlMentor = (await apiAs(base, 'city_admin', '/mentors?region=640122&status=active&limit=1')).items[0];

  // -- anonymous
  await test('login page: Chinese by default, wrong password shown next to the password field', async () => {
    const s = await open(base);
    try {
      await s.page.goto('/');
      await s.page.locator('#login-title').waitFor();
      assertEq(await s.page.locator('#login-title').textContent(), '登录', 'login heading');
      assertEq(await s.page.evaluate(() => document.documentElement.lang), 'zh-CN', '<html lang>');
      await shoot(s.page, 'login');
      await s.page.locator('input[name=login]').fill('county_admin');
      await s.page.locator('input[name=password]').fill('not-the-password');
      await s.page.locator('form.login-form button[type=submit]').click();
      const err = s.page.locator('.field[data-field=password] .field-error');
      await err.waitFor();
      assert((await err.textContent()).includes('密码错误'), `password error: ${await err.textContent()}`);
      assertEq(await s.page.locator('input[name=login]').inputValue(), 'county_admin', 'login kept');
      noProblems(s, 'anonymous');
    } finally {
      await s.context.close();
    }
  });

  await test('a page asked for before logging in comes back after login', async () => {
    const s = await open(base);
    try {
      await s.page.goto('/#/organisations');
      await s.page.locator('#login-title').waitFor();
      await login(s.page, 'county_admin', { stay: true });
      await s.page.waitForURL(/#\/organisations$/);
      await settled(s.page);
      assertEq(await s.page.locator('main h1').first().textContent(), '村(社区)党组织', 'heading after login');
    } finally {
      await s.context.close();
    }
  });

  // -- city admin
  await test('city admin: dashboard shows 483 导师, charts, and each chart as a table', async () => {
    const s = await open(base);
    try {
      await login(s.page, 'city_admin');
      await s.page.waitForURL(/#\/dashboard/);
      await settled(s.page);
      const k = s.page.locator('[data-kpi=mentors]');
      assertEq(await k.locator('.kpi-value').textContent(), '483', 'mentors figure');
      assertEq(await k.locator('.kpi-label').textContent(), '导师', 'mentors label');
      assertEq(await s.page.locator('[data-kpi=mentor_orgs] .kpi-value').textContent(), '85', 'mentor organisations');
      await s.page.locator('.chart canvas').first().waitFor();
      const cards = await s.page.locator('.chart-card').count();
      assert(cards >= 8, `chart cards: ${cards}`);
      assertEq(await s.page.locator('.chart-card canvas').count() >= cards, true, 'a canvas per chart');
      assertEq(await s.page.locator('.chart-card details table').count(), cards, 'a table per chart');
      // The source table has the report's 133 veteran cadres.
      const src = s.page.locator('#chart-source details');
      await src.locator('summary').click();
      assert((await src.locator('table').textContent()).includes('老乡镇老先进133'), 'source table row');
      // The county chart names the six county-level units.
      const county = await s.page.locator('#chart-county table').textContent();
      for (const n of ['兴庆区', '金凤区', '西夏区', '永宁县', '贺兰县', '灵武市']) assert(county.includes(n), `county table lacks ${n}`);
      await src.locator('summary').click();
      await shoot(s.page, 'dashboard');
      if (WRITE_DOCS) {
        fs.mkdirSync(DOCS, { recursive: true });
        await s.page.screenshot({ path: path.join(DOCS, 'dashboard.png') });
      }
      // Narrow the scope to one county.
      await s.page.locator('#dash-region').selectOption('640122');
      await s.page.waitForURL(/region=640122/);
      await s.page.waitForFunction(() => document.querySelector('[data-kpi=mentors] .kpi-value')?.textContent === '88');
      noProblems(s, 'city_admin');
    } finally {
      await s.context.close();
    }
  });

  await test('language switch keeps the page and its filters', async () => {
    const s = await open(base);
    try {
      await login(s.page, 'city_admin');
      await s.page.goto('/#/mentors?tier=county');
      await settled(s.page);
      assertEq(await s.page.locator('main h1').textContent(), '导师库', 'zh heading');
      await s.page.locator('.lang-switch').click();
      await s.page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Mentor library');
      assert(s.page.url().endsWith('#/mentors?tier=county'), `url after switch: ${s.page.url()}`);
      assertEq(await s.page.locator('#filter-tier').inputValue(), 'county', 'filter kept');
      assertEq(await s.page.evaluate(() => document.documentElement.lang), 'en', '<html lang>');
      await s.page.reload();
      await settled(s.page);
      assertEq(await s.page.locator('main h1').textContent(), 'Mentor library', 'language remembered');
      await s.page.locator('.lang-switch').click();
      await s.page.waitForFunction(() => document.querySelector('main h1')?.textContent === '导师库');
      noProblems(s, 'city_admin (language)');
    } finally {
      await s.context.close();
    }
  });

  // -- county admin
  const ca = await open(base);
  try {
    await login(ca.page, 'county_admin');

    await test('county admin: the mentor list shows only 贺兰县 mentors', async () => {
      await ca.page.goto('/#/mentors');
      await settled(ca.page);
      assertEq(await ca.page.locator('.page-header .subtitle').textContent(), '共 88 名导师', 'total');
      const rows = rowsOf(ca.page);
      const n = await rows.count();
      assertEq(n, 20, 'rows on the first page');
      const regions = await rows.evaluateAll((trs) => trs.map((tr) => [tr.dataset.region, tr.querySelector('td.region-cell').textContent]));
      for (const [code, label] of regions) {
        assert(code.startsWith('640122'), `row in region ${code}`);
        assert(label.startsWith('贺兰县'), `region label ${label}`);
      }
      await shoot(ca.page, 'mentors');
      if (WRITE_DOCS) {
        fs.mkdirSync(DOCS, { recursive: true });
        await ca.page.setViewportSize(PHONE);
        await ca.page.waitForTimeout(200);
        await ca.page.screenshot({ path: path.join(DOCS, 'mentors-phone.png') });
        await ca.page.setViewportSize(DESKTOP);
      }
      await ca.page.locator('.pager a[rel=next]').click();
      await ca.page.waitForURL(/offset=20/);
      await ca.page.locator('.pager-info', { hasText: '第 2 / 5 页' }).waitFor();
    });

    await test('county admin: searching 賀 (traditional) finds the same mentors as 贺', async () => {
      await ca.page.goto('/#/mentors');
      await settled(ca.page);
      await ca.page.locator('#mentor-q').fill('賀');
      await ca.page.locator('#mentor-q').press('Enter');
      await ca.page.waitForURL(/q=%E8%B3%80/);
      await ca.page.locator('.page-header .subtitle', { hasNotText: '88' }).waitFor();
      const trad = await ca.page.locator('.results').getAttribute('data-total');
      assert(Number(trad) > 0 && Number(trad) < 88, `results for 賀: ${trad}`);
      assertEq(await ca.page.locator('#mentor-q').inputValue(), '賀', 'search box keeps the query');
      await ca.page.goto('/#/mentors?q=贺');
      await settled(ca.page);
      assertEq(await ca.page.locator('.results').getAttribute('data-total'), trad, 'same count for 贺');
    });

    await test('county admin: a 灵武市 mentor\'s page is the forbidden page', async () => {
      await ca.page.goto(`/#/mentors/${lwMentor.id}`);
      await ca.page.locator('.forbidden-page').waitFor();
      assertEq(await ca.page.locator('#forbidden-title').textContent(), '无权访问', 'forbidden heading');
      assert(!(await ca.page.locator('main').textContent()).includes(lwMentor.name), 'the mentor\'s name must not show');
      await shoot(ca.page, 'forbidden');
    });

    await test('county admin: mentor detail, pause needs a reason, then pause and resume', async () => {
      await ca.page.goto(`/#/mentors/${hlMentor.id}`);
      await settled(ca.page);
      assertEq(await ca.page.locator('main h1').textContent(), hlMentor.name, 'name');
      assert((await ca.page.locator('table.data-table').last().textContent()).includes('颁发聘书'), 'history shows the appointment');
      assertEq(await ca.page.locator('.steps li.current').textContent(), '颁发聘书', 'current step');
      await shoot(ca.page, 'mentor-detail');
      await ca.page.locator('button[data-action=pause]').click();
      await ca.page.locator('form.action-form button[type=submit]').click();
      const err = ca.page.locator('form.action-form .field[data-field=reason] .field-error');
      await err.waitFor();
      assert((await err.textContent()).includes('理由'), `reason error: ${await err.textContent()}`);
      await ca.page.locator('form.action-form textarea[name=reason]').fill('外出学习三个月');
      await ca.page.locator('form.action-form button[type=submit]').click();
      await ca.page.locator('.page-actions .badge', { hasText: '暂停' }).waitFor();
      assert((await ca.page.locator('main').textContent()).includes('外出学习三个月'), 'reason in the history');
      await ca.page.locator('button[data-action=resume]').click();
      await ca.page.locator('form.action-form button[type=submit]').click();
      await ca.page.locator('.page-actions .badge', { hasText: '在聘' }).waitFor();
    });

    await test('county admin: nominate with a bad phone shows the error by the field and keeps the input', async () => {
      await ca.page.goto('/#/mentors/new');
      await settled(ca.page);
      const f = ca.page.locator('#nominate-form');
      await f.locator('input[name=name]').fill('贺测试');
      await f.locator('input[name=phone]').fill('12345');
      await f.locator('select[name=region]').selectOption('640122100');
      await f.locator('select[name=tier]').selectOption('township');
      await f.locator('select[name=source]').selectOption('veteran_cadre');
      await f.locator('select[name=team_type]').selectOption('expert');
      await f.locator('input[name=score_political]').fill('88');
      await f.locator('label.check', { hasText: '基层治理' }).click();
      await f.locator('button[type=submit]').click();
      const box = f.locator('.field[data-field=phone]');
      await box.locator('.field-error').waitFor();
      assert((await box.locator('.field-error').textContent()).includes('手机号'), 'phone message');
      assert(await box.evaluate((el) => el.classList.contains('has-error')), 'phone field marked');
      assertEq(await box.locator('input').getAttribute('aria-invalid'), 'true', 'aria-invalid');
      assertEq(await f.locator('.field.has-error').count(), 1, 'only the phone field is marked');
      assertEq(await f.locator('input[name=name]').inputValue(), '贺测试', 'name kept');
      assertEq(await f.locator('input[name=phone]').inputValue(), '12345', 'phone kept');
      assertEq(await f.locator('select[name=source]').inputValue(), 'veteran_cadre', 'source kept');
      assertEq(await f.locator('input[name=score_political]').inputValue(), '88', 'score kept');
      assert(await f.locator('input[name=domains][value=grassroots_governance]').isChecked(), 'domain kept');
      await shoot(ca.page, 'nominate');
      // Corrected, it goes through and lands on the new mentor, nominated.
      await f.locator('input[name=phone]').fill('13912345678');
      await f.locator('button[type=submit]').click();
      await ca.page.waitForURL(/#\/mentors\/\d+$/);
      await settled(ca.page);
      assertEq(await ca.page.locator('main h1').textContent(), '贺测试', 'new mentor');
      await ca.page.locator('.page-actions .badge', { hasText: '已推选' }).waitFor();
      await ca.page.locator('button[data-action=shortlist]').waitFor();
    });

    await test('county admin: bulk view — two nominated mentors shortlisted at once, an active one refused by the server, a reject without reason stopped', async () => {
      const before = await apiAs(base, 'county_admin', '/mentors?status=nominated&limit=20');
      assert(before.items.length >= 2, `nominated mentors to work on: ${before.items.length}`);
      await ca.page.goto('/#/mentors?status=nominated');
      await settled(ca.page);
      const bar = ca.page.locator('form.bulk-bar');
      await bar.waitFor();
      const picks = ca.page.locator('input.bulk-pick');
      assertEq(await picks.count(), before.items.length, 'a box per row');
      // Nothing ticked: nothing sent.
      await bar.locator('button[type=submit]').click();
      await bar.locator('.bulk-alert .notice-danger').waitFor();
      const ids = [];
      for (let i = 0; i < 2; i++) {
        await picks.nth(i).check();
        ids.push(Number(await picks.nth(i).getAttribute('value')));
      }
      // reject needs a reason: refused here, nothing sent.
      await bar.locator('#bulk-action').selectOption('reject');
      await bar.locator('button[type=submit]').click();
      await bar.locator('.bulk-alert .notice-danger').waitFor();
      assertEq(await bar.locator('.bulk-results li').count(), 0, 'no results without a reason');
      await bar.locator('#bulk-action').selectOption('shortlist');
      await bar.locator('button[type=submit]').click();
      await bar.locator('.bulk-alert .notice').waitFor();
      assertEq(await bar.locator('.bulk-results li.bulk-ok').count(), 2, 'both shortlisted');
      for (const id of ids) {
        const m = await apiAs(base, 'county_admin', `/mentors/${id}`);
        assertEq(m.status, 'shortlisted', `mentor ${id} status`);
        assertEq(await ca.page.locator(`tr[data-id="${id}"] td.status-cell`).textContent(), '已初选', `row ${id} badge`);
      }
      await shoot(ca.page, 'mentors-bulk');
      // An active mentor cannot be shortlisted: the server says why, the
      // mentor stays as it was.
      await ca.page.goto('/#/mentors?status=active');
      await settled(ca.page);
      const first = ca.page.locator('input.bulk-pick').first();
      await first.check();
      const id = Number(await first.getAttribute('value'));
      await ca.page.locator('form.bulk-bar #bulk-action').selectOption('shortlist');
      await ca.page.locator('form.bulk-bar button[type=submit]').click();
      await ca.page.locator('.bulk-results li.bulk-refused').waitFor();
      assertEq((await apiAs(base, 'county_admin', `/mentors/${id}`)).status, 'active', 'refused mentor unchanged');
    });

    await test('county admin: organisations, star history and a new rating', async () => {
      await ca.page.goto('/#/organisations');
      await settled(ca.page);
      const codes = await rowsOf(ca.page).evaluateAll((trs) => trs.map((tr) => tr.dataset.region));
      assert(codes.length > 0 && codes.every((c) => c.startsWith('640122')), `organisation regions: ${codes}`);
      await shoot(ca.page, 'organisations');
      await rowsOf(ca.page).first().locator('a').click();
      await ca.page.waitForURL(/#\/organisations\/\d+$/);
      await settled(ca.page);
      const before = await ca.page.locator('main table.data-table tbody tr').count();
      const form = ca.page.locator('#rating-form');
      await form.locator('select[name=stars]').selectOption('4');
      await form.locator('input[name=rated_on]').fill('2026-06-30');
      await form.locator('textarea[name=note]').fill('半年评议');
      await form.locator('button[type=submit]').click();
      await ca.page.waitForFunction((n) => document.querySelectorAll('main table.data-table tbody tr').length === n + 1, before);
      assert((await ca.page.locator('main table.data-table tbody tr').first().textContent()).includes('半年评议'), 'new rating first');
      await shoot(ca.page, 'organisation-detail');
      // A bad star count is refused next to its field.
      await ca.page.locator('#rating-form input[name=rated_on]').fill('');
      await ca.page.locator('#rating-form button[type=submit]').click();
      await ca.page.locator('#rating-form .field.has-error').waitFor();
    });

    await test('county admin: mentees list, detail and the create form\'s field errors', async () => {
      await ca.page.goto('/#/mentees');
      await settled(ca.page);
      const codes = await rowsOf(ca.page).evaluateAll((trs) => trs.map((tr) => tr.dataset.region));
      assert(codes.length > 0 && codes.every((c) => c.startsWith('640122')), 'mentee regions');
      await shoot(ca.page, 'mentees');
      await rowsOf(ca.page).first().locator('a').click();
      await ca.page.waitForURL(/#\/mentees\/\d+$/);
      await settled(ca.page);
      await shoot(ca.page, 'mentee-detail');
      await ca.page.goto('/#/mentees/new');
      await settled(ca.page);
      const f = ca.page.locator('#mentee-form');
      await f.locator('select[name=region]').selectOption('640122100');
      await f.locator('input[name=birth_year]').fill('19x0');
      await f.locator('button[type=submit]').click();
      await f.locator('.field.has-error').waitFor();
      const field = await f.locator('.field.has-error').getAttribute('data-field');
      assert(['name', 'birth_year'].includes(field), `error on ${field}`);
      assertEq(await f.locator('input[name=birth_year]').inputValue(), '19x0', 'input kept');
      // Organisation mentees hide the person fields.
      await f.locator('select[name=kind]').selectOption('org');
      assert(await f.locator('input[name=phone]').isHidden(), 'phone hidden for an organisation');
      await shoot(ca.page, 'mentee-new');
    });

    await test('county admin: follow-up round for a menu run\'s unmatched mentees', async () => {
      const p = ca.page;
      await p.goto('/#/match');
      await settled(p);
      await p.locator('.run-form select[name=method]').selectOption('menu');
      await p.locator('.run-form select[name=region]').selectOption('640122');
      await p.locator('#run-start').click();
      await p.waitForURL(/#\/match\?run=\d+$/);
      const parent = p.locator('.run-view[data-status=proposed]');
      await parent.waitFor();
      const run1 = await parent.getAttribute('data-run');
      const left = await p.locator('li.unmatched').count();
      assert(left > 0, 'the menu run leaves mentees unmatched');
      await p.locator('#run-followup').click();
      await p.locator('.followup-form').waitFor();
      await shoot(p, 'match-followup');
      await p.locator('#followup-start').click();
      const next = p.locator(`.run-view:not([data-run="${run1}"])`);
      await next.waitFor();
      const run2 = await next.getAttribute('data-run');
      const made = await apiAs(base, 'county_admin', `/match/runs/${run2}`);
      assertEq(made.parent, Number(run1), 'parent run');
      assertEq(made.round, 2, 'round');
      assertEq(made.mentees, left, 'the follow-up takes only the unmatched');
      await p.locator(`.run-rounds a[data-run="${run1}"]`).waitFor();
    });

    await test('county admin: matching workbench — run auto for 640122, ban a pair with a reason, re-run without it, approve', async () => {
      const p = ca.page;
      await p.goto('/#/match');
      await settled(p);
      await p.locator('.run-form select[name=method]').selectOption('auto');
      await p.locator('.run-form select[name=region]').selectOption('640122');
      await p.locator('#run-start').click();
      await p.waitForURL(/#\/match\?run=\d+$/);
      await p.locator('.run-view[data-status=proposed] tr.proposal').first().waitFor();
      const first = p.locator('tr.proposal').first();
      assertEq(await first.locator('.why-row').count(), 5, 'principle bars in a proposal');
      const mentee = await first.getAttribute('data-mentee');
      const mentor = await first.getAttribute('data-mentor');
      const run1 = await p.locator('.run-view').getAttribute('data-run');
      await shoot(p, 'match');
      // A ban without a reason: the server's error by the reason field.
      await first.locator('button[data-rule=ban]').click();
      const form = p.locator('form.rule-form[data-kind=ban]');
      await form.locator('button[type=submit]').click();
      await form.locator('.field[data-field=reason].has-error .field-error').waitFor();
      await form.locator('textarea[name=reason]').fill('同一单位上下级，回避');
      await form.locator('button[type=submit]').click();
      await p.waitForURL(/ruled=1/);
      const rule = p.locator(`tr.rule[data-kind=ban][data-mentee="${mentee}"][data-mentor="${mentor}"]`);
      await rule.waitFor();
      assert((await rule.textContent()).includes('同一单位上下级'), 'the ban lists its reason');
      // Re-run: a new run, and the banned pair is gone.
      await p.locator('#run-rerun').click();
      await p.locator(`.run-view[data-status=proposed]:not([data-run="${run1}"])`).waitFor();
      assert((await p.locator('tr.proposal').count()) > 0, 'the re-run proposes pairs');
      assertEq(await p.locator(`tr.proposal[data-mentee="${mentee}"][data-mentor="${mentor}"]`).count(), 0, 'banned pair in the re-run');
      // Approve: the pairings are created.
      const before = (await apiAs(base, 'county_admin', '/pairings?limit=1')).total;
      await p.locator('#run-approve').click();
      await p.locator('.run-view[data-status=approved]').waitFor();
      const after = (await apiAs(base, 'county_admin', '/pairings?limit=1')).total;
      assert(after > before, `pairings before ${before}, after ${after}`);
      assertEq(await p.locator('#run-approve').count(), 0, 'approve button after approval');
    });

    await test('county admin: a pairing page shows its status and members; the due list shows items', async () => {
      const p = ca.page;
      await p.goto('/#/pairings');
      await settled(p);
      assert((await rowsOf(p).count()) > 0, 'pairings listed');
      const pr = await apiAs(base, 'county_admin', '/pairings/1');
      await p.goto('/#/pairings/1');
      await settled(p);
      assertEq(await p.locator('.pairing-status').getAttribute('data-status'), pr.status, 'status');
      assertEq(await p.locator('.pairing-status').textContent(), '帮带中', 'status text');
      assertEq(await p.locator('tr.member').count(), pr.members.length, 'members');
      assert((await p.locator('.pipeline-actions button[data-action]').count()) > 0, 'transition buttons');
      await shoot(p, 'pairing');
      await p.goto('/#/due');
      await settled(p);
      await p.locator('tr.due-item').first().waitFor();
      const due = await apiAs(base, 'county_admin', '/due?limit=100');
      assertEq(await p.locator('tr.due-item').count(), due.items.length, 'due items (first page)');
      assertEq(await p.locator('.pager').count(), due.total > 100 ? 1 : 0, 'pager when the list is longer than a page');
      if (due.total > 100) {
        await p.locator('.pager a[rel=next]').click();
        await settled(p);
        const page2 = await apiAs(base, 'county_admin', '/due?limit=100&offset=100');
        assertEq(await p.locator('tr.due-item').count(), page2.items.length, 'due items (second page)');
        assertEq(await p.locator('tr.due-item').first().getAttribute('data-code'), page2.items[0].code, 'second page starts where the API does');
      }
      await shoot(p, 'due');
    });

    await test('county admin: the due list exports, a mentee\'s growth archive shows and downloads as a PDF', async () => {
      const p = ca.page;
      await p.goto('/#/due');
      await settled(p);
      await p.locator('tr.due-item').first().waitFor();
      const [xl] = await Promise.all([p.waitForEvent('download'), p.locator('.export-buttons[data-kind=due] a[data-format=xlsx]').click()]);
      const xbytes = fs.readFileSync(await xl.path());
      assertEq(xbytes.subarray(0, 2).toString('latin1'), 'PK', 'due export is an .xlsx (zip)');
      // From the pairing page's member row to the mentee's archive.
      const pr = await apiAs(base, 'county_admin', '/pairings/1');
      const mentee = pr.members.find((m) => m.side === 'mentee');
      await p.goto('/#/pairings/1');
      await settled(p);
      await p.locator(`tr.member[data-side=mentee][data-id="${mentee.id}"] a.archive-link`).click();
      await p.waitForURL(new RegExp(`#/mentees/${mentee.id}/archive$`));
      await settled(p);
      assert((await p.locator('main h1').textContent()).includes(mentee.name), 'archive heading names the mentee');
      await p.locator('.archive-pairing[data-pairing="1"]').waitFor();
      await shoot(p, 'archive');
      const [dl] = await Promise.all([p.waitForEvent('download'), p.locator('#archive-pdf').click()]);
      const bytes = fs.readFileSync(await dl.path());
      assertEq(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'archive download header');
      assert(bytes.length > 20_000, `archive PDF is ${bytes.length} bytes`);
      assert(dl.suggestedFilename().endsWith('.pdf'), `file name ${dl.suggestedFilename()}`);
    });

    await test('county admin: plan generated and approved; an evaluation with a bad score is refused by the field, then saved', async () => {
      const p = ca.page;
      await p.goto('/#/pairings/1');
      await settled(p);
      const year = new Date().getUTCFullYear();
      await p.locator('#plan-generate').click();
      await p.locator('#plan-generate-form button[type=submit]').click();
      const draft = p.locator('.plan[data-status=draft]');
      await draft.waitFor();
      assert((await draft.locator('tr.plan-item').count()) > 0, 'the draft has items');
      assert((await draft.textContent()).includes(String(year)), 'the draft is this year\'s');
      // Edit: one more duty, with a missing date refused on its own row.
      const planId = await draft.getAttribute('data-id');
      await p.locator(`#plan-edit-${planId}`).click();
      const form = p.locator(`#plan-form-${planId}`);
      const n = await form.locator('.plan-row').count();
      await form.locator('#plan-add-item').click();
      await form.locator('.plan-row').nth(n).locator('input[name=title]').fill('组织一次村级议事协商示范');
      await form.locator('button[type=submit]').click();
      await form.locator(`.field[data-field="items[${n}].due"].has-error`).waitFor();
      assertEq(await form.locator('.plan-row').nth(n).locator('input[name=title]').inputValue(), '组织一次村级议事协商示范', 'title kept');
      await form.locator('.plan-row').nth(n).locator('input[name=due]').fill(`${year}-12-20`);
      await form.locator('button[type=submit]').click();
      await p.locator('.plan[data-status=draft] tr.plan-item', { hasText: '组织一次村级议事协商示范' }).waitFor();
      await p.locator(`#plan-approve-${planId}`).click();
      await p.locator(`.plan[data-id="${planId}"][data-status=approved]`).waitFor();
      // An evaluation: 150 is out of range, shown by the score field.
      await p.locator('#evaluation-new').click();
      const ev = p.locator('#evaluation-form');
      await ev.locator('select[name=kind]').selectOption('monthly');
      await ev.locator('input[name=period]').fill(`${year}-11`);
      await ev.locator('input[name=score]').fill('150');
      await ev.locator('textarea[name=comment]').fill('按月了解，进步明显');
      await ev.locator('button[type=submit]').click();
      await ev.locator('.field[data-field=score].has-error .field-error').waitFor();
      assert((await ev.locator('.field[data-field=score] .field-error').textContent()).includes('超出范围'), 'score message');
      assertEq(await ev.locator('textarea[name=comment]').inputValue(), '按月了解，进步明显', 'comment kept');
      assertEq(await ev.locator('input[name=period]').inputValue(), `${year}-11`, 'period kept');
      await ev.locator('input[name=score]').fill('88');
      await ev.locator('button[type=submit]').click();
      await p.locator('tr.evaluation', { hasText: '按月了解，进步明显' }).waitFor();
    });

    await test('county admin: confirm both sides, the ceremony (a missing place refused by its field), then the agreement PDF', async () => {
      const p = ca.page;
      const prop = (await apiAs(base, 'county_admin', '/pairings?status=proposed&limit=1')).items[0];
      await p.goto(`/#/pairings/${prop.id}`);
      await settled(p);
      for (let i = 0; i < 2 && (await p.locator('.pairing-status').getAttribute('data-status')) === 'proposed'; i++) {
        await p.locator('.pipeline-actions button[data-action=confirm]').click();
        const f = p.locator('form.action-form[data-action=confirm]');
        await f.locator('select[name=side]').waitFor(); // an admin names the side
        await f.locator('button[type=submit]').click();
        await f.waitFor({ state: 'detached' }); // the page is drawn again
        await settled(p);
      }
      await p.locator('.pairing-status[data-status=confirmed]').waitFor();
      await p.locator('.pipeline-actions button[data-action=ceremony]').click();
      const f = p.locator('form.action-form[data-action=ceremony]');
      const day = new Date().toISOString().slice(0, 10);
      await f.locator('input[name=date]').fill(day);
      await f.locator('button[type=submit]').click();
      await f.locator('.field[data-field=place].has-error .field-error').waitFor();
      assertEq(await f.locator('input[name=date]').inputValue(), day, 'date kept');
      await f.locator('input[name=place]').fill('县委党校报告厅');
      await f.locator('button[type=submit]').click();
      await p.locator('.pairing-status[data-status=ceremony]').waitFor();
      assert((await p.locator('.facts').first().textContent()).includes('县委党校报告厅'), 'ceremony place shown');
      const res = await p.request.get(await p.locator('#agreement-pdf').getAttribute('href'));
      assertEq((await res.body()).subarray(0, 5).toString('latin1'), '%PDF-', 'agreement PDF');
    });

    await test('county admin: import — a dry run shows the bad row and column, the error file, a refused commit, then the fixed file imports', async () => {
      const p = ca.page;
      await p.goto('/#/import');
      await settled(p);
      await p.locator('#import-form select[name=kind]').selectOption('organisations');
      const bad = '组织名称,所属地区\n导入测试一村党支部,640122100201\n导入测试二村党支部,999999\n';
      await p.locator('#import-form input[name=file]').setInputFiles({ name: 'orgs.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      await p.locator('#import-check').click();
      await p.locator('.import-report[data-state=errors]').waitFor();
      const err = p.locator('tr.import-error');
      assertEq(await err.count(), 1, 'one bad row');
      assertEq(await err.getAttribute('data-row'), '3', 'bad row number');
      assertEq(await err.getAttribute('data-column'), '2', 'bad column number');
      assert((await err.textContent()).includes('所属地区'), 'the column header is named');
      await shoot(p, 'import');
      const [dl] = await Promise.all([p.waitForEvent('download'), p.locator('#import-errors-csv').click()]);
      const csv = fs.readFileSync(await dl.path(), 'utf8');
      assert(csv.includes('999999') && csv.includes('没有这个地区'), `error file: ${csv}`);
      // Importing anyway: refused, nothing imported.
      await p.locator('#import-commit').click();
      await p.locator('.import-report[data-state=refused]').waitFor();
      const none = await apiAs(base, 'county_admin', `/organisations?q=${encodeURIComponent('导入测试')}`);
      assertEq(none.total, 0, 'nothing imported after the refusal');
      // The corrected file: clean dry run, then it imports.
      await p.locator('#import-form input[name=file]').setInputFiles({ name: 'orgs.csv', mimeType: 'text/csv', buffer: Buffer.from(bad.replace('999999', '640122100202')) });
      await p.locator('#import-check').click();
      await p.locator('.import-report[data-state=clean]').waitFor();
      await p.locator('#import-commit').click();
      await p.locator('.import-report[data-state=committed]').waitFor();
      const two = await apiAs(base, 'county_admin', `/organisations?q=${encodeURIComponent('导入测试')}`);
      assertEq(two.total, 2, 'both rows imported');
    });

    await test('county admin: a mentee graduates into the library; the lineage pages show who trained whom', async () => {
      const p = ca.page;
      const list = await apiAs(base, 'county_admin', '/pairings?status=active&limit=20');
      const pr = list.items.find((x) => x.id !== 1 && x.mentors.length === 1 && x.mentees.length === 1);
      const full = await apiAs(base, 'county_admin', `/pairings/${pr.id}`);
      const mentor = full.members.find((m) => m.side === 'mentor');
      const mentee = full.members.find((m) => m.side === 'mentee');
      await p.goto(`/#/mentees/${mentee.id}`);
      await settled(p);
      const g = p.locator('#graduate-form');
      await g.locator('button[type=submit]').click();
      await g.locator('.field[data-field=source].has-error').waitFor();
      await g.locator('select[name=source]').selectOption({ index: 1 });
      await g.locator('button[type=submit]').click();
      await p.waitForURL(/#\/mentors\/\d+$/);
      await settled(p);
      const newMentor = Number(p.url().split('/').pop());
      assertEq(await p.locator('main h1').textContent(), mentee.name, 'the new mentor is the mentee');
      // The trainer's lineage: the mentee, now a mentor.
      await p.goto(`/#/mentors/${mentor.id}/lineage`);
      await settled(p);
      const node = p.locator(`li.trainee[data-mentee="${mentee.id}"]`);
      await node.waitFor();
      assert((await node.textContent()).includes(mentee.name), 'trainee named');
      assertEq(await node.locator('a.became-mentor').getAttribute('href'), `#/mentors/${newMentor}/lineage`, 'became a mentor');
      await shoot(p, 'lineage');
      // And up again from the new mentor.
      await node.locator('a.became-mentor').click();
      await p.waitForURL(new RegExp(`#/mentors/${newMentor}/lineage$`));
      await p.locator('li.ancestor', { hasText: mentor.name }).waitFor();
    });

    await test('county admin: no console errors or CSP violations', async () => noProblems(ca, 'county_admin'));
  } finally {
    await ca.context.close();
  }

  // -- township admin
  await test('township admin: mentors only from 习岗镇', async () => {
    const s = await open(base);
    try {
      await login(s.page, 'township_admin');
      await s.page.goto('/#/mentors');
      await settled(s.page);
      const codes = await rowsOf(s.page).evaluateAll((trs) => trs.map((tr) => tr.dataset.region));
      assert(codes.length > 0 && codes.every((c) => c.startsWith('640122100')), `regions: ${codes}`);
      noProblems(s, 'township_admin');
    } finally {
      await s.context.close();
    }
  });

  // -- mentee
  await test('mentee: sees its county\'s menu with 34 mentors', async () => {
    const s = await open(base);
    try {
      await login(s.page, 'mentee');
      await s.page.waitForURL(/#\/menus\/\d+$/);
      await settled(s.page);
      await s.page.locator('.mentor-card').first().waitFor();
      assertEq(await s.page.locator('.mentor-card').count(), 34, 'mentor cards');
      assert((await s.page.locator('.page-header .subtitle').textContent()).includes('贺兰县'), 'county in the subtitle');
      assert((await s.page.locator('.page-header .subtitle').textContent()).includes('34'), '34 in the subtitle');
      const nav = await s.page.locator('.mainnav a').evaluateAll((as) => as.map((a) => a.dataset.nav));
      assert(!nav.includes('dashboard') && nav.includes('menus') && nav.includes('my_mentee'), `mentee nav: ${nav}`);
      await shoot(s.page, 'menu');
      // Filter by a domain: fewer cards, all with that domain.
      const sel = s.page.locator('#menu-domain');
      const first = await sel.locator('option').nth(1).getAttribute('value');
      await sel.selectOption(first);
      const n = await s.page.locator('.mentor-card').count();
      assert(n > 0 && n < 34, `filtered cards: ${n}`);
      await s.page.goto('/#/dashboard');
      await s.page.locator('.forbidden-page').waitFor();
      await s.page.locator('.mainnav a[data-nav=my_mentee]').click();
      await settled(s.page);
      assertEq(await s.page.locator('.page-header .subtitle').textContent(), '我的档案', 'own record');
      assert(!/\bnull\b|undefined/.test(await s.page.locator('main').innerText()), 'no "null" drawn from an optional part');
      await s.page.locator('a.archive-link').click();
      await s.page.waitForURL(/#\/mentees\/\d+\/archive$/);
      await s.page.locator('#archive-pdf').waitFor();
      noProblems(s, 'mentee');
    } finally {
      await s.context.close();
    }
  });

  await test('mentee: ranks 2 mentors of the menu, reloads and sees them in order', async () => {
    const s = await open(base);
    try {
      const p = s.page;
      await login(p, 'mentee');
      await p.waitForURL(/#\/menus\/\d+$/);
      await p.locator('.mentor-card .choose-btn').first().waitFor();
      const names = await p.locator('.mentor-card h3').evaluateAll((hs) => hs.slice(0, 2).map((x) => x.textContent));
      await p.locator('.mentor-card .choose-btn').nth(0).click();
      await p.locator('.mentor-card .choose-btn').nth(1).click();
      assertEq(await p.locator('#choice-list li.choice').count(), 2, 'picked');
      // Put the second first.
      await p.locator('#choice-list li.choice').nth(1).locator('button[data-act=up]').click();
      await p.locator('#choices-save').click();
      await p.locator('.choice-status', { hasText: '已保存 2 个志愿' }).waitFor();
      await p.reload();
      await p.locator('#choice-list li.choice').first().waitFor();
      const saved = await p.locator('#choice-list .choice-name').allTextContents();
      assertEq(JSON.stringify(saved), JSON.stringify([names[1], names[0]]), 'saved choices after reload');
      assertEq(await p.locator('.choice-status').textContent(), '已保存 2 个志愿', 'saved status');
      await shoot(p, 'menu-choices');
      noProblems(s, 'mentee (choices)');
    } finally {
      await s.context.close();
    }
  });

  // -- mentor
  await test('mentor: lands on its own record, without pipeline buttons', async () => {
    const s = await open(base);
    try {
      await login(s.page, 'mentor');
      await s.page.waitForURL(/#\/mentors\/\d+$/);
      await settled(s.page);
      assertEq(await s.page.locator('.pipeline-actions').count(), 0, 'pipeline actions');
      assertEq(await s.page.locator('.mainnav a.active').getAttribute('data-nav'), 'my_mentor', 'active nav');
      // Its appointment letter downloads as a PDF (the session cookie).
      const href = await s.page.locator('#letter-pdf').getAttribute('href');
      const res = await s.page.request.get(href);
      assertEq(res.status(), 200, 'letter status');
      const body = await res.body();
      assertEq(body.subarray(0, 5).toString('latin1'), '%PDF-', 'letter header');
      noProblems(s, 'mentor');
    } finally {
      await s.context.close();
    }
  });

  await test('mentor: records an activity (a future date refused by the field, input kept) and a work log, edits the log; all there after reload', async () => {
    const s = await open(base);
    try {
      const p = s.page;
      await login(p, 'mentor');
      await p.waitForURL(/#\/mentors\/\d+$/);
      await p.goto('/#/pairings/1');
      await settled(p);
      assertEq(await p.locator('.pipeline-actions button[data-action]').count(), 0, 'admin-only steps offered to a mentor');
      // The header's shortcut opens the form far down the page.
      await p.locator('.page-actions button[data-jump=activity-form]').click();
      const f = p.locator('#activity-form');
      await f.waitFor();
      const types = await f.locator('select[name=type] option:not([value=""])').evaluateAll((os) => os.map((o) => o.value));
      const settings = await apiAs(base, 'mentor', '/life/settings');
      assertEq(JSON.stringify(types), JSON.stringify(settings.activity_types.map((x) => x.code)), 'the ten activity types');
      assertEq(types.length, 10, 'ten types');
      await f.locator('select[name=type]').selectOption('practice_classroom');
      await f.locator('input[name=date]').fill('2099-01-01');
      await f.locator('input[name=title]').fill('实践课堂：矛盾纠纷调处');
      await f.locator('input[name=place]').fill('桃林村党群服务中心');
      await f.locator('input[name=trained]').fill('12');
      await f.locator('input[name=participants]').fill('王兴、村两委成员');
      await f.locator('textarea[name=summary]').fill('以案说法，现场演练调解流程。');
      await f.locator('button[type=submit]').click();
      await f.locator('.field[data-field=date].has-error .field-error').waitFor();
      assert((await f.locator('.field[data-field=date] .field-error').textContent()).includes('不能晚于今天'), 'date message');
      assertEq(await f.locator('.field.has-error').count(), 1, 'only the date is marked');
      assertEq(await f.locator('input[name=title]').inputValue(), '实践课堂：矛盾纠纷调处', 'title kept');
      assertEq(await f.locator('input[name=trained]').inputValue(), '12', 'head count kept');
      assertEq(await f.locator('select[name=type]').inputValue(), 'practice_classroom', 'type kept');
      await shoot(p, 'pairing-activity-form');
      if (WRITE_DOCS) {
        fs.mkdirSync(DOCS, { recursive: true });
        await p.setViewportSize(PHONE);
        await f.locator('.field[data-field=date]').scrollIntoViewIfNeeded();
        await p.evaluate(() => window.scrollBy(0, -120)); // the form's top under the sticky header
        await p.waitForTimeout(200);
        await p.screenshot({ path: path.join(DOCS, 'activity-phone.png') });
        await p.setViewportSize(DESKTOP);
      }
      const day = new Date().toISOString().slice(0, 10);
      await f.locator('input[name=date]').fill(day);
      await f.locator('button[type=submit]').click();
      await p.locator('tr.activity[data-type=practice_classroom]', { hasText: '实践课堂：矛盾纠纷调处' }).waitFor();
      // A work log, then an edit of it.
      await p.locator('#log-new').click();
      await p.locator('#log-form textarea[name=content]').fill('今天与王兴一起调处了一起宅基地纠纷。');
      await p.locator('#log-form button[type=submit]').click();
      const row = p.locator('tr.log', { hasText: '宅基地纠纷' });
      await row.waitFor();
      await row.locator('button.log-edit').click();
      await p.locator('#log-edit-form textarea[name=content]').fill('今天与王兴一起调处了一起宅基地纠纷，双方签了调解协议。');
      await p.locator('#log-edit-form button[type=submit]').click();
      await p.locator('tr.log', { hasText: '签了调解协议' }).waitFor();
      // Someone else's log has no edit button.
      const other = p.locator('tr.log[data-side=mentee]').first();
      assertEq(await other.locator('button.log-edit').count(), 0, 'mentee\'s log is not editable by the mentor');
      await p.reload();
      await settled(p);
      await p.locator('tr.activity', { hasText: '实践课堂：矛盾纠纷调处' }).waitFor();
      assert((await p.locator('tr.activity', { hasText: '实践课堂：矛盾纠纷调处' }).textContent()).includes('12'), 'head count shown');
      await p.locator('tr.log', { hasText: '签了调解协议' }).waitFor();
      assertEq(await p.locator('tr.log', { hasText: '宅基地纠纷' }).count(), 1, 'one log, edited in place');
      await shoot(p, 'pairing-mentor');
      noProblems(s, 'mentor (activity and log)');
    } finally {
      await s.context.close();
    }
  });

  // -- auditor
  await test('auditor: reads the dashboard and masked mentors, cannot nominate', async () => {
    const s = await open(base);
    try {
      await login(s.page, 'auditor');
      await s.page.waitForURL(/#\/dashboard/);
      await settled(s.page);
      const stats = await apiAs(base, 'auditor', '/stats');
      assertEq(await s.page.locator('[data-kpi=mentors] .kpi-value').textContent(), String(stats.mentors.total), 'mentors figure');
      await s.page.goto('/#/mentors');
      await settled(s.page);
      assertEq(await s.page.locator('a[href="#/mentors/new"]').count(), 0, 'nominate button');
      await rowsOf(s.page).first().locator('a').click();
      await settled(s.page);
      assert((await s.page.locator('.facts').first().textContent()).includes('****'), 'phone masked');
      assertEq(await s.page.locator('.pipeline-actions').count(), 0, 'pipeline actions');
      await s.page.goto('/#/mentors/new');
      await s.page.locator('.forbidden-page').waitFor();
      // Logging out leaves nothing behind.
      await s.page.locator('.topbar button', { hasText: '退出登录' }).click();
      await s.page.locator('#login-title').waitFor();
      await s.page.goto('/#/mentors');
      await s.page.locator('#login-title').waitFor();
      noProblems(s, 'auditor');
    } finally {
      await s.context.close();
    }
  });
}

// ---- main ------------------------------------------------------------------------------

try {
  await staticChecks();
  {
    let base;
    await test('server starts on a fresh demo database', async () => {
      base = await startServer();
    }, { setup: true });
    if (base) {
      await test('chromium starts (Debian\'s, headless)', async () => {
        assert(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing (scripts/deps installs chromium)`);
        browser = await chromium.launch({
          executablePath: CHROMIUM,
          headless: true,
          timeout: 20_000,
          // Playwright gives the browser a fresh, empty --user-data-dir.
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
      }, { setup: true });
      if (browser) await browserTests(base);
    }
  }
} catch (e) {
  results.push({ name: 'harness', ok: false });
  console.log(`[FAIL] harness: ${(e && e.stack) || e}`);
}
await cleanup();
finish(0);
