// Institution staff's pages: setting the password from a link, sign-in, the spreadsheet
// upload with every bad row named, the list of records with voiding, the classes with the
// subsidy claim of a completed one, and the workers' disputes.
import { api, session, el, fill, problem, notice, facts, when, wireSignIn, trainingTypes, results } from './common.js';
import { wireCheckinScreen } from './orgclass.js';
import { wireVoucherDesk } from './orgvoucher.js';
import { wireClaims } from './orgclaim.js';
import { wireDisputes } from './orgdispute.js';

const sess = session('org');

// A set-password link carries its token in the fragment: take it and drop it from the
// address bar and history at once.
let setToken = null;
const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
if (m) {
  setToken = decodeURIComponent(m[1]);
  history.replaceState(null, '', location.pathname);
  document.getElementById('setpw').hidden = false;
}

document.getElementById('setpw-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const r = await api('POST', '/api/v1/auth/set-password', { body: { token: setToken, password: String(f.get('password')) } });
  if (!r.ok) { fill('setpw-msg', problem(r)); return; }
  ev.target.reset();
  setToken = null;
  fill('setpw-msg', notice('密码已设置，请用用户名和新密码登录'));
});

document.getElementById('upload-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const file = document.getElementById('up-file').files[0];
  if (!file) return;
  const body = new FormData();
  body.append('file', file, file.name);
  fill('upload-msg', el('p', { role: 'status' }, '正在校验…'));
  const r = await api('POST', '/api/v1/trainings/batch', { token: sess.get(), body });
  if (r.status === 401) { sess.clear(); start(); return; }
  if (!r.ok) {
    const errors = (r.data && r.data.errors) || [];
    fill('upload-msg', el('div', { class: 'error', role: 'alert' },
      el('p', {}, (r.data && r.data.detail) || '文件未通过校验'),
      el('p', {}, '以下 ' + new Set(errors.map((e) => e.row ?? e.index)).size + ' 行有误，整批未写入：'),
      errors.length ? el('table', { id: 'bad-rows' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '行号'), el('th', { scope: 'col' }, '列'), el('th', { scope: 'col' }, '原因'))),
        el('tbody', {}, errors.map((e) => el('tr', {},
          el('td', {}, e.row ?? (e.index !== undefined ? e.index + 1 : '')), el('td', {}, e.column || e.field || ''), el('td', {}, e.message || e.code))))) : null));
    return;
  }
  const created = r.data.results.filter((x) => x.status === 'created').length;
  fill('upload-msg', notice('已提交 ' + r.data.results.length + ' 行：新增 ' + created + ' 条，重复 ' + (r.data.results.length - created) + ' 条'));
  ev.target.reset();
  loadRecords();
});

document.getElementById('template').addEventListener('click', async () => {
  const res = await fetch('/api/v1/templates/trainings.xlsx', { headers: { Authorization: 'Bearer ' + sess.get(), 'Accept-Language': 'zh-CN' } });
  if (!res.ok) { fill('upload-msg', el('div', { class: 'error', role: 'alert' }, '模板下载失败')); return; }
  const a = el('a', { href: URL.createObjectURL(await res.blob()), download: '培训记录模板.xlsx' });
  document.body.append(a);
  a.click();
  a.remove();
});

async function loadRecords() {
  const r = await api('GET', '/api/v1/trainings?limit=100', { token: sess.get() });
  if (r.status === 401) { sess.clear(); start(); return; }
  if (!r.ok) { fill('records-body', problem(r)); return; }
  fill('records-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map(recordItem)) : el('p', {}, '暂无记录'));
}

function recordItem(t) {
  const id = 'void-' + t.id;
  const form = el('form', { class: 'void', hidden: true },
    el('label', { for: id }, '作废原因'), el('input', { id, name: 'reason', required: true, maxlength: 200 }),
    el('button', { type: 'submit', class: 'danger' }, '确认作废'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const r = await api('POST', '/api/v1/trainings/' + encodeURIComponent(t.id) + '/void', { token: sess.get(), body: { reason: String(new FormData(form).get('reason')) } });
    fill('records-msg', r.ok ? notice('已作废：' + t.course_name + '（' + t.external_id + '）') : problem(r));
    loadRecords();
  });
  return el('li', { 'data-external-id': t.external_id },
    el('strong', {}, t.course_name), el('div', { class: 'muted' }, t.external_id + ' · ' + (trainingTypes[t.training_type] || t.training_type)),
    facts([['学时', t.hours], ['起止', t.start_date + ' 至 ' + t.end_date], ['结果', results[t.result] || t.result],
      ['状态', t.status === 'void' ? '已作废' : '有效'], ['提交时间', when(t.created_at)]]),
    t.status === 'void' ? null : el('button', { type: 'button', class: 'secondary', onclick: () => { form.hidden = false; form.querySelector('input').focus(); } }, '作废'),
    form);
}

const signedOut = () => { sess.clear(); start(); };
const showClasses = wireClaims(() => sess.get(), signedOut);
const loadDisputes = wireDisputes(() => sess.get(), signedOut);
const loadClasses = wireCheckinScreen(() => sess.get(), signedOut, wireVoucherDesk(() => sess.get(), signedOut),
  (all) => { showClasses(all); loadDisputes(all); });

function start() {
  const signedIn = !!sess.get();
  if (signedIn) document.getElementById('setpw').hidden = true;
  document.getElementById('signin').hidden = signedIn;
  document.getElementById('main').hidden = !signedIn;
  if (signedIn) { loadRecords(); loadClasses(); }
}

document.getElementById('reload').addEventListener('click', loadRecords);
document.getElementById('logout').addEventListener('click', async () => {
  await api('POST', '/api/v1/auth/logout', { token: sess.get() });
  sess.clear();
  start();
});
wireSignIn(document.getElementById('signin-form'), sess, 'signin-msg', start);
start();
