import type { ParamMap } from '../proxy/params.js';
import type { UpstreamBase } from '../proxy/upstream-url.js';

export const PROVIDER_NAMES = ['instagram', 'instagram-graph', 'facebook-graph'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The parameters about to go upstream: query always, body when the request has a parsed body. */
export interface OutgoingParams {
  readonly query: ParamMap;
  readonly body: ParamMap | undefined;
}

export interface SignContext {
  /** Unix seconds from the injected clock (for time-stamped proofs). */
  readonly nowSec: number;
}

/** What differs between upstream APIs: base URL, which params are ours, and how a request is signed. */
export interface Provider {
  readonly name: ProviderName;
  readonly base: UpstreamBase;
  /** Parameters only the proxy may set; a client's are removed before signing. */
  readonly reservedParams: readonly string[];
  /** A body that is neither form nor JSON passes through unsigned (else 415). */
  readonly rawBodyAllowed: boolean;
  /** JSON bodies may carry objects/arrays as values (forwarded as JSON text). */
  readonly structuredJson: boolean;
  /** Maps the validated client path to the path below the base URL. */
  apiPath(clientPath: string): string;
  /** Every access token the request would use upstream (checked against the JWT's list). */
  accessTokens(params: OutgoingParams): string[];
  /** Adds the signature parameters. */
  sign(apiPath: string, params: OutgoingParams, ctx: SignContext): void;
}
