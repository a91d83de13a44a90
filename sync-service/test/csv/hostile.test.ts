import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();
const upload = (body: string, dryRun = true) =>
  t.api('POST', `/api/v1/users/import?dryRun=${dryRun}`, { payload: body, headers: { 'content-type': 'text/csv' } });

describe('CSV a careless admin sends', () => {
  it('reports a stray quote inside an unquoted cell with its line and column, not a 500', async () => {
    const res = await upload(
      'Email,First Name,Job Title,Role,Operation\nm@example.com,M,27" Monitor buyer,Member,Add\n',
    );
    expect(res.statusCode).toBe(200);
    expect(res.data.errors).toEqual([
      { line: 2, column: 'Job Title', code: 'malformed_csv', message: expect.stringContaining('double quote') },
    ]);
  });

  it('reports a JSON body sent as CSV as malformed on line 1', async () => {
    const res = await upload('{"rows": [{"email": "a@example.com"}]}');
    expect(res.statusCode).toBe(200);
    expect(res.data.applied).toBe(false);
    expect(res.data.errors).toEqual([
      { line: 1, column: 'Column 1', code: 'malformed_csv', message: expect.stringContaining('JSON') },
    ]);
  });

  it('quotes cells holding a line break in the export, so the file reads back as the same users', async () => {
    // Names from Salesforce or older data may hold line breaks; the export must keep them inside their cell.
    const created = await t.api('POST', '/api/v1/users', {
      body: { email: 'lines@example.com', role: 'member', firstName: 'Two', lastName: 'Lines' },
    });
    expect(created.statusCode).toBe(201);
    await t.app
      .db('users')
      .where({ id: created.data.id })
      .update({ first_name: 'Two\nLines', job_title: 'Carriage\rReturn, "quoted"' });
    const exported = await t.api('GET', '/api/v1/users/export.csv');
    const rows: string[][] = parse(exported.body, { bom: true });
    const row = rows.find((r) => r[0] === 'lines@example.com')!;
    expect(row.slice(1, 4)).toEqual(['Two\nLines', 'Lines', 'Carriage\rReturn, "quoted"']);
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    const reimport = await upload(exported.body);
    expect(reimport.data.errors).toEqual([]);
  });

  it('quotes a message holding a line break in the import result file', async () => {
    const res = await upload('Email,Role,Operation\nr@example.com,Member,"Ad\nd"\n');
    expect(res.data.errors[0]).toMatchObject({ line: 2, code: 'unknown_operation' });
    const result = await t.api('GET', res.data.resultCsvUrl);
    const rows: string[][] = parse(result.body, { bom: true });
    expect(rows).toHaveLength(2);
    expect(rows[1]![4]).toContain('Ad\nd');
  });
});
