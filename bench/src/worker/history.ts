import { nowUs } from '../clock.js';
import { createLatencyHistogram, encodeHistogram, recordUs } from '../stats/latency.js';
import { ErrorLog } from './error-log.js';
import { HttpClient } from './http-client.js';
import type { HistoryRequest, HistoryResult } from './messages.js';

interface HistoryPage {
  events?: unknown[];
  next_cursor?: string | null;
}

/** S7: each query in turn, one at a time, following `next_cursor` for paged ones. */
export async function queryHistory(request: HistoryRequest): Promise<HistoryResult> {
  const errors = new ErrorLog();
  const http = new HttpClient(request.spec.host, request.spec.port, request.spec.token ?? '', 1);
  const byQuery: HistoryResult['byQuery'] = {};
  const histograms = new Map(request.queries.map((q) => [q.name, createLatencyHistogram()]));
  const deadlineUs = nowUs() + request.maxMs * 1000;
  for (const q of request.queries) byQuery[q.name] = { histogram: '', rows: 0, runs: 0 };
  for (let round = 0; round < request.rounds && nowUs() < deadlineUs; round++) {
    for (const q of request.queries) {
      let cursor: string | undefined;
      for (let page = 0; page < q.pages; page++) {
        const path = `/api/events/history?${q.query}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
        const startUs = nowUs();
        try {
          const res = await http.call('GET', path, undefined, 30_000);
          recordUs(histograms.get(q.name)!, nowUs() - startUs);
          if (res.status !== 200) {
            errors.add(`${q.name}: HTTP ${res.status} ${res.body.slice(0, 120)}`);
            break;
          }
          const body = JSON.parse(res.body) as HistoryPage;
          byQuery[q.name]!.rows += body.events?.length ?? 0;
          byQuery[q.name]!.runs++;
          if (typeof body.next_cursor !== 'string') break;
          cursor = body.next_cursor;
        } catch (error) {
          errors.add(`${q.name}: ${(error as Error).message}`);
          break;
        }
      }
    }
  }
  http.close();
  for (const [name, histogram] of histograms) byQuery[name]!.histogram = encodeHistogram(histogram);
  return { byQuery, errors: errors.list() };
}
