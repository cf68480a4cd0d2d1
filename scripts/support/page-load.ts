import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

/** One load run against a page: the same request over and over from many clients at once. */
export interface PageLoad {
  /** e.g. http://127.0.0.1:1234 */
  base: string;
  /** Paths taken in turn, so one page can be asked for many cases (a single path is fine). */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

export interface PageLoadResult {
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  perSecond: number;
  /** Answers other than 200, by status (a redirect to sign-in counts: the session was lost). */
  statuses: Record<string, number>;
  notOk: number;
  errors: number;
  timeouts: number;
}

/**
 * Runs autocannon in a worker thread: the API under test runs on this process's main thread, and
 * a load generator on the same event loop would queue its own work between the server's and add
 * that to every latency it measures.
 */
export function loadPage(load: PageLoad): Promise<PageLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: load });
    worker.once('message', (result: PageLoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}

async function runInWorker(load: PageLoad): Promise<PageLoadResult> {
  let next = 0;
  const options = { url: load.base, connections: load.connections, duration: load.durationSeconds };
  const raw = await autocannon({
    ...options,
    headers: load.headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: load.paths[next++ % load.paths.length] }),
      },
    ],
  });
  // Off the main thread autocannon hands back its histograms encoded, for the caller to aggregate.
  const aggregate = (autocannon as unknown as { aggregateResult(results: unknown[], opts: object): autocannon.Result }).aggregateResult;
  const result = aggregate([raw], options);
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  const ok = statuses['200'] ?? 0;
  return {
    requests: result.requests.total,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    perSecond: result.requests.total / (result.duration || load.durationSeconds),
    statuses,
    notOk: Object.values(statuses).reduce((s, n) => s + n, 0) - ok,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  runInWorker(workerData as PageLoad).then(
    (result) => port.postMessage(result),
    (err: unknown) => {
      throw err;
    },
  );
}
