// A Cloud Signature Consortium API v2 test service (CSC v2.0.0.2, the subset a signing client
// uses), for the remote signing tests: HTTPS on 127.0.0.1 (test TLS CA), keys in a SoftHSM test
// token used through bare pkcs11js (hsm-keys.ts), and
// - info, with authType oauth2code and the OAuth 2.0 base;
// - oauth2/authorize: a login page (username, password, Izinkan / Tolak) that redirects to the
//   client's loopback address (RFC 8252: any port) with a code, or error=access_denied; PKCE S256
//   required; oauth2/token checks the verifier and the confidential client's secret;
// - credentials/list and credentials/info: certificate chains, key status, auth objects (PIN, and
//   a TOTP OTP where configured), SCAL 2, multisign;
// - credentials/authorize: the SAD is bound to exactly the hashes given (SCAL2) and their number;
//   a wrong PIN three times locks the credential (key status "disabled");
// - signatures/signHash: only hashes the SAD covers, each once.
// Failures are injected through the rig (down, slow, an error answer), or by locking a credential.
import { createHash, randomBytes } from 'node:crypto';
import { get as httpGet } from 'node:http';
import type { TestToken } from './softhsm.ts';
import { openHsmKeys } from './hsm-keys.ts';
import { bearerOf, jsonOf, startHttpsRig, type HttpsRig, type RigReply, type RigRequest } from './service-rig.ts';
import { httpsRequest, type TestTls } from './tls.ts';
import { totp, totpMatches } from './totp.ts';

export interface CscTestCredential {
  id: string;
  /** The SoftHSM key (CKA_ID, hex) behind it. */
  keyId: string;
  certificateDer: Uint8Array;
  pin: string;
  /** Asks for a TOTP code besides the PIN. */
  otp: boolean;
  multisign: number;
}

export interface CscTestService extends HttpsRig {
  /** The API base the desk is configured with: <origin>/csc/v2. */
  url: string;
  clientId: string;
  clientSecret: string;
  user: { username: string; password: string };
  credentials: { rsa: CscTestCredential; ec: CscTestCredential; expired: CscTestCredential };
  /** The TOTP code the official's authenticator app shows now. */
  otp(): string;
  lock(credentialId: string): void;
  unlock(credentialId: string): void;
  /** Successful credentials/authorize calls, and the hashes each one bound. */
  authorizations(): { credentialId: string; hashes: string[] }[];
  /** Answer ECDSA signatures as raw r||s (as some services do) instead of DER. */
  answerRawEcdsa(raw: boolean): void;
  /** How many signatures one authorization may cover from now on (every credential). */
  setMultisign(count: number): void;
}

/** A DER ECDSA-Sig-Value as the 64 bytes r||s of P-256. */
function rawEcdsa(der: Uint8Array): Uint8Array {
  const ints: Buffer[] = [];
  let at = 2;
  for (let i = 0; i < 2; i++) {
    const length = der[at + 1]!;
    ints.push(Buffer.from(der.subarray(at + 2, at + 2 + length)));
    at += 2 + length;
  }
  return new Uint8Array(Buffer.concat(ints.map((n) => Buffer.concat([Buffer.alloc(32), n]).subarray(-32))));
}

const sha256Oid = '2.16.840.1.101.3.4.2.1';
const b64url = (b: Buffer) => b.toString('base64url');
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startCscTestService(token: TestToken, tls: TestTls, options: { multisign?: number } = {}): Promise<CscTestService> {
  const hsm = openHsmKeys(token);
  const chainOf = (der: Uint8Array) => [Buffer.from(der).toString('base64'), Buffer.from(token.ca.certDer).toString('base64')];
  const multisign = options.multisign ?? 50;
  const credentials = {
    rsa: { id: 'kredensial-budi-rsa', keyId: token.keys.rsa.id, certificateDer: token.keys.rsa.certificate.der, pin: '246810', otp: true, multisign },
    ec: { id: 'kredensial-budi-ec', keyId: token.keys.ec.id, certificateDer: token.keys.ec.certificate.der, pin: '135790', otp: false, multisign },
    expired: { id: 'kredensial-lama', keyId: token.keys.expired.id, certificateDer: token.keys.expired.certificate.der, pin: '111111', otp: false, multisign },
  } satisfies CscTestService['credentials'];
  const byId = new Map<string, CscTestCredential>(Object.values(credentials).map((c) => [c.id, c]));
  const otpSecret = randomBytes(20);
  const clientId = 'loket-uji';
  const clientSecret = b64url(randomBytes(24));
  const user = { username: 'budi', password: 'sandi-budi-123' };

  const pending = new Map<string, { redirectUri: string; state: string; challenge: string }>();
  const codes = new Map<string, { redirectUri: string; challenge: string; expires: number }>();
  const tokens = new Map<string, number>();
  const sads = new Map<string, { credentialId: string; hashes: Set<string>; left: number; expires: number }>();
  const wrongPins = new Map<string, number>();
  const locked = new Set<string>();
  const authorized: { credentialId: string; hashes: string[] }[] = [];
  let origin = '';
  let raw = false;

  const error = (status: number, code: string, description: string): RigReply => ({ status, json: { error: code, error_description: description } });
  const loopbackRedirect = (uri: string | null) => {
    try {
      const u = new URL(uri ?? '');
      return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === '[::1]') ? u : null;
    } catch {
      return null;
    }
  };
  const loginPage = (txn: string, problem?: string) => ({ html: `<!doctype html><html lang="id"><meta charset="utf-8"><title>Layanan TTE Uji — Masuk</title>
<body><h1>Layanan TTE Uji</h1><p>Aplikasi <b>Loket</b> meminta izin memakai sertifikat Anda untuk menandatangani.</p>
${problem ? `<p role="alert" data-testid="csc-login-error">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/oauth2/authorize"><input type="hidden" name="txn" value="${txn}">
<label>Nama pengguna <input name="username" data-testid="csc-username" autocomplete="off"></label>
<label>Kata sandi <input name="password" type="password" data-testid="csc-password"></label>
<button name="decision" value="allow" data-testid="csc-allow">Izinkan</button> <button name="decision" value="deny" data-testid="csc-deny">Tolak</button>
</form></body></html>` });

  function authorizePage(req: RigRequest): RigReply {
    const q = req.query;
    const redirect = loopbackRedirect(q.get('redirect_uri'));
    if (q.get('client_id') !== clientId || !redirect) return { status: 400, html: '<p>Aplikasi tidak dikenal.</p>' };
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('state')) {
      return { redirect: `${redirect}?error=invalid_request&state=${encodeURIComponent(q.get('state') ?? '')}` };
    }
    const txn = b64url(randomBytes(12));
    pending.set(txn, { redirectUri: redirect.toString(), state: q.get('state')!, challenge: q.get('code_challenge')! });
    return loginPage(txn);
  }

  function authorizeDecision(req: RigRequest): RigReply {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const txn = form.get('txn') ?? '';
    const flow = pending.get(txn);
    if (!flow) return { status: 400, html: '<p>Permintaan kedaluwarsa.</p>' };
    const back = new URL(flow.redirectUri);
    back.searchParams.set('state', flow.state);
    if (form.get('decision') !== 'allow') {
      pending.delete(txn);
      back.searchParams.set('error', 'access_denied');
      return { redirect: back.toString() };
    }
    if (form.get('username') !== user.username || form.get('password') !== user.password) return loginPage(txn, 'Nama pengguna atau kata sandi salah.');
    pending.delete(txn);
    const code = b64url(randomBytes(24));
    codes.set(code, { redirectUri: flow.redirectUri, challenge: flow.challenge, expires: Date.now() + 60_000 });
    back.searchParams.set('code', code);
    return { redirect: back.toString() };
  }

  function tokenEndpoint(req: RigRequest): RigReply {
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return error(401, 'invalid_client', 'Client authentication failed');
    const code = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (form.get('grant_type') !== 'authorization_code' || !code || code.expires < Date.now() || code.redirectUri !== form.get('redirect_uri')) return error(400, 'invalid_grant', 'Invalid or expired authorization code');
    if (b64url(createHash('sha256').update(form.get('code_verifier') ?? '').digest()) !== code.challenge) return error(400, 'invalid_grant', 'PKCE verification failed');
    const accessToken = b64url(randomBytes(24));
    tokens.set(accessToken, Date.now() + 3_600_000);
    return { json: { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope: 'service' } };
  }

  function credentialInfo(c: CscTestCredential) {
    const der = c.certificateDer;
    const ec = c.keyId === token.keys.ec.id || c.keyId === token.keys.expired.id;
    return {
      credentialID: c.id,
      description: `Sertifikat ${c.id}`,
      key: { status: locked.has(c.id) ? 'disabled' : 'enabled', algo: ec ? ['1.2.840.10045.4.3.2'] : ['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.11'], len: ec ? 256 : 2048 },
      cert: { status: c.keyId === token.keys.expired.id ? 'expired' : 'valid', certificates: chainOf(der) },
      auth: {
        mode: 'explicit', expression: c.otp ? 'PIN AND OTP' : 'PIN',
        objects: [
          { type: 'Password', id: 'PIN', format: 'N', label: 'PIN' },
          ...(c.otp ? [{ type: 'Password', id: 'OTP', format: 'N', generator: 'totp', label: 'OTP' }] : []),
        ],
      },
      SCAL: '2',
      multisign: c.multisign,
    };
  }

  function api(req: RigRequest, path: string): RigReply {
    if (path === 'info') {
      return { json: {
        specs: '2.0.0.2', name: 'Layanan TTE Uji (CSC)', logo: '', region: 'ID', lang: 'id', description: 'Layanan tanda tangan jarak jauh untuk pengujian Loket.',
        authType: ['oauth2code'], oauth2: `${origin}/`, oauth2Issuer: origin,
        methods: ['credentials/list', 'credentials/info', 'credentials/authorize', 'signatures/signHash'],
      } };
    }
    const accessToken = bearerOf(req);
    if (!accessToken || (tokens.get(accessToken) ?? 0) < Date.now()) return error(401, 'invalid_token', 'The access token is invalid or expired');
    const body = jsonOf(req) ?? {};
    if (path === 'credentials/list') return { json: { credentialIDs: [...byId.keys()], credentialInfos: [...byId.values()].map(credentialInfo) } };
    const credential = byId.get(String(body.credentialID ?? ''));
    if (!credential) return error(400, 'invalid_request', 'Invalid parameter credentialID');
    if (path === 'credentials/info') return { json: credentialInfo(credential) };
    if (path === 'credentials/authorize') {
      if (locked.has(credential.id)) return error(400, 'invalid_request', 'The credential is locked');
      const hashes = body.hashes;
      const numSignatures = body.numSignatures;
      if (!Array.isArray(hashes) || hashes.length === 0 || hashes.some((h) => typeof h !== 'string' || Buffer.from(h, 'base64').length !== 32)) return error(400, 'invalid_request', 'Invalid parameter hashes');
      if (numSignatures !== hashes.length) return error(400, 'invalid_request', 'numSignatures does not match the number of hashes');
      if (hashes.length > credential.multisign) return error(400, 'invalid_request', 'Numbers of signatures is too high');
      if (body.hashAlgorithmOID !== sha256Oid) return error(400, 'invalid_request', 'Invalid parameter hashAlgorithmOID');
      const authData = Array.isArray(body.authData) ? body.authData as { id?: string; value?: string }[] : [];
      const value = (id: string) => authData.find((a) => a.id === id)?.value;
      if (value('PIN') !== credential.pin) {
        const wrong = (wrongPins.get(credential.id) ?? 0) + 1;
        wrongPins.set(credential.id, wrong);
        if (wrong >= 3) locked.add(credential.id);
        return error(400, 'invalid_pin', 'The PIN is invalid');
      }
      wrongPins.delete(credential.id);
      if (credential.otp && !totpMatches(otpSecret, value('OTP') ?? '')) return error(400, 'invalid_otp', 'The OTP is invalid');
      const sad = b64url(randomBytes(24));
      sads.set(sad, { credentialId: credential.id, hashes: new Set(hashes as string[]), left: hashes.length, expires: Date.now() + 300_000 });
      authorized.push({ credentialId: credential.id, hashes: hashes as string[] });
      return { json: { SAD: sad, expiresIn: 300 } };
    }
    if (path === 'signatures/signHash') {
      const sad = sads.get(String(body.SAD ?? ''));
      const hashes = body.hashes;
      if (!sad || sad.expires < Date.now() || sad.credentialId !== credential.id) return error(400, 'invalid_request', 'Invalid parameter SAD');
      if (!Array.isArray(hashes) || hashes.length > sad.left || hashes.some((h) => typeof h !== 'string' || !sad.hashes.has(h))) return error(400, 'invalid_request', 'The hashes are not authorized by the SAD');
      for (const h of hashes as string[]) sad.hashes.delete(h);
      sad.left -= hashes.length;
      const ec = credential.keyId !== token.keys.rsa.id;
      return { json: { signatures: (hashes as string[]).map((h) => {
        const signature = hsm.signHash(credential.keyId, Buffer.from(h, 'base64'));
        return Buffer.from(ec && raw ? rawEcdsa(signature) : signature).toString('base64');
      }) } };
    }
    return error(404, 'invalid_request', `Unknown method ${path}`);
  }

  const rig = await startHttpsRig(tls, (req) => {
    if (req.path === '/oauth2/authorize') return req.method === 'POST' ? authorizeDecision(req) : authorizePage(req);
    if (req.path === '/oauth2/token' && req.method === 'POST') return tokenEndpoint(req);
    if (req.path.startsWith('/csc/v2/') && req.method === 'POST') return api(req, req.path.slice('/csc/v2/'.length));
    return error(404, 'invalid_request', 'Not found');
  });
  origin = rig.origin;
  return {
    ...rig,
    url: `${origin}/csc/v2`,
    clientId, clientSecret, user, credentials,
    otp: () => totp(otpSecret),
    lock: (id) => { locked.add(id); },
    unlock: (id) => { locked.delete(id); wrongPins.delete(id); },
    authorizations: () => authorized,
    answerRawEcdsa: (value) => { raw = value; },
    setMultisign: (count) => { for (const c of Object.values(credentials)) c.multisign = count; },
    stop: async () => {
      await rig.stop();
      hsm.close();
    },
  };
}


/**
 * What the official does in the browser, without one: opens the authorization page, signs in and
 * allows (or refuses), and follows the redirect to the desk's loopback address. Answers the page
 * the desk showed at the end.
 */
export async function answerInBrowser(authorizationUrl: string, options: { caFile: string; username: string; password: string; decision: 'allow' | 'deny' }): Promise<string> {
  const page = await httpsRequest(authorizationUrl, { caFile: options.caFile });
  const txn = /name="txn" value="([^"]+)"/.exec(page.body.toString('utf8'))?.[1];
  if (!txn) throw new Error(`no login form at ${authorizationUrl}: ${page.status} ${page.body.toString('utf8').slice(0, 200)}`);
  const form = new URLSearchParams({ txn, username: options.username, password: options.password, decision: options.decision }).toString();
  const posted = await httpsRequest(new URL('/oauth2/authorize', authorizationUrl).toString(), {
    caFile: options.caFile, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)) }, body: form,
  });
  const location = posted.headers.location;
  if (posted.status !== 302 || typeof location !== 'string') throw new Error(`no redirect after the login form: ${posted.status}`);
  return new Promise((resolve, reject) => {
    httpGet(location, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    }).on('error', reject);
  });
}
