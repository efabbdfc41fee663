// The institution's classroom screen: pick an approved class and show its rotating check-in
// code and QR code, fetched again just before each one expires (a code lives 30 s).
import { api, el, fill, notice, problem, qr, when } from './common.js';
import { classStatus } from './classes.js';

/**
 * Wires the class picker and the code screen; answers the loader of the class list, which
 * also hands the approved classes to onApproved and all of them to onClasses.
 */
export function wireCheckinScreen(token, signedOut, onApproved = () => {}, onClasses = () => {}) {
  const select = document.getElementById('cc-class');
  let timer = null;

  function stop() {
    clearTimeout(timer);
    timer = null;
  }

  async function show(id) {
    stop();
    const r = await api('GET', '/api/v1/classes/' + encodeURIComponent(id) + '/checkin-code', { token: token() });
    if (r.status === 401) { signedOut(); return; }
    if (!r.ok) { fill('cc-screen', problem(r)); return; }
    const d = r.data;
    fill('cc-screen',
      el('p', { class: 'muted' }, '学员在手机“课程签到”中输入下方数字或扫描二维码。'),
      el('p', { class: 'code', id: 'cc-code' }, d.code),
      qr(d.qr_payload, '签到二维码'),
      el('p', { class: 'muted' }, '自动更新，本码有效至 ' + when(d.expires_at)),
      el('button', { type: 'button', class: 'secondary', onclick: () => { stop(); fill('cc-screen', notice('已停止显示签到码')); } }, '停止显示'));
    // A new code a second before this one expires; the previous code stays good one more step.
    const wait = Math.min(30000, Math.max(1000, new Date(d.expires_at).getTime() - Date.now() - 1000));
    timer = setTimeout(() => show(id), wait);
  }

  document.getElementById('checkin-code-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (select.value) show(select.value);
  });

  return async function load() {
    stop();
    const r = await api('GET', '/api/v1/classes?limit=100', { token: token() });
    if (r.status === 401) { signedOut(); return; }
    if (!r.ok) { fill('cc-screen', problem(r)); return; }
    const approved = r.data.items.filter((c) => c.status === 'approved');
    onApproved(approved);
    onClasses(r.data.items);
    select.replaceChildren(...approved.map((c) => el('option', { value: c.id },
      c.course_name + '（' + c.external_id + '，' + c.start_date + ' 至 ' + c.end_date + '）')));
    if (approved.length) { fill('cc-screen'); return; }
    const others = [...new Set(r.data.items.map((c) => classStatus[c.status] || c.status))];
    fill('cc-screen', el('p', {}, '暂无已批准开班的培训班' + (others.length ? '（其余培训班：' + others.join('、') + '）' : '')));
  };
}
