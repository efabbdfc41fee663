// The institution's classes and the subsidy claim (补贴申领) of a completed class: open a class
// to see it; a completed class shows its claim, or drafts it, with each roster line's verdict
// and the reasons a trainee's subsidy is not due.
import { api, el, fill, notice, problem, facts, when } from './common.js';
import { classStatus } from './classes.js';
import { subsidyStatus, yuan } from './subsidies.js';

// Why a roster line is not eligible (ClaimReason of the API).
export const claimReasons = {
  not_passed: '未结业合格', attendance_below_minimum: '出勤率未达到要求', certificate_missing: '未取得本职业有效证书',
  annual_limit_reached: '本年度补贴次数已满', occupation_level_already_subsidised: '同职业同等级已享受过补贴',
  card_inactive: '社会保障卡未激活', employment_status_required: '就业状态不符合要求', voucher_missing: '未使用本班培训券',
};

/** A claim: its status and total, then each roster line with its verdict and amount. */
export function claimView(c) {
  const eligible = c.lines.filter((l) => l.eligible).length;
  return el('div', { id: 'claim', 'data-claim-id': c.id, 'data-claim-status': c.status },
    el('h4', {}, '补贴申领'),
    facts([['状态', subsidyStatus[c.status] || c.status], ['申领金额合计', yuan(c.total_cents)],
      ['符合条件', eligible + ' / ' + c.lines.length + ' 人'], ['审核意见', c.review_reason], ['审核时间', when(c.reviewed_at)],
      ['申领时间', when(c.created_at)]]),
    el('ul', { class: 'list', id: 'claim-lines', 'aria-label': '花名册逐人核定' }, c.lines.map((l) => el('li', { 'data-line-id': l.line_id, 'data-eligible': l.eligible ? '1' : '0' },
      el('strong', {}, l.name_masked), ' ', el('span', { class: 'muted' }, l.ssn_masked),
      facts([['核定', el('span', { class: l.eligible ? 'pos' : 'neg' }, l.eligible ? '符合补贴条件' : '不符合补贴条件')],
        ['原因', l.reasons.map((x) => claimReasons[x] || x).join('；')], ['金额', yuan(l.amount_cents)],
        ['申报金额', l.claimed_cents !== l.amount_cents ? yuan(l.claimed_cents) : null], ['调整说明', l.adjust_reason],
        ['争议', l.held ? '学员申诉成立，本行不予拨付' : null]])))));
}

/** Wires the class list; answers a function that shows the classes it is handed. */
export function wireClaims(token, signedOut) {
  async function draft(c) {
    const r = await api('POST', '/api/v1/classes/' + encodeURIComponent(c.id) + '/claims', { token: token() });
    if (r.status === 401) { signedOut(); return; }
    if (!r.ok) { fill('class-msg', problem(r)); return; }
    fill('class-msg', el('div', { 'data-status': r.status }, notice(r.status === 201 ? '已生成补贴申领，待人社部门审核' : '本班此前已申领，以下为原申领')));
    fill('class-claim', claimView(r.data));
  }

  async function open(c) {
    const heading = el('h3', { tabindex: -1 }, c.course_name);
    fill('class-view', el('div', { 'data-class-id': c.id, 'data-class-status': c.status }, heading,
      facts([['编号', c.external_id], ['状态', classStatus[c.status] || c.status], ['起止', c.start_date + ' 至 ' + c.end_date],
        ['学时', c.hours], ['花名册', c.roster_size + ' 人']]),
      el('div', { id: 'class-msg', 'aria-live': 'polite' }), el('div', { id: 'class-claim' })));
    heading.focus();
    if (c.status !== 'completed') {
      fill('class-claim', el('p', { class: 'muted' }, '培训班结业后方可申领补贴。'));
      return;
    }
    const r = await api('GET', '/api/v1/classes/' + encodeURIComponent(c.id) + '/claims?limit=1', { token: token() });
    if (r.status === 401) { signedOut(); return; }
    if (!r.ok) { fill('class-msg', problem(r)); return; }
    if (r.data.items.length) { fill('class-claim', claimView(r.data.items[0])); return; }
    fill('class-claim', el('p', { class: 'muted' }, '本班尚未申领补贴。申领时系统按花名册逐人核定是否符合补贴条件。'),
      el('button', { type: 'button', id: 'claim-draft', onclick: () => draft(c) }, '申领补贴'));
  }

  return (classes) => {
    fill('class-view');
    fill('classes-body', classes.length ? el('ul', { class: 'list' }, classes.map((c) => el('li', { 'data-class-id': c.id },
      el('strong', {}, c.course_name), el('div', { class: 'muted' }, c.external_id + ' · ' + (classStatus[c.status] || c.status) + ' · ' + c.start_date + ' 至 ' + c.end_date),
      el('button', { type: 'button', class: 'secondary', 'aria-label': '查看 ' + c.course_name + '（' + c.external_id + '）', onclick: () => open(c) }, '查看')))) : el('p', {}, '暂无培训班'));
  };
}
