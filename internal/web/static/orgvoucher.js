// The institution's voucher desk: scan or paste a worker's voucher code onto an approved class
// (before its first session); the worker joins the class's roster.
import { api, el, fill, notice, problem, facts } from './common.js';
import { wireScan } from './scan.js';

const refusals = {
  code_invalid: '用券码无效或已过期，请学员刷新后重新出示。', voucher_expired: '培训券已过期。',
  voucher_used: '培训券已使用或已作废。', voucher_out_of_scope: '该培训券不能用于本培训班（补贴项目、职业或机构不符）。',
  class_started: '培训班已开课，不能再用券报名。', class_full: '培训班已满员。', invalid_transition: '培训班未处于已批准开班状态。',
};

/** Wires the form; answers a function that fills its class list from the approved classes. */
export function wireVoucherDesk(token, signedOut) {
  const form = document.getElementById('voucher-form');
  const input = document.getElementById('vo-code');

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const classID = document.getElementById('vo-class').value;
    const r = await api('POST', '/api/v1/classes/' + encodeURIComponent(classID) + '/vouchers', { token: token(), body: { code: input.value.trim() } });
    if (r.status === 401) { signedOut(); return; }
    if (!r.ok) {
      const d = r.data || {};
      fill('voucher-msg', refusals[d.code]
        ? el('div', { class: 'error', role: 'alert', 'data-code': d.code }, el('p', {}, refusals[d.code]), el('p', {}, '错误代码：', el('code', {}, d.code)))
        : problem(r));
      return;
    }
    form.reset();
    fill('voucher-msg', el('div', { 'data-status': r.status },
      notice(r.status === 201 ? '已用券，学员已加入本班花名册' : '该券此前已用于本班'),
      facts([['面值', (r.data.face_value_cents / 100).toFixed(2) + ' 元'], ['批次', r.data.batch_key]])));
  });

  wireScan('vo-scan', 'vo-video', input, form, 'voucher-msg');

  return (approved) => {
    document.getElementById('vo-class').replaceChildren(...approved.map((c) => el('option', { value: c.id }, c.course_name + '（' + c.external_id + '）')));
  };
}
