import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { errors, type Dispatcher } from 'undici';

/** Bytes of upstream body held while the client response is not attached yet; beyond it, pause. */
export const RELAY_BUFFER_BYTES = 64 * 1024;

export interface UpstreamHead {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
}

/** The upstream body, delivered to one client response. */
export interface UpstreamBody {
  /** Writes the body to `res` as it arrives and ends it; rejects with the upstream failure. */
  pipeTo(res: ServerResponse): Promise<void>;
}

type Settle = { resolve: () => void; reject: (err: Error) => void };

/**
 * One upstream call on undici's dispatch-handler API. The response head resolves `head`; body chunks
 * go straight to the client response with backpressure (pause when `res.write` returns false,
 * resume on `drain`). Compared with `pool.request` + `stream.pipeline`, no Readable, no pipeline and
 * no AbortSignal per request (they were a large share of the proxy's CPU: bench/README.md).
 */
export class UpstreamRelay implements Dispatcher.DispatchHandler, UpstreamBody {
  readonly head: Promise<UpstreamHead>;
  private settleHead!: { resolve: (h: UpstreamHead) => void; reject: (err: Error) => void };
  private controller: Dispatcher.DispatchController | undefined;
  private cancelled: Error | undefined;
  private res: ServerResponse | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  private failure: Error | undefined;
  private done: Settle | undefined;
  private headSeen = false;

  constructor() {
    this.head = new Promise((resolve, reject) => (this.settleHead = { resolve, reject }));
  }

  /** The client went away: cancel the call (now, or as soon as it starts). */
  cancel(): void {
    this.cancelled ??= new errors.RequestAbortedError();
    this.controller?.abort(this.cancelled);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.cancelled) controller.abort(this.cancelled);
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: informational, the final head follows
    this.headSeen = true;
    this.settleHead.resolve({ statusCode, headers });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const res = this.res;
    if (!res) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes > RELAY_BUFFER_BYTES) controller.pause();
      return;
    }
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      controller.pause();
      res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.ended = true;
    if (this.res) this.finish(this.res);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (!this.headSeen) return this.settleHead.reject(err);
    this.failure = err;
    this.done?.reject(err);
  }

  pipeTo(res: ServerResponse): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.done = { resolve, reject };
      this.res = res;
      const pending = this.pending;
      this.pending = [];
      if (this.ended && pending.length === 1) return this.finish(res, pending[0]);
      for (const chunk of pending) res.write(chunk);
      if (this.ended) this.finish(res);
      else if (this.pendingBytes > RELAY_BUFFER_BYTES) this.controller?.resume();
      this.pendingBytes = 0;
    });
  }

  private finish(res: ServerResponse, last?: Buffer): void {
    if (!res.destroyed) res.end(last);
    this.done?.resolve();
  }
}
