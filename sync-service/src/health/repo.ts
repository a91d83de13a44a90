import type { OrgScope } from '../db/scoped.js';
import type { HealthReport, StoredHealthReport } from './schemas.js';

const TABLE = 'integration_health_results';

interface Row {
  id: string;
  checked_at: Date | string;
  overall: HealthReport['overall'];
  items: HealthReport['items'];
  api_calls: number;
  error: string | null;
  report: Partial<Pick<HealthReport, 'user' | 'multiCurrency' | 'unavailable' | 'notChecked' | 'summary'>>;
}

const toReport = (r: Row): StoredHealthReport => ({
  id: r.id,
  checkedAt: new Date(r.checked_at).toISOString(),
  overall: r.overall,
  apiCalls: r.api_calls,
  items: r.items,
  user: r.report.user ?? null,
  multiCurrency: r.report.multiCurrency ?? null,
  unavailable: r.report.unavailable ?? null,
  notChecked: r.report.notChecked ?? [],
  summary: r.report.summary ?? { ok: 0, requiredMissing: 0, recommendedMissing: 0, notApplicable: 0 },
});

/** Health results are append-only: each run is a row, the latest is the current state, the rest is history. */
export const healthRepo = {
  async insert(scope: OrgScope, report: HealthReport, checkedAt = new Date()): Promise<StoredHealthReport> {
    const { items, overall, apiCalls, user, multiCurrency, unavailable, notChecked, summary } = report;
    const [row] = await scope
      .insert(TABLE, {
        checked_at: checkedAt,
        overall,
        items: JSON.stringify(items),
        api_calls: apiCalls,
        error: unavailable?.message ?? null,
        report: JSON.stringify({ user, multiCurrency, unavailable, notChecked, summary }),
      })
      .returning('*');
    return toReport(row as Row);
  },

  async latest(scope: OrgScope): Promise<StoredHealthReport | null> {
    const row = await scope.table(TABLE).orderBy('checked_at', 'desc').orderBy('id', 'desc').first();
    return row ? toReport(row as Row) : null;
  },

  /** Only where the latest check stands, without its items. */
  async latestOverall(scope: OrgScope): Promise<Pick<StoredHealthReport, 'overall' | 'checkedAt'> | null> {
    const row: Pick<Row, 'overall' | 'checked_at'> | undefined = await scope
      .table(TABLE)
      .orderBy('checked_at', 'desc')
      .first('overall', 'checked_at');
    return row ? { overall: row.overall, checkedAt: new Date(row.checked_at).toISOString() } : null;
  },

  async history(scope: OrgScope, opts: { limit: number; before?: string | undefined }) {
    const q = scope.table(TABLE).orderBy('checked_at', 'desc').orderBy('id', 'desc').limit(opts.limit);
    if (opts.before) q.where('checked_at', '<', opts.before);
    const rows = (await q.select('id', 'checked_at', 'overall', 'api_calls', 'report')) as Row[];
    return rows.map((r) => {
      const { id, checkedAt, overall, apiCalls, summary, unavailable } = toReport({ ...r, items: [], error: null });
      return { id, checkedAt, overall, apiCalls, summary, unavailableReason: unavailable?.reason ?? null };
    });
  },
};
