/** nginx as a plain reverse proxy (no auth, no signing) with upstream keep-alive: the yardstick. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCommand, start, type Started } from './procs.js';

export function nginxBinary(): string | undefined {
  if (hasCommand('nginx')) return 'nginx';
  for (const path of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) {
    if (hasCommand(path)) return path;
  }
  return undefined;
}

/** One worker, no access log, HTTP/1.1 keep-alive pool to the upstream (as the proxy has). */
export function nginxConf(prefix: string, listenPort: number, upstreamPort: number): string {
  const tmp = (name: string) => `${name}_temp_path ${join(prefix, name)};`;
  return `worker_processes 1;
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  ${tmp('client_body')} ${tmp('proxy')} ${tmp('fastcgi')} ${tmp('uwsgi')} ${tmp('scgi')}
  upstream bench_upstream {
    server 127.0.0.1:${upstreamPort};
    keepalive 256;
  }
  server {
    listen 127.0.0.1:${listenPort};
    keepalive_requests 1000000;
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** Starts nginx in the foreground from a generated config under `prefix`. */
export function startNginx(
  binary: string,
  cpus: string | undefined,
  prefix: string,
  listenPort: number,
  upstreamPort: number,
): Started {
  mkdirSync(prefix, { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, nginxConf(prefix, listenPort, upstreamPort));
  // `-e` keeps nginx from opening the compiled-in error log before reading our config.
  return start(cpus, binary, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')]);
}
