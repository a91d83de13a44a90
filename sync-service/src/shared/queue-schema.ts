/** The PostgreSQL schema holding the job queue's (pg-boss's) tables. */
export const QUEUE_SCHEMA = 'pgboss';
