import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { errors, type Dispatcher } from 'undici';

/** Bytes of upstream body held while the client response is not attached yet; beyond it, pause. */
export const RELAY_BUFFER_BYTES = 64 * 1024;

export interface UpstreamHead {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
}

export interface Collected {
  readonly chunks: Buffer[];
  readonly size: number;
  /** The body went past the cap; the rest is still unread (pipeTo sends it). */
  readonly overflow: boolean;
}

/** The upstream body, delivered to one client response. */
export interface UpstreamBody {
  /** Reads until the end or until past `max` bytes (then pauses); the chunks are handed over. */
  collect(max: number): Promise<Collected>;
  /** Writes the (rest of the) body to `res` as it arrives and ends it; rejects with the upstream failure. */
  pipeTo(res: ServerResponse): Promise<void>;
}

type Settle = { resolve: () => void; reject: (err: Error) => void };
type Collector = { max: number; resolve: (c: Collected) => void; reject: (err: Error) => void };

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
  private collector: Collector | undefined;
  private paused = false;
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
      if (this.pendingBytes > (this.collector?.max ?? RELAY_BUFFER_BYTES)) this.pause(controller);
      if (this.collector && this.paused) this.handOver(true);
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
    if (this.collector) this.handOver(false);
    if (this.res) this.finish(this.res);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (!this.headSeen) return this.settleHead.reject(err);
    this.failure = err;
    this.collector?.reject(err);
    this.collector = undefined;
    this.done?.reject(err);
  }

  collect(max: number): Promise<Collected> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.collector = { max, resolve, reject };
      if (this.ended) this.handOver(false);
      else if (this.pendingBytes > max) this.handOver(true);
      else if (this.paused) this.unpause();
    });
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
      this.pendingBytes = 0;
      if (this.ended) this.finish(res);
      else if (this.paused) this.unpause();
    });
  }

  private handOver(overflow: boolean): void {
    const collector = this.collector as Collector;
    this.collector = undefined;
    collector.resolve({ chunks: this.pending, size: this.pendingBytes, overflow });
    this.pending = [];
    this.pendingBytes = 0;
  }

  private pause(controller: Dispatcher.DispatchController): void {
    this.paused = true;
    controller.pause();
  }

  private unpause(): void {
    this.paused = false;
    this.controller?.resume();
  }

  private finish(res: ServerResponse, last?: Buffer): void {
    if (!res.destroyed) res.end(last);
    this.done?.resolve();
  }
}
