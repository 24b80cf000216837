// A real OpenID Provider for Lanyard's end-to-end single sign-on tests:
// panva's certified `oidc-provider` (8.8.1: the last release for Node 20),
// with its development login form, one confidential client (PKCE S256
// required) and the test accounts Lanyard's directory has.
//
// Started by scripts/test.sh:
//   node provider.mjs PORT REDIRECT_URI POST_LOGOUT_URI ACCOUNTS_JSON
// Environment: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET. Prints "ready <issuer>".
// ACCOUNTS_JSON maps an account id (what the login form asks for; here the
// email) to its claims: { "email": ..., "email_verified": true, "name": ...,
// "groups": [...] }. Any password is accepted (the form is the provider's
// development one): these are test accounts.

import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';
import { generateKeyPair, exportJWK } from 'jose';

const [port, redirectUri, postLogoutUri, accountsFile] = process.argv.slice(2);
const accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
const clientId = process.env.OIDC_CLIENT_ID ?? 'lanyard-e2e';
const clientSecret = process.env.OIDC_CLIENT_SECRET;
if (!clientSecret) throw new Error('OIDC_CLIENT_SECRET is not set');

// A fresh signing key per run (RS256 and ES256, both offered).
const keys = [];
for (const alg of ['RS256', 'ES256']) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  keys.push({ ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `${alg.toLowerCase()}-e2e` });
}

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys },
  pkce: { required: () => true, methods: ['S256'] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  // Claims in the ID token itself (Lanyard reads the ID token only).
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'groups'],
  },
  cookies: { keys: ['lanyard-e2e-cookie-key'] },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  // A first-party client: consent is granted without asking.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});
provider.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
