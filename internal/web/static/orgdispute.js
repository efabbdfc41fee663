// The institution's view of the disputes (争议) workers raised about its training records and
// claim lines, by status, a page at a time. Read-only: the bureau resolves them.
import { api, el, fill, facts, problem, when } from './common.js';
import { disputeStatus, disputeSubjects } from './subsidies.js';

const pageSize = 20;

/** Wires the status filter and the "more" button; answers the loader, handed the classes. */
export function wireDisputes(token, signedOut) {
  const form = document.getElementById('disputes-form');
  // A dispute names only its subject's id: what it is about and the masked worker come from
  // the institution's training records and the lines of its classes' claims.
  const about = new Map(); // training id or line id → {what, worker}
  const workers = new Map(); // training id → masked worker, from the claim lines
  const scanned = new Set(); // classes whose claims are in about and workers
  let classes = [];
  let list = null;

  async function learn(items) {
    if (items.every((d) => about.has(d.subject_id))) return;
    const claims = await Promise.all(classes.filter((c) => c.status === 'completed' && !scanned.has(c.id))
      .map((c) => api('GET', '/api/v1/classes/' + encodeURIComponent(c.id) + '/claims?limit=1', { token: token() }).then((r) => [c, r])));
    for (const [c, r] of claims) {
      if (!r.ok) continue;
      scanned.add(c.id);
      for (const claim of r.data.items) {
        for (const l of claim.lines) {
          const worker = l.name_masked + '（' + l.ssn_masked + '）';
          about.set(l.line_id, { what: claim.course_name || c.course_name, worker });
          if (l.training_id) workers.set(l.training_id, worker);
        }
      }
    }
    if (items.some((d) => d.subject === 'training')) {
      const r = await api('GET', '/api/v1/trainings?limit=100', { token: token() });
      if (r.ok) {
        for (const t of r.data.items) {
          const known = about.get(t.id);
          // A record of a class's completion is named by the class's number, not its own.
          const c = t.class_id && classes.find((x) => x.id === t.class_id);
          about.set(t.id, { what: t.course_name + '（' + (c ? c.external_id : t.external_id) + '）', worker: workers.get(t.id) || (known && known.worker) });
        }
      }
    }
  }

  function item(d) {
    const a = about.get(d.subject_id) || {};
    return el('li', { 'data-dispute-id': d.id, 'data-status': d.status, 'data-subject': d.subject },
      el('strong', {}, (disputeSubjects[d.subject] || d.subject) + (a.what ? '：' + a.what : '')), ' ', disputeStatus[d.status] || d.status,
      facts([['学员', a.worker], ['理由', d.reason], ['提出时间', when(d.created_at)], ['处理意见', d.resolve_reason], ['处理时间', when(d.resolved_at)]]));
  }

  async function page(status, cursor) {
    const q = new URLSearchParams({ status, limit: String(pageSize) });
    if (cursor) q.set('cursor', cursor);
    const r = await api('GET', '/api/v1/disputes?' + q, { token: token() });
    if (r.status === 401) { signedOut(); return; }
    if (!r.ok) { fill('disputes-msg', problem(r)); return; }
    fill('disputes-msg');
    await learn(r.data.items);
    if (!cursor) {
      list = el('ul', { class: 'list', id: 'disputes-list' });
      fill('disputes-body', list);
    }
    list.append(...r.data.items.map(item));
    if (!list.children.length) fill('disputes-body', el('p', {}, '暂无' + (disputeStatus[status] || '') + '的争议'));
    // Disabled once clicked, so that a second click cannot append the same page twice.
    const more = (ev) => { ev.currentTarget.disabled = true; page(status, r.data.next_cursor); };
    if (r.data.next_cursor) fill('disputes-more', el('button', { type: 'button', class: 'secondary', onclick: more }, '加载更多'));
    else fill('disputes-more');
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    page(document.getElementById('dp-status').value);
  });

  return (all) => {
    classes = all;
    page(document.getElementById('dp-status').value);
  };
}
