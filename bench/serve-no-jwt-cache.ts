/**
 * Experiment only (`npm run bench -- --jwt-cache off`): the proxy exactly as `ig-proxy serve` wires
 * it, from the same environment, but with the verified-JWT cache disabled, so the cost of verifying
 * every request's JWT with jose can be measured against the default.
 */
import { createApp } from '../src/app.js';
import { createJwtVerifier } from '../src/auth/verify.js';
import { resolveConfig } from '../src/config/index.js';
import { createLogger } from '../src/observability/logger.js';

const { config, problems } = resolveConfig({ env: process.env, flags: {} });
if (!config) {
  process.stderr.write(`bench: configuration problems: ${problems.join('; ')}\n`);
  process.exit(1);
}
const logger = createLogger(config.logLevel);
const verifier = createJwtVerifier(config.jwt, Date.now, undefined, 0);
const app = createApp(config, { logger, verifier });
await app.listen();
process.once('SIGTERM', () => {
  app.close().then(
    () => undefined,
    () => undefined,
  );
});
