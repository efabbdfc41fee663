// Checks a credential's signature in the page: an EdDSA (Ed25519) JWT against the public keys
// of /.well-known/jwks.json, with WebCrypto. Nothing but the key set is fetched.

function b64url(s) {
  let t = s.replace(/-/g, '+').replace(/_/g, '/');
  while (t.length % 4) t += '=';
  return Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
}

function json(part) {
  return JSON.parse(new TextDecoder().decode(b64url(part)));
}

/**
 * Verifies jwt's signature and times. Answers {valid, reason?, header?, claims?}; reason is a
 * Chinese sentence when the credential is not valid.
 */
export async function verifyCredential(jwt, now = Date.now()) {
  const parts = jwt.trim().split('.');
  if (parts.length !== 3) return { valid: false, reason: '不是有效的凭证格式' };
  let header, claims;
  try {
    header = json(parts[0]);
    claims = json(parts[1]);
  } catch {
    return { valid: false, reason: '不是有效的凭证格式' };
  }
  if (header.alg !== 'EdDSA') return { valid: false, reason: '签名算法不受支持', header, claims };
  const res = await fetch('/.well-known/jwks.json', { cache: 'no-store' });
  if (!res.ok) return { valid: false, reason: '无法获取签名公钥', header, claims };
  const jwk = ((await res.json()).keys || []).find((k) => k.kid === header.kid);
  if (!jwk || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return { valid: false, reason: '签名密钥未知', header, claims };
  let ok;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
    ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, b64url(parts[2]), new TextEncoder().encode(parts[0] + '.' + parts[1]));
  } catch {
    return { valid: false, reason: '本浏览器无法校验 Ed25519 签名', header, claims };
  }
  if (!ok) return { valid: false, reason: '签名不正确：凭证被篡改或并非本系统签发', header, claims };
  const secs = now / 1000;
  if (claims.nbf && secs < claims.nbf - 60) return { valid: false, reason: '凭证尚未生效', header, claims };
  if (claims.exp && secs > claims.exp + 60) return { valid: false, reason: '凭证已过有效期', header, claims };
  return { valid: true, header, claims };
}
