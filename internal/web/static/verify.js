// Employer staff's pages: the credential check (signature in the page, then its status), the
// verification by number and name, and opening a share link.
import { api, session, el, fill, problem, facts, when, wireSignIn, certTypes, levels, certStatus, trainingTypes, results } from './common.js';
import { verifyCredential } from './jwt.js';

const sess = session('verify');

// A share's QR code opens this page with its token in the fragment: keep it in memory, drop it
// from the address bar, and open the share once signed in.
let pendingShare = null;
function takeShare() {
  const sm = /(?:^#|&)share=([^&]+)/.exec(location.hash);
  if (sm) {
    pendingShare = decodeURIComponent(sm[1]);
    history.replaceState(null, '', location.pathname);
  }
}
takeShare();
window.addEventListener('hashchange', () => { takeShare(); start(); });

document.getElementById('cred-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const jwt = String(new FormData(ev.target).get('credential')).trim();
  fill('cred-result', el('p', { role: 'status' }, '正在校验签名…'));
  const local = await verifyCredential(jwt);
  const out = [el('h3', {}, '签名校验（本页面内）'),
    local.valid ? el('p', { class: 'ok', id: 'sig-ok' }, '签名有效：由本系统签发，内容未被篡改')
      : el('div', { class: 'error', role: 'alert', id: 'sig-bad' }, local.reason)];
  const subject = local.claims && local.claims.vc && local.claims.vc.credentialSubject;
  if (local.valid && subject && subject.certificate) { // unverified claims are never shown
    const c = subject.certificate;
    out.push(facts([['持证人', subject.name], ['社会保障号码', subject.ssnMasked], ['证书编号', c.certificateNo],
      ['类别', certTypes[c.certificateType] || c.certificateType], ['职业', c.occupationName + '（' + c.occupationCode + '）'],
      ['等级', c.level ? levels[c.level] : ''], ['签发方', local.claims.vc.issuer && local.claims.vc.issuer.name]]));
  }
  if (local.valid) {
    const r = await api('POST', '/api/v1/verify/credential', { body: { credential: jwt } });
    out.push(el('h3', {}, '证书当前状态'));
    out.push(r.ok ? el('p', { class: r.data.valid ? 'ok' : 'error', id: 'cred-status' }, r.data.valid ? '有效' : (certStatus[r.data.status] || r.data.status) + '（' + (r.data.reason || '') + '）') : problem(r));
  }
  fill('cred-result', out);
});

// Scanning with the camera where the browser has a barcode detector; pasting works everywhere.
if ('BarcodeDetector' in window && navigator.mediaDevices) {
  const btn = document.getElementById('scan');
  btn.hidden = false;
  btn.addEventListener('click', async () => {
    const video = document.getElementById('scan-video');
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const det = new window.BarcodeDetector({ formats: ['qr_code'] });
    const tick = async () => {
      const codes = await det.detect(video).catch(() => []);
      if (codes.length) {
        stream.getTracks().forEach((t) => t.stop());
        video.hidden = true;
        document.getElementById('cred-text').value = codes[0].rawValue;
        document.getElementById('cred-form').requestSubmit();
      } else requestAnimationFrame(tick);
    };
    tick();
  });
}

document.getElementById('cert-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const r = await api('POST', '/api/v1/verify/certificates', { token: sess.get(), body: { certificate_no: String(f.get('certificate_no')).trim().toUpperCase(), name: String(f.get('name')).trim() } });
  if (r.status === 401) { sess.clear(); start(); return; }
  if (r.status === 404) { fill('cert-result', el('div', { class: 'error', role: 'alert' }, '未查到：证书编号或姓名不符')); return; }
  if (!r.ok) { fill('cert-result', problem(r)); return; }
  const c = r.data;
  fill('cert-result', el('p', { class: c.status === 'valid' ? 'ok' : 'error' }, '证书' + (certStatus[c.status] || c.status)),
    facts([['持证人', c.holder_name_masked], ['证书编号', c.certificate_no], ['类别', certTypes[c.type] || c.type],
      ['职业', c.occupation_name + '（' + c.occupation_code + '）'], ['等级', c.level ? levels[c.level] : ''],
      ['发证日期', c.issued_on], ['有效期至', c.valid_until], ['发证机构', c.issuer.name]]));
});

document.getElementById('share-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const raw = String(new FormData(ev.target).get('url')).trim();
  const token = raw.split(/[/#?]/).filter(Boolean).pop() || '';
  const r = await api('GET', '/api/v1/shared/' + encodeURIComponent(token), { token: sess.get() });
  if (r.status === 401) { sess.clear(); start(); return; }
  if (r.status === 404) { fill('share-result', el('div', { class: 'error', role: 'alert' }, '链接无效、已过期或已被撤销')); return; }
  if (!r.ok) { fill('share-result', problem(r)); return; }
  const d = r.data;
  const certs = d.certificates || [];
  fill('share-result',
    el('p', { class: 'ok', id: 'shared-ok' }, '已打开劳动者的分享（有效期至 ' + when(d.expires_at) + '）'),
    facts([['姓名', d.worker.name], ['社会保障号码', d.worker.ssn_masked],
      ['技能学分', d.credits ? d.credits.balance : ''], ['培训', d.counts ? d.counts.trainings + ' 次' : '']]),
    d.recent_trainings ? [el('h3', {}, '最近培训'), el('ul', { class: 'list' }, d.recent_trainings.map((t) => el('li', {},
      t.course_name + ' · ' + (trainingTypes[t.training_type] || t.training_type) + ' · ' + t.hours + ' 学时 · ' + (results[t.result] || t.result) + (t.status === 'void' ? '（已作废）' : ''))))] : null,
    el('h3', {}, '证书'),
    certs.length ? el('ul', { class: 'list' }, certs.map((c) => el('li', {},
      c.certificate_no + ' ' + c.occupation_name + (c.level ? ' ' + levels[c.level] : '') + '（' + (certStatus[c.status] || c.status) + '）'))) : el('p', {}, '无'));
});

function start() {
  const signedIn = !!sess.get();
  document.getElementById('signin').hidden = signedIn;
  document.getElementById('main').hidden = !signedIn;
  if (pendingShare) fill('signin-msg', el('p', { role: 'status' }, '登录后将打开劳动者分享的档案'));
  if (signedIn && pendingShare) {
    document.getElementById('sh-url').value = pendingShare;
    pendingShare = null;
    document.getElementById('share-form').requestSubmit();
  }
}

document.getElementById('logout').addEventListener('click', async () => {
  await api('POST', '/api/v1/auth/logout', { token: sess.get() });
  sess.clear();
  start();
});
wireSignIn(document.getElementById('signin-form'), sess, 'signin-msg', start);
start();
