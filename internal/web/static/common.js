// Shared helpers of the mobile pages: calling the API (Chinese problem details), the session
// token (sessionStorage only, never a URL), small DOM builders, Chinese labels and QR codes.

/** The session of one area (app, org, verify): its access token in sessionStorage. */
export function session(area) {
  const key = 'skillrecord.' + area + '.token';
  return {
    get: () => sessionStorage.getItem(key),
    set: (t) => sessionStorage.setItem(key, t),
    clear: () => sessionStorage.removeItem(key),
  };
}

/** Calls the JSON API; answers {status, ok, data}. body is JSON, or FormData for uploads. */
export async function api(method, path, { token, body } = {}) {
  const headers = { 'Accept': 'application/json, application/problem+json', 'Accept-Language': 'zh-CN' };
  if (token) headers['Authorization'] = 'Bearer ' + token;
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    return { status: 0, ok: false, data: { detail: '网络不可用，请稍后重试' } };
  }
  let data = null;
  const ct = res.headers.get('Content-Type') || '';
  if (ct.includes('json')) data = await res.json();
  return { status: res.status, ok: res.ok, data };
}

/** Signs in with the password grant; answers the access token or throws the problem. */
export async function signIn(username, password) {
  const r = await api('POST', '/api/v1/auth/token', { body: { grant_type: 'password', username, password } });
  if (!r.ok) throw r;
  return r.data.access_token;
}

/** el('p', {class: 'x'}, 'text', child…) builds an element; text is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** Replaces the children of the element with id. */
export function fill(id, ...children) {
  const target = document.getElementById(id);
  target.replaceChildren(...children.flat());
  return target;
}

/** A problem answer as a message block (with every field or row error). */
export function problem(r) {
  const d = (r && r.data) || {};
  const items = (d.errors || []).map((e) => el('li', {},
    e.row ? `第 ${e.row} 行` : (e.index !== undefined ? `第 ${e.index + 1} 条` : ''),
    e.column ? `「${e.column}」` : (e.field ? `「${e.field}」` : ''),
    '：', e.message || e.code));
  return el('div', { class: 'error', role: 'alert' },
    el('p', {}, d.detail || d.title || '请求失败（' + (r ? r.status : '?') + '）'),
    items.length ? el('ul', {}, items) : null);
}

/** A notice of success. */
export function notice(text) {
  return el('p', { class: 'ok', role: 'status' }, text);
}

/** A labelled definition list of [label, value] pairs. */
export function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter((p) => p[1] !== undefined && p[1] !== null && p[1] !== '')
    .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

/** A QR code of text as an image (the vendored qrcode-generator draws it; no network). */
export function qr(text, alt) {
  const q = window.qrcode(0, 'L');
  q.addData(text, 'Byte');
  q.make();
  const cell = Math.max(2, Math.floor(240 / q.getModuleCount()));
  return el('img', { class: 'qr', src: q.createDataURL(cell, 4), alt, 'data-qr': text });
}

export const trainingTypes = {
  employment_skills: '就业技能培训', job_skills_upgrade: '岗位技能提升培训', entrepreneurship: '创业培训',
  apprenticeship: '企业新型学徒制', gold_blue_collar: '金蓝领', pre_job: '岗前培训', job_transfer: '转岗转业培训', other: '其他',
};
export const certTypes = {
  skill_level: '职业技能等级证书', vocational_qualification: '职业资格证书', special_ability: '专项职业能力证书', training: '培训合格证书',
};
export const levels = { 5: '五级/初级工', 4: '四级/中级工', 3: '三级/高级工', 2: '二级/技师', 1: '一级/高级技师' };
export const certStatus = { valid: '有效', revoked: '已撤销', expired: '已过期', unknown: '未知' };
export const results = { passed: '合格', failed: '不合格' };

/** Formats an RFC 3339 time in China time. */
export function when(t) {
  if (!t) return '';
  return new Date(t).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/** Wires a sign-in form: on success stores the token and calls done. */
export function wireSignIn(form, sess, msgId, done) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    try {
      sess.set(await signIn(String(f.get('username')).trim(), String(f.get('password'))));
      form.reset();
      fill(msgId);
      done();
    } catch (r) {
      fill(msgId, r.status === 401 ? el('div', { class: 'error', role: 'alert' }, '用户名或密码错误') : problem(r));
    }
  });
}
