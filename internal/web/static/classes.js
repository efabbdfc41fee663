// The worker's classes tab: subsidised classes with attendance so far, and the phone check-in
// with the classroom's rotating code (typed, pasted or scanned from the screen's QR code).
import { api, el, fill, notice, facts, when } from './common.js';
import { wireScan } from './scan.js';

export const classStatus = { filed: '已备案待审核', approved: '已批准开班', rejected: '未通过审核', completed: '已结业', cancelled: '已撤销' };

// What each refusal of a check-in means for the worker, beside the server's own detail.
const refusals = {
  code_invalid: '签到码无效或已过期：请输入或扫描教室屏幕上当前显示的签到码。',
  not_on_roster: '您不在该培训班的花名册上，不能签到。',
  outside_session: '现在不在该班的签到时段内（每节课开始前 15 分钟至结束后 15 分钟）。',
  overlap: '您已在时间重叠的另一个培训班签到，同一时段只能参加一个班。',
  required: '请输入签到码。',
};

/** A refused check-in: what it means, the server's detail and the stable code word. */
export function refusal(r) {
  const d = (r && r.data) || {};
  return el('div', { class: 'error', role: 'alert', 'data-code': d.code || '' },
    el('p', {}, el('strong', {}, '签到未成功：'), refusals[d.code] || d.title || '请求失败（' + (r ? r.status : '?') + '）'),
    // The server's detail too where it is in Chinese, or where there is no hint of our own.
    d.detail && (/[\u4e00-\u9fff]/.test(d.detail) || !refusals[d.code]) ? el('p', {}, d.detail) : null,
    d.code ? el('p', {}, '错误代码：', el('code', {}, d.code)) : null);
}

/** Wires the tab; guard(r, id) handles sign-out and other failures like the other tabs. */
export function wireClasses(token, guard) {
  const form = document.getElementById('checkin-form');
  const input = document.getElementById('ci-code');

  async function load() {
    const r = await api('GET', '/api/v1/me/classes?limit=100', { token: token() });
    if (!(await guard(r, 'classes-body'))) return;
    fill('classes-body', r.data.items.length ? el('ul', { class: 'list' }, r.data.items.map((c) => el('li', { 'data-class-id': c.class_id, 'data-attended': c.sessions_attended },
      el('strong', {}, c.course_name),
      facts([['状态', classStatus[c.status] || c.status], ['已上课', c.sessions_held + ' 节'],
        ['已签到', c.sessions_attended + ' 节'], ['出勤率', Math.round(c.attendance_rate * 100) + '%']])))) : el('p', {}, '暂无培训班'));
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const code = input.value.trim();
    const r = await api('POST', '/api/v1/me/checkins', { token: token(), body: { code } });
    if (r.status === 401) { await guard(r, 'checkin-msg'); return; }
    if (!r.ok) { fill('checkin-msg', refusal(r)); return; }
    form.reset();
    const c = r.data;
    fill('checkin-msg', el('div', { 'data-status': r.status },
      notice((r.status === 201 ? '签到成功：' : '本节课已签到过：') + c.course_name),
      facts([['上课日期', c.session_date], ['签到时间', when(c.checked_in_at)]])));
    load();
  });

  wireScan('ci-scan', 'ci-video', input, form, 'checkin-msg');
  return load;
}
