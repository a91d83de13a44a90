import { z } from 'zod';

export const ImportQuery = z.object({
  /** true (the default): check and report only; false: apply when the whole file is valid. */
  dryRun: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

/**
 * The import's body as the OpenAPI document shows it: the CSV file itself, streamed to the route (never parsed here,
 * so it accepts anything and the route answers 415 for what is not a file). Without it the document listed no body
 * for the import, so neither a reader nor the fuzzer knew the route takes CSV.
 */
export const CsvFileBody = z.unknown().meta({ type: 'string', format: 'binary', description: 'The CSV file' });

export const ImportProblem = z.object({
  line: z.number().int(),
  column: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});

export const ImportSummary = z.object({
  add: z.number().int(),
  edit: z.number().int(),
  suspend: z.number().int(),
  delete: z.number().int(),
  unchanged: z.number().int(),
});

export const FileExport = z.object({
  contentVersionId: z.string(),
  contentDocumentId: z.string(),
  title: z.string(),
  size: z.number().int(),
  /** Relative to the org's domain, e.g. /sfc/servlet.shepherd/version/download/068... */
  downloadUrl: z.string(),
});

export const ImportReport = z.object({
  dryRun: z.boolean(),
  /** True only when the file was valid and every change was written. */
  applied: z.boolean(),
  summary: ImportSummary,
  errorCount: z.number().int(),
  errors: z.array(ImportProblem),
  resultId: z.uuid(),
  resultCsvUrl: z.string(),
  /** Imports run as a job: the result of each row as a Salesforce file shared with the admin (too big for Apex). */
  resultFile: FileExport.optional(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportResultParams = z.object({ id: z.uuid() });

export const FileImportBody = z.object({
  /** The ContentVersion that lightning-file-upload created. */
  contentVersionId: z.string().min(1).max(18),
  /** true (the default): check and report only; false: apply when the whole file is valid. */
  dryRun: z.boolean().default(true),
});
