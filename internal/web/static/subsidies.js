// The worker's subsidies tab: the subsidy lines claimed in the worker's name, a dispute (申诉)
// for any line or training record, and the worker's disputes with their outcome.
import { api, el, fill, notice, problem, facts, when } from './common.js';

export const subsidyStatus = {
  submitted: '已申报，待审核', approved: '已审核通过', rejected: '未通过审核', disbursed: '已拨付',
  ineligible: '不符合补贴条件', held: '因申诉暂停', reversal_owed: '已拨付，经核查应追回',
};
const fundSources = { employment_subsidy: '就业补助资金', unemployment_insurance: '失业保险基金', skills_upgrade_account: '职业技能提升行动专账' };
export const disputeStatus = { open: '处理中', upheld: '申诉成立', dismissed: '申诉不成立' };
export const disputeSubjects = { training: '培训记录', subsidy_line: '补贴' };

/** An amount in fen as yuan. */
export function yuan(cents) {
  return (cents / 100).toFixed(2) + ' 元';
}

/**
 * A 申诉 button that opens a small form (reason, 1–500 characters) for POST /me/disputes;
 * the outcome goes to msgId and done() runs after a filed dispute.
 */
export function disputeButton(token, subject, id, msgId, done) {
  const fid = 'dispute-' + subject + '-' + id;
  const form = el('form', { class: 'dispute', hidden: true, 'data-subject': subject, 'data-id': id },
    el('label', { for: fid }, '申诉理由（如：本人未参加该培训）'),
    el('textarea', { id: fid, name: 'reason', required: true, maxlength: 500, rows: 3 }),
    el('button', { type: 'submit' }, '提交申诉'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const reason = String(new FormData(form).get('reason')).trim();
    const r = await api('POST', '/api/v1/me/disputes', { token: token(), body: { subject, id, reason } });
    if (!r.ok) {
      fill(msgId, r.data && r.data.code === 'dispute_open' ? el('div', { class: 'error', role: 'alert' }, '该项已有处理中的申诉，请等待处理结果') : problem(r));
      return;
    }
    form.hidden = true;
    form.reset();
    fill(msgId, notice('申诉已提交，人社部门将核查处理'));
    if (done) done();
  });
  const open = el('button', { type: 'button', class: 'secondary', onclick: () => { form.hidden = false; form.querySelector('textarea').focus(); } }, '申诉');
  return [open, form];
}

/** Wires the tab; answers its loader. */
export function wireSubsidies(token, guard) {
  const courses = new Map(); // line_id or training id → course name, to name what a dispute is about

  async function loadDisputes() {
    const r = await api('GET', '/api/v1/me/disputes?limit=100', { token: token() });
    if (!(await guard(r, 'disputes-body'))) return;
    fill('disputes-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((d) => el('li', { 'data-status': d.status, 'data-subject': d.subject },
      el('strong', {}, (disputeSubjects[d.subject] || d.subject) + (courses.has(d.subject_id) ? '：' + courses.get(d.subject_id) : '')), ' ', disputeStatus[d.status] || d.status,
      facts([['理由', d.reason], ['提交时间', when(d.created_at)], ['处理意见', d.resolve_reason], ['处理时间', when(d.resolved_at)]])))) : el('p', {}, '暂无申诉'));
  }

  return async function load() {
    const [r, tr] = await Promise.all([api('GET', '/api/v1/me/subsidies?limit=100', { token: token() }),
      api('GET', '/api/v1/me/trainings?limit=100', { token: token() })]);
    if (!(await guard(r, 'subsidies-body'))) return;
    for (const s of r.data.items) courses.set(s.line_id, s.course_name);
    if (tr.ok) for (const t of tr.data.items) courses.set(t.id, t.course_name);
    fill('subsidies-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((s) => el('li', { 'data-line-id': s.line_id },
      el('strong', {}, s.course_name), ' ', yuan(s.amount_cents),
      facts([['状态', subsidyStatus[s.status] || s.status], ['资金来源', fundSources[s.fund_source]], ['拨付日期', s.disbursed_on]]),
      disputeButton(token, 'subsidy_line', s.line_id, 'subsidies-msg', loadDisputes)))) : el('p', {}, '暂无以您名义申领的补贴'));
    loadDisputes();
  };
}
