// The worker's vouchers tab (培训券): the batches the worker may claim from, the worker's own
// vouchers (a directed one to accept), and a claimed voucher's code shown as a QR code for the
// institution to scan, fetched again shortly before it expires (a code lives 5 minutes).
import { api, el, fill, notice, problem, facts, qr, when } from './common.js';
import { yuan } from './subsidies.js';

const states = { issued: '待领取', claimed: '已领取，可使用', used: '已使用', settled: '已结算', expired: '已过期', cancelled: '已作废' };
const refusals = {
  voucher_limit: '您已有一张未使用的培训券，用完或过期后才能再领。',
  batch_exhausted: '本批培训券已领完。', not_eligible: '您不在本批培训券的发放范围内。', batch_closed: '本批培训券已停止发放。',
};

/** Wires the tab; answers its loader. */
export function wireVouchers(token, guard) {
  let timer = null;

  async function showCode(v, out) {
    clearTimeout(timer);
    const r = await api('GET', '/api/v1/me/vouchers/' + encodeURIComponent(v.id) + '/code', { token: token() });
    if (!r.ok) { out.replaceChildren(problem(r)); return; }
    const id = 'vcode-' + v.id;
    out.replaceChildren(
      el('p', { class: 'muted' }, '请培训机构扫描二维码，或复制下方用券码。'),
      qr(r.data.code, '培训券用券码二维码'),
      el('label', { for: id }, '用券码'),
      el('textarea', { id, readonly: true, class: 'credential' }, r.data.code),
      el('p', { class: 'muted' }, '自动更新，本码有效至 ' + when(r.data.expires_at)));
    // A new code half a minute before this one expires, while it is still on screen.
    const wait = Math.max(5000, new Date(r.data.expires_at).getTime() - Date.now() - 30000);
    timer = setTimeout(() => { if (out.isConnected && !document.getElementById('vouchers').hidden) showCode(v, out); }, wait);
  }

  async function loadMine() {
    const r = await api('GET', '/api/v1/me/vouchers', { token: token() });
    if (!(await guard(r, 'vouchers-body'))) return;
    fill('vouchers-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((v) => {
      const out = el('div', {});
      return el('li', { 'data-voucher-id': v.id, 'data-state': v.state },
        el('strong', {}, yuan(v.face_value_cents)), ' ', states[v.state] || v.state,
        facts([['批次', v.batch_key], ['有效期至', v.expires_on], ['使用时间', when(v.used_at)]]),
        v.state === 'claimed' && v.kind === 'general' ? el('button', { type: 'button', onclick: () => showCode(v, out) }, '出示用券码') : null,
        v.state === 'issued' && v.kind === 'directed' ? el('button', { type: 'button', onclick: () => accept(v) }, '接受（用于所报培训班）') : null,
        out);
    })) : el('p', {}, '暂无培训券'));
  }

  // A directed voucher was issued for a class the worker is on; accepting it uses it there.
  async function accept(v) {
    const r = await api('POST', '/api/v1/me/vouchers/' + encodeURIComponent(v.id) + '/accept', { token: token() });
    fill('vouchers-msg', r.ok ? notice('已接受培训券，用于所报培训班') : problem(r));
    loadMine();
  }

  async function claim(key) {
    const r = await api('POST', '/api/v1/me/vouchers', { token: token(), body: { batch_key: key } });
    if (!r.ok) {
      const d = r.data || {};
      fill('vouchers-msg', refusals[d.code] ? el('div', { class: 'error', role: 'alert' }, refusals[d.code]) : problem(r));
    } else fill('vouchers-msg', notice('已领取培训券，有效期至 ' + r.data.expires_on));
    load();
  }

  async function load() {
    clearTimeout(timer);
    const r = await api('GET', '/api/v1/me/vouchers/available', { token: token() });
    if (!(await guard(r, 'batches-body'))) return;
    fill('batches-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((b) => el('li', { 'data-batch-key': b.key },
      el('strong', {}, b.name), ' ', yuan(b.face_value_cents),
      facts([['领取后有效', b.valid_days + ' 天'], ['已发放', b.issued + ' / ' + b.quantity]]),
      el('button', { type: 'button', onclick: () => claim(b.key) }, '领取')))) : el('p', {}, '暂无可领取的培训券'));
    loadMine();
  }
  return load;
}
