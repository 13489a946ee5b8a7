/** The validated, frozen configuration every other module receives. Nothing reads process.env later. */
export interface RateLimitSpec {
  readonly limit: number;
  readonly windowMs: number;
}

export interface JwtConfig {
  readonly key: string | undefined;
  readonly algorithms: readonly string[];
  readonly clockToleranceSec: number;
  readonly issuer: readonly string[] | undefined;
  readonly audience: readonly string[] | undefined;
  readonly maxLifetimeSec: number | undefined;
  readonly requireExp: boolean;
  readonly keys: Readonly<Record<string, string>> | undefined;
  readonly publicKey: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly jwksCacheMaxAgeSec: number;
  readonly jwksCooldownSec: number;
  readonly tokensClaim: string;
}

export interface ProviderSettings {
  readonly baseUrl: string;
  readonly secret: string | undefined;
}

/** node:http server limits against slow or oversized clients. */
export interface HttpLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeaderBytes: number;
}

export interface Config {
  readonly nodeEnv: string;
  readonly host: string;
  readonly port: number;
  readonly openProxy: boolean;
  readonly logLevel: string;
  readonly upstreamTimeoutMs: number;
  readonly upstreamConnectTimeoutMs: number;
  readonly upstreamMaxConnections: number;
  readonly http: HttpLimits;
  readonly maxBodyBytes: number;
  readonly jwt: JwtConfig;
  readonly providers: {
    readonly instagram: ProviderSettings;
    readonly 'instagram-graph': ProviderSettings;
    readonly 'facebook-graph': ProviderSettings;
  };
  readonly appsecretProofTime: boolean;
  readonly rewritePaging: boolean;
  readonly rewritePagingMaxBytes: number;
  /** Absolute http(s) URL without a trailing slash, query or fragment; undefined → relative links. */
  readonly publicUrl: string | undefined;
  readonly corsOrigins: readonly string[];
  readonly redisUrl: string | undefined;
  readonly rateLimitPerSubject: RateLimitSpec | undefined;
  readonly rateLimitPerToken: RateLimitSpec | undefined;
  readonly rateLimitFailOpen: boolean;
  readonly rateLimitKeyPrefix: string;
  readonly redisTimeoutMs: number;
  readonly metricsPort: number | undefined;
  readonly shutdownGraceMs: number;
  readonly workers: number | 'auto';
}
