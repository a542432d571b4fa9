// The inspector page's stylesheet and script, served from /_mock/ui/app.css and /_mock/ui/app.js
// (same origin, so the page's Content-Security-Policy allows nothing else). Kept here as text so
// the build ships them in dist/ with no copy step and no bundler. Plain ES2020, no framework.
import { createHash } from 'node:crypto'

export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #fbfbfc; --fg: #16181d; --muted: #5b6170; --card: #ffffff; --line: #d9dce3;
  --accent: #2a55c9; --accent-fg: #ffffff; --code: #f1f3f7;
  --good: #17663a; --good-bg: #e3f5ea; --bad: #a3141c; --bad-bg: #fde7e8;
  --warn: #7a4a00; --warn-bg: #fff1d6; --focus: #f0a800;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121418; --fg: #e7e9ee; --muted: #a3a9b7; --card: #1b1e24; --line: #343944;
    --accent: #8fb0ff; --accent-fg: #0b1020; --code: #23272f;
    --good: #7ee2a4; --good-bg: #13301f; --bad: #ff9a9f; --bad-bg: #3a1518;
    --warn: #ffd27a; --warn-bg: #3a2a0c; --focus: #ffcc4d;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem; }
.skip:focus { left: .5rem; z-index: 2; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .6rem 1.25rem;
  background: var(--card); border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; text-decoration: none; color: var(--fg); }
.brand span { color: var(--muted); font-weight: 500; }
.clock { flex: 1; min-width: 18rem; }
.live { font-size: .85rem; color: var(--muted); }
.live[data-state="on"]::before { content: "● "; color: var(--good); }
.live[data-state="off"]::before { content: "○ "; }
nav.tabs ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: 0; padding: .5rem 1.25rem 0;
  border-bottom: 1px solid var(--line); }
nav.tabs a { display: block; padding: .4rem .75rem; text-decoration: none; border-radius: 6px 6px 0 0; color: var(--fg); }
nav.tabs a[aria-current="page"] { background: var(--card); border: 1px solid var(--line); border-bottom-color: var(--card);
  margin-bottom: -1px; font-weight: 600; }
main { max-width: 1280px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
footer { max-width: 1280px; margin: 0 auto; padding: 1rem 1.25rem; color: var(--muted); font-size: .85rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; word-break: break-all; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .35rem; }
.cards { margin-top: 1.5rem; display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: 1rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .25rem 1rem 1rem; margin: 0 0 1rem; }
.card.created { border-color: var(--good); margin-top: 1rem; }
.cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 0 1.5rem; }
form label { display: block; margin: .5rem 0; font-size: .9rem; color: var(--muted); }
form label.check { display: flex; gap: .4rem; align-items: center; }
input, select, textarea, button { font: inherit; color: var(--fg); }
input:not([type="checkbox"]), select, textarea { display: block; width: 100%; margin-top: .2rem; padding: .35rem .5rem;
  background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
input[readonly], textarea[readonly], pre, code, .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .85rem; }
button { padding: .4rem .85rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent);
  color: var(--accent-fg); cursor: pointer; }
button[type="button"] { background: var(--card); color: var(--accent); }
button[aria-busy="true"] { opacity: .6; }
.buttons { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
form.filters, form.inline { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; }
form.filters label, form.inline label { margin: 0; }
form.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 0 1rem; align-items: end; }
.jwtform button { margin-top: .5rem; }
.copy { display: grid; grid-template-columns: 1fr auto; gap: .2rem .5rem; margin: .5rem 0; align-items: end; }
.copy label { grid-column: 1 / -1; font-size: .9rem; color: var(--muted); }
.copy input, .copy textarea { margin: 0; word-break: break-all; }
.scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; background: var(--card); font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .4rem .55rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); white-space: nowrap; }
td.num { text-align: right; }
code.id { background: var(--code); padding: 0 .25rem; border-radius: 4px; word-break: break-all; }
pre { background: var(--code); padding: .6rem; border-radius: 6px; overflow: auto; max-height: 24rem; margin: .25rem 0; }
.sub, .rel, .why, .hint { color: var(--muted); font-size: .85rem; }
.why { min-width: 11rem; max-width: 20rem; }
td.wide { min-width: 11rem; }
time, .t { white-space: nowrap; }
.jump { margin-top: -.5rem; }
.empty { color: var(--muted); font-style: italic; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .8rem; font-weight: 600;
  border: 1px solid currentColor; }
.s-active, .s-running { color: var(--good); background: var(--good-bg); }
.s-expired, .s-previous, .s-frozen { color: var(--warn); background: var(--warn-bg); }
.s-revoked, .s-retired { color: var(--bad); background: var(--bad-bg); }
p.state { padding: .5rem .75rem; border-radius: 6px; }
.st.good { color: var(--good); } .st.bad { color: var(--bad); font-weight: 600; }
.flash { min-height: 1.4em; margin: 0 0 .5rem; }
.flash.good { color: var(--good); } .flash.bad { color: var(--bad); font-weight: 600; }
.counts a, .counts strong { margin-right: .75rem; }
.pager { display: flex; justify-content: space-between; padding: .5rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 1rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; word-break: break-all; }
ol.story { padding-left: 1.25rem; }
ol.story li { margin: .3rem 0; }
ol.story li.ending { font-weight: 600; }
.ends { color: var(--bad); }
.verdict { padding: .6rem .8rem; border-radius: 6px; border: 1px solid currentColor; }
.verdict.good { color: var(--good); background: var(--good-bg); }
.verdict.bad { color: var(--bad); background: var(--bad-bg); }
ul.checks { list-style: none; padding: 0; }
ul.checks li { margin: .35rem 0; padding-left: 1.6rem; position: relative; }
ul.checks .mark { position: absolute; left: 0; width: 1.2rem; text-align: center; font-weight: 700; border-radius: 4px; }
.r-ok .mark { color: var(--good); } .r-fail .mark { color: var(--bad); } .r-warn .mark { color: var(--warn); }
.r-info .mark { color: var(--muted); }
`

// Plain ES2020 in a string: no backticks and no template placeholders inside.
export const SCRIPT = String.raw`'use strict';
(() => {
  const live = document.getElementById('live');
  const flash = document.getElementById('flash');
  const say = (text, bad) => {
    flash.textContent = text;
    flash.className = bad ? 'flash bad' : 'flash good';
  };

  // Actions: forms and buttons with data-api="METHOD /path" call the /_mock API, then refresh.
  const read = (el) => {
    const type = el.dataset.type;
    if (type === 'bool') return el.checked || undefined;
    const v = el.value.trim();
    if (v === '') return undefined;
    if (type === 'int') return Number(v);
    if (type === 'json') return JSON.parse(v);
    return v;
  };
  const formBody = (form) => {
    const body = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      let v;
      try { v = read(el); } catch (e) { throw new Error(el.name + ': ' + e.message); }
      if (v === undefined) continue;
      const path = el.name.split('.');
      let target = body;
      for (const key of path.slice(0, -1)) target = target[key] = target[key] || {};
      target[path[path.length - 1]] = v;
    }
    return body;
  };
  const call = async (method, path, body) => {
    const init = { method, headers: {}, credentials: 'same-origin' };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    const json = await res.json().catch(() => ({}));
    if (!res.ok)
      throw new Error(res.status + ' ' + (json.error_type || '') + (json.error_message ? ': ' + json.error_message : ''));
    return json;
  };
  const act = async (el, body) => {
    if (el.dataset.confirm && !window.confirm(el.dataset.confirm)) return;
    const [method, path] = el.dataset.api.split(' ');
    el.setAttribute('aria-busy', 'true');
    try {
      const json = await call(method, path, body);
      say(el.dataset.done || 'Done.');
      if (el.dataset.then === 'created') created(json);
      await refresh();
    } catch (e) {
      say(e.message, true);
    } finally {
      el.removeAttribute('aria-busy');
    }
  };
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (!form.dataset.api) return;
    e.preventDefault();
    let body;
    try { body = formBody(form); } catch (err) { return say(err.message, true); }
    act(form, body);
  });
  document.addEventListener('click', (e) => {
    const el = e.target.closest('button');
    if (!el) return;
    if (el.dataset.copy) copy(el);
    else if (el.dataset.api && !el.form) act(el, el.dataset.body ? JSON.parse(el.dataset.body) : undefined);
  });

  const copy = (button) => {
    const field = document.getElementById(button.dataset.copy);
    field.select();
    const manual = () => say('Selected: press Ctrl+C (or Cmd+C) to copy.');
    if (!navigator.clipboard || !window.isSecureContext) return manual();
    navigator.clipboard.writeText(field.value).then(() => say('Copied ' + button.dataset.copy.replace(/^[a-z]-/, '') + '.'), manual);
  };

  // The answer of POST /_mock/sessions or /_mock/b2b/sessions: its token, JWT and snippets.
  const created = (json) => {
    const panel = document.getElementById('created');
    if (!panel) return;
    const member = json.member_session;
    const id = member ? member.member_session_id : json.session.session_id;
    const token = json.session_token;
    const jwt = json.session_jwt;
    const q = JSON.stringify;
    panel.querySelector('[data-k="link"]').href = '/_mock/ui?session=' + encodeURIComponent(id);
    panel.querySelector('[data-k="session_id"]').textContent = id;
    panel.querySelector('[data-k="who"]').textContent = member
      ? json.member.email_address + ' in ' + json.organization.organization_slug
      : ((json.user.emails[0] || {}).email || json.user.user_id);
    const set = (id, v) => { document.getElementById(id).value = v; };
    set('c-token', token);
    set('c-jwt', jwt);
    set('c-cookie', 'Cookie: stytch_session=' + token + '; stytch_session_jwt=' + jwt);
    set('c-document', 'document.cookie = ' + q('stytch_session=' + token + '; path=/') + ';\ndocument.cookie = ' + q('stytch_session_jwt=' + jwt + '; path=/') + ';');
    set('c-update', 'stytch.session.updateSession({ session_token: ' + q(token) + ', session_jwt: ' + q(jwt) + ' });');
    panel.hidden = false;
    panel.querySelector('h2').focus();
  };

  // Live regions: /_mock/ui/live renders the same regions for this address; changed ones swap in.
  const last = {};
  const refresh = async () => {
    const res = await fetch('/_mock/ui/live' + location.search, { credentials: 'same-origin' });
    if (!res.ok) throw new Error('live ' + res.status);
    const { regions } = await res.json();
    for (const [name, html] of Object.entries(regions)) {
      const el = document.querySelector('[data-region="' + name + '"]');
      if (!el || last[name] === html) continue;
      const selection = window.getSelection();
      // Never pull text out from under a reader selecting it to copy.
      if (selection && !selection.isCollapsed && el.contains(selection.anchorNode)) continue;
      const active = document.activeElement;
      const key = active && el.contains(active) ? active.dataset.key || active.id : '';
      el.innerHTML = html;
      last[name] = html;
      if (key) {
        const again = el.querySelector('[data-key="' + key + '"]') || document.getElementById(key);
        if (again) again.focus();
      }
    }
  };
  let timer;
  let failures = 0;
  const loop = () => {
    clearTimeout(timer);
    if (document.hidden) return;
    refresh().then(
      () => { failures = 0; live.dataset.state = 'on'; live.textContent = 'live'; },
      () => { failures++; live.dataset.state = 'off'; live.textContent = 'offline, retrying'; },
    ).then(() => { timer = setTimeout(loop, failures ? 3000 : 1000); });
  };
  document.addEventListener('visibilitychange', loop);
  loop();
})();
`

/** Changes whenever the assets do: the page asks for app.js?v=..., so a stale copy is never used. */
export const ASSET_VERSION = createHash('sha256')
  .update(STYLE)
  .update(SCRIPT)
  .digest('hex')
  .slice(0, 12)
