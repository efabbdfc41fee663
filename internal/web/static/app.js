// The worker's pages: sign-in and activation, the record, lists, shares, credentials and the
// printable 培训证明.
import {
  api, session, el, fill, problem, notice, facts, qr, when, wireSignIn,
  trainingTypes, certTypes, levels, certStatus, results,
} from './common.js';
import { wireClasses } from './classes.js';
import { wireSubsidies, disputeButton } from './subsidies.js';
import { wireVouchers } from './vouchers.js';

const sess = session('app');
const get = (path) => api('GET', path, { token: sess.get() });

const creditReasons = {
  training: '完成培训（合格）', training_void: '培训记录作废，冲销', certificate: '取得证书',
  certificate_revoke: '证书撤销，冲销', conversion: '学分转换（院校认定）',
};
const accessWhat = {
  certificate_verification: '核验证书', shared_record: '通过分享查看档案', shared_certificates: '通过分享查看证书',
  credential_status: '核验电子凭证状态', admin_record: '人社部门依法调阅档案', admin_ledger_verify: '人社部门核对学分账本',
};
const roles = { employer: '用人单位', college: '院校', admin: '人社部门', anonymous: '匿名核验', training_institution: '培训机构', evaluation_org: '评价机构' };

function showTab(name) {
  for (const b of document.querySelectorAll('nav.tabs button[data-tab]')) {
    const on = b.dataset.tab === name;
    if (on) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    document.getElementById(b.dataset.tab).hidden = !on;
  }
  const load = loaders[name];
  if (load) load();
}

async function guard(r, id) {
  if (r.status === 401) { sess.clear(); start(); return false; }
  if (!r.ok) { fill(id, problem(r)); return false; }
  return true;
}

async function loadSummary() {
  const r = await get('/api/v1/me/record');
  if (!(await guard(r, 'summary-body'))) return;
  const d = r.data;
  fill('summary-body',
    facts([['姓名', d.worker.name], ['社会保障号码', d.worker.ssn_masked],
      ['社保卡', d.worker.cards.map((c) => c.number_masked + '（' + ({ active: '正常', lost: '挂失', replaced: '已换卡', cancelled: '注销' }[c.status] || c.status) + '）').join('，')]]),
    el('h3', {}, '技能学分余额'), el('p', { class: 'big', id: 'balance' }, d.credits.balance),
    facts([['累计获得', d.credits.earned], ['已转换', d.credits.converted], ['已冲销', d.credits.reversed],
      ['培训', d.counts.trainings + ' 次（合格 ' + d.counts.trainings_passed + ' 次）'], ['证书', d.counts.certificates + ' 本']]),
    el('p', { class: 'muted' }, '更新于 ' + when(d.updated_at)));
}

async function loadTrainings() {
  const r = await get('/api/v1/me/trainings?limit=100');
  if (!(await guard(r, 'trainings-body'))) return;
  fill('trainings-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((t) => el('li', { 'data-training-id': t.id },
    el('strong', {}, t.course_name), el('div', { class: 'muted' }, (trainingTypes[t.training_type] || t.training_type) + ' · ' + t.hours + ' 学时'),
    facts([['起止', t.start_date + ' 至 ' + t.end_date], ['结果', results[t.result] || t.result],
      ['状态', t.status === 'void' ? '已作废' : '有效'], ['学分', t.credits]]),
    disputeButton(() => sess.get(), 'training', t.id, 'trainings-msg')))) : el('p', {}, '暂无培训记录'));
}

async function loadCertificates() {
  const r = await get('/api/v1/me/certificates?limit=100');
  if (!(await guard(r, 'certificates-body'))) return;
  fill('certificates-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((c) => {
    const out = el('div', { 'aria-live': 'polite' });
    return el('li', {},
      el('strong', {}, c.occupation_name + (c.level ? ' · ' + levels[c.level] : '')),
      facts([['证书编号', c.certificate_no], ['类别', certTypes[c.type] || c.type], ['发证日期', c.issued_on],
        ['有效期至', c.valid_until], ['状态', certStatus[c.status] || c.status]]),
      el('button', { type: 'button', class: 'secondary', onclick: () => showCredential(c.certificate_no, out) }, '电子凭证二维码'),
      out);
  })) : el('p', {}, '暂无证书'));
}

async function showCredential(no, out) {
  const r = await get('/api/v1/me/certificates/' + encodeURIComponent(no) + '/credential');
  if (!r.ok) { out.replaceChildren(problem(r)); return; }
  const id = 'cred-' + no;
  out.replaceChildren(
    el('p', { class: 'muted' }, '用人单位可扫码或粘贴下方凭证，在核验页面离线校验签名。'),
    qr(r.data.credential, '证书 ' + no + ' 的电子凭证二维码'),
    el('label', { for: id }, '电子凭证（JWT）'),
    el('textarea', { id, readonly: true, class: 'credential' }, r.data.credential));
}

async function loadCredits() {
  const r = await get('/api/v1/me/credits?limit=100');
  if (!(await guard(r, 'credits-body'))) return;
  fill('credits-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((e) => el('li', {},
    el('strong', { class: e.amount < 0 ? 'neg' : 'pos' }, (e.amount > 0 ? '+' : '') + e.amount + ' 学分'),
    ' ', creditReasons[e.kind] || e.kind,
    facts([['余额', e.balance_after], ['规则版本', e.rule_version], ['来源', ({ training: '培训记录', certificate: '证书', conversion: '学分转换' }[e.source_type] || e.source_type || '') + ' ' + (e.source_id || '')],
      ['时间', when(e.created_at)], ['序号', e.seq]])))) : el('p', {}, '暂无学分记录'));
}

async function loadAccess() {
  const r = await get('/api/v1/me/access-log?limit=100');
  if (!(await guard(r, 'access-body'))) return;
  fill('access-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((a) => el('li', {},
    el('strong', {}, a.org_name || roles[a.actor_role] || a.actor_role), ' ', accessWhat[a.what] || a.what,
    facts([['时间', when(a.at)], ['事由', a.why]])))) : el('p', {}, '暂无他人查阅'));
}

async function loadShares() {
  const r = await get('/api/v1/me/shares?limit=100');
  if (!(await guard(r, 'shares-body'))) return;
  const st = { active: '有效', expired: '已过期', revoked: '已撤销' };
  fill('shares-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((s) => el('li', {},
    facts([['内容', s.scope === 'record' ? '完整档案' : '证书'], ['状态', st[s.status] || s.status], ['到期', when(s.expires_at)]]),
    s.status === 'active' ? el('button', { type: 'button', class: 'danger', onclick: () => revokeShare(s.id) }, '撤销分享') : null)))
    : el('p', {}, '暂无分享'));
}

async function revokeShare(id) {
  const r = await api('DELETE', '/api/v1/me/shares/' + encodeURIComponent(id), { token: sess.get() });
  fill('share-new', r.ok ? notice('已撤销，该链接立即失效') : problem(r));
  loadShares();
}

// A share's QR code opens the employer's page with the token in the fragment (never sent to a
// server); the API link is shown for those who paste it.
function shareView(d, label) {
  const link = location.origin + '/verify/#share=' + encodeURIComponent(d.token);
  return [qr(link, label), el('p', {}, '链接：', el('a', { href: link, class: 'share-url', rel: 'noreferrer' }, link)),
    el('p', { class: 'muted' }, '有效期至 ' + when(d.expires_at))];
}

document.getElementById('share-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const r = await api('POST', '/api/v1/me/shares', { token: sess.get(), body: { scope: f.get('scope'), expires_in_hours: Number(f.get('expires_in_hours')) } });
  fill('share-new', r.ok ? [notice('已生成分享，请用人单位扫码'), ...shareView(r.data, '分享链接二维码')] : problem(r));
  loadShares();
});

document.getElementById('print-make').addEventListener('click', async () => {
  const [rec, tr] = await Promise.all([get('/api/v1/me/record'), get('/api/v1/me/trainings?limit=100')]);
  if (!(await guard(rec, 'print-body')) || !(await guard(tr, 'print-body'))) return;
  const share = await api('POST', '/api/v1/me/shares', { token: sess.get(), body: { scope: 'record', expires_in_hours: 720 } });
  if (!share.ok) { fill('print-body', problem(share)); return; }
  const d = rec.data;
  fill('print-body',
    el('h3', {}, '职业技能培训证明'),
    facts([['姓名', d.worker.name], ['社会保障号码', d.worker.ssn_masked], ['技能学分', d.credits.balance],
      ['培训', d.counts.trainings + ' 次'], ['证书', d.counts.certificates + ' 本'], ['出具时间', when(new Date().toISOString())]]),
    el('table', {}, el('caption', {}, '培训记录'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '课程'), el('th', { scope: 'col' }, '学时'), el('th', { scope: 'col' }, '起止'), el('th', { scope: 'col' }, '结果'))),
      el('tbody', {}, tr.data.items.filter((t) => t.status !== 'void').map((t) => el('tr', {},
        el('td', {}, t.course_name), el('td', {}, t.hours), el('td', {}, t.start_date + '—' + t.end_date), el('td', {}, results[t.result] || t.result))))),
    el('h3', {}, '证书'),
    el('ul', {}, d.certificates.map((c) => el('li', {}, c.certificate_no + ' ' + c.occupation_name + (c.level ? ' ' + levels[c.level] : '') + '（' + (certStatus[c.status] || c.status) + '）'))),
    el('h3', {}, '核验二维码'),
    ...shareView(share.data, '培训证明核验二维码'),
    el('button', { type: 'button', class: 'no-print', onclick: () => window.print() }, '打印'));
});

document.getElementById('activate-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const body = { ssn: String(f.get('ssn')).trim(), name: String(f.get('name')).trim(), card_number: String(f.get('card_number')).trim(), password: String(f.get('password')) };
  const r = await api('POST', '/api/v1/workers/activate', { body });
  if (!r.ok) { fill('activate-msg', problem(r)); return; }
  const t = await api('POST', '/api/v1/auth/token', { body: { grant_type: 'password', username: body.ssn, password: body.password } });
  if (!t.ok) { fill('activate-msg', problem(t)); return; }
  ev.target.reset();
  sess.set(t.data.access_token);
  start();
});

const loaders = { summary: loadSummary, trainings: loadTrainings, certificates: loadCertificates, credits: loadCredits, access: loadAccess, shares: loadShares,
  classes: wireClasses(() => sess.get(), guard), subsidies: wireSubsidies(() => sess.get(), guard),
  vouchers: wireVouchers(() => sess.get(), guard) };

function start() {
  const signedIn = !!sess.get();
  document.getElementById('signin').hidden = signedIn;
  document.getElementById('main').hidden = !signedIn;
  if (signedIn) showTab('summary');
}

for (const b of document.querySelectorAll('nav.tabs button[data-tab]')) b.addEventListener('click', () => showTab(b.dataset.tab));
document.getElementById('logout').addEventListener('click', async () => {
  await api('POST', '/api/v1/auth/logout', { token: sess.get() });
  sess.clear();
  start();
});
wireSignIn(document.getElementById('signin-form'), sess, 'signin-msg', start);
start();
