import cluster from 'node:cluster';
import { AggregatorRegistry, type PrometheusContentType, type Registry } from 'prom-client';

const ASK = 'igproxy:cluster-metrics-request';
const ANSWER = 'igproxy:cluster-metrics-response';
/** A worker answers /metrics with 500 if the primary has not sent the cluster's metrics by then. */
export const CLUSTER_METRICS_TIMEOUT_MS = 5_000;

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
}

/**
 * A cluster worker's registry. Its metrics register here as usual; its `metrics()` text is the
 * whole cluster's, summed by the primary over every worker (prom-client's AggregatorRegistry), so a
 * scrape that lands on any worker sees the same totals.
 */
export class ClusterWorkerRegistry extends AggregatorRegistry<PrometheusContentType> {
  #next = 0;
  readonly #pending = new Map<number, (text: string | undefined) => void>();

  constructor() {
    super(); // also installs prom-client's worker-side listener that reports this registry
    AggregatorRegistry.setRegistries([this as unknown as Registry]);
    process.on('message', (m: Answer) => {
      if (m?.type !== ANSWER) return;
      this.#pending.get(m.id)?.(m.text);
      this.#pending.delete(m.id);
    });
  }

  override metrics(): Promise<string> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#pending.get(id)?.(undefined), CLUSTER_METRICS_TIMEOUT_MS);
      this.#pending.set(id, (text) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        if (text === undefined) reject(new Error('cluster metrics unavailable'));
        else resolve(text);
      });
      process.send?.({ type: ASK, id });
    });
  }
}

/** The primary's side: answers workers' requests with the aggregated metrics of all workers. */
export function answerClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, m: { type?: string; id?: number }) => {
    if (m?.type !== ASK) return;
    const reply = (text?: string) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: m.id, text });
    };
    aggregator.clusterMetrics().then(reply, () => reply(undefined));
  });
}
