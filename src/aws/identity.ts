/**
 * Identity as the gateway enforces it. The run is the issuer of every token it sends: one RSA key per
 * run (jose), tokens minted for the issuer, audience and scopes a template's JWT or Cognito authorizer
 * names, and the JWKS and OpenID configuration documents an issuer publishes. A `TokenGate` is that
 * authorizer: it reads the token from its header, verifies signature, expiry, issuer, audience and
 * scopes as API Gateway does, and answers 401 or 403 in the gateway's words, or passes the claims on.
 */
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, createLocalJWKSet, type JWK, type JWTPayload, type KeyLike } from 'jose';
import type { DeployedJwtAuthorizer } from '../deploy/model';
import { refusal, type AuthorizerDecision } from '../gateway/authorizer';
import type { HttpRequest, SourceName } from '../gateway/types';
import { headerValue } from '../gateway/wire';

/** The subject of every token the run mints. */
export const TOKEN_SUBJECT = 'lambda-contract-user';
/** The app client Cognito tokens name (`aud` of an ID token, `client_id` of an access token). */
export const TOKEN_CLIENT = 'lambdacontractclient';

/** What a minted token claims beyond the authorizer's issuer and audience. */
export interface MintOptions {
  /** Seconds from now until it expires; negative: expired already. Default one hour. */
  expiresIn?: number;
  /** In place of the authorizer's audience. */
  audience?: string;
  /** In place of the authorizer's issuer. */
  issuer?: string;
  /** In place of the route's scopes (`[]`: none). */
  scopes?: string[];
  /** Claims besides the issuer's (the config's `tokenClaims`: `cognito:groups`, `email`): they win over the defaults. */
  claims?: Record<string, unknown>;
}

export class LocalIssuer {
  /** How many tokens it minted (the report says so). */
  minted = 0;

  private constructor(
    private readonly privateKey: KeyLike,
    private readonly publicJwk: JWK,
  ) {}

  /** A new issuer with a key pair of its own (RS256, as Cognito signs). */
  static async start(): Promise<LocalIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'lambda-contract-1', alg: 'RS256', use: 'sig' };
    return new LocalIssuer(privateKey, jwk);
  }

  /** The issuer's JSON Web Key Set, as `…/.well-known/jwks.json` serves it. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** The OpenID configuration an issuer publishes at `…/.well-known/openid-configuration`. */
  openidConfiguration(issuer: string): Record<string, unknown> {
    return { issuer, jwks_uri: `${issuer}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ['RS256'], subject_types_supported: ['public'], response_types_supported: ['code', 'token'] };
  }

  /** A token the authorizer accepts (or, through `options`, one it must refuse). */
  async mint(authorizer: DeployedJwtAuthorizer, options: MintOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const scopes = options.scopes ?? authorizer.scopes;
    const audience = options.audience ?? authorizer.audience[0];
    // Cognito: an access token carries scopes and names its client in client_id; an ID token names it in aud.
    const access = authorizer.kind === 'jwt' || scopes.length > 0;
    const claims: JWTPayload = {
      sub: TOKEN_SUBJECT,
      token_use: access ? 'access' : 'id',
      ...(authorizer.kind === 'cognito' ? { 'cognito:username': TOKEN_SUBJECT, ...(access ? { client_id: TOKEN_CLIENT } : {}) } : {}),
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
      ...(options.claims ?? {}),
    };
    const aud = authorizer.kind === 'cognito' && !access ? (authorizer.audience[0] ?? TOKEN_CLIENT) : audience;
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.publicJwk.kid ?? '' }).setIssuer(options.issuer ?? authorizer.issuer).setIssuedAt(now - 60).setExpirationTime(now + (options.expiresIn ?? 3600));
    if (aud !== undefined) jwt = jwt.setAudience(aud);
    this.minted++;
    return jwt.sign(this.privateKey);
  }

  /** The claims of a token this issuer signed, or why it is not one (expired, another issuer, a bad signature). */
  async verify(token: string, issuer: string): Promise<{ claims: JWTPayload } | { invalid: string }> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(this.jwks()), { issuer, algorithms: ['RS256'] });
      return { claims: payload };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { invalid: e.code === 'ERR_JWT_EXPIRED' ? 'the token has expired' : e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? `the token's ${e.message ?? 'claims'}` : `the token is not valid (${e.message ?? e.code ?? 'unreadable'})` };
    }
  }
}

/** A request the gate must refuse, and the status it must refuse it with. */
export interface GateProbe {
  /** The case name (`gateway auth: expired token`). */
  name: string;
  /** What the request breaks, for the report. */
  breaks: string;
  status: 401 | 403;
  /** The token sent: minted with these options; absent: none sent. */
  mint?: MintOptions;
}

/**
 * The requests a JWT or Cognito authorizer must refuse: no token (401), an expired one (401), one of
 * another issuer (401), one for another audience where the audience is checked (401), and one without
 * the route's scopes where it requires some (403). Named before anything runs: a suite's tests are these.
 */
export function gateProbes(authorizer: DeployedJwtAuthorizer): GateProbe[] {
  const probes: GateProbe[] = [
    { name: 'gateway auth: no token', breaks: `sends no ${authorizer.header} header`, status: 401 },
    { name: 'gateway auth: expired token', breaks: 'sends a token that expired an hour ago', status: 401, mint: { expiresIn: -3600 } },
    { name: 'gateway auth: token of another issuer', breaks: 'sends a token another issuer signed', status: 401, mint: { issuer: 'https://issuer.invalid/other' } },
  ];
  if (authorizer.kind === 'jwt' && authorizer.audience.length > 0) {
    probes.push({ name: 'gateway auth: token for another audience', breaks: 'sends a token for another audience', status: 401, mint: { audience: 'another-audience' } });
  }
  if (authorizer.scopes.length > 0) {
    probes.push({ name: 'gateway auth: token without the route\'s scopes', breaks: `sends a token without any of the scopes ${authorizer.scopes.join(', ')}`, status: 403, mint: { scopes: ['lambda-contract/other'] } });
  }
  return probes;
}

/** A template's JWT or Cognito authorizer, run as API Gateway runs it. */
export class TokenGate {
  private constructor(
    readonly authorizer: DeployedJwtAuthorizer,
    /** The issuer whose tokens it accepts (one per run). */
    readonly issuer: LocalIssuer,
    /** A token it accepts, sent with every valid request. */
    readonly token: string,
    /** The requests it must refuse, each with the token it is sent (none: undefined). */
    readonly probes: ReadonlyArray<GateProbe & { token: string | undefined }>,
  ) {}

  static async of(authorizer: DeployedJwtAuthorizer, issuer: LocalIssuer, claims?: Record<string, unknown>): Promise<TokenGate> {
    const extra = claims ? { claims } : {};
    const probes = await Promise.all(gateProbes(authorizer).map(async (p) => ({ ...p, token: p.mint ? await issuer.mint(authorizer, { ...p.mint, ...extra }) : undefined })));
    return new TokenGate(authorizer, issuer, await issuer.mint(authorizer, extra), probes);
  }

  /** The gateway's decision on a request: its claims passed on, or a refusal in the source's words. */
  async check(request: HttpRequest, source: SourceName): Promise<AuthorizerDecision> {
    const a = this.authorizer;
    const raw = headerValue(request.headers, a.header);
    const deny = (status: 401 | 403, reason: string): AuthorizerDecision => ({ allowed: false, fault: refusal(source, status, `${a.name} (${a.setting}): ${reason}`) });
    if (!raw) return deny(401, `no ${a.header} header`);
    const token = raw.replace(/^Bearer\s+/i, '');
    const verified = await this.issuer.verify(token, a.issuer);
    if ('invalid' in verified) return deny(401, verified.invalid);
    const { claims } = verified;
    if (a.kind === 'jwt' && a.audience.length > 0) {
      const auds = [claims.aud ?? [], claims.client_id ?? []].flat().map(String);
      if (!auds.some((x) => a.audience.includes(x))) return deny(401, `the token's audience ${auds.join(', ') || '(none)'} is not ${a.audience.join(' or ')}`);
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    if (a.scopes.length > 0 && !a.scopes.some((s) => scopes.includes(s))) return deny(403, `the token has none of the scopes ${a.scopes.join(', ')}`);
    return { allowed: true, authorizer: { type: 'jwt', claims, ...(scopes.length > 0 ? { scopes } : {}) }, result: claims };
  }
}
