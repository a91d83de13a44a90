import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * pglite-socket multiplexes many client connections onto PGlite's one backend, one protocol message at a
 * time, keeping a connection's messages together only inside a transaction. node-postgres sends an
 * extended query as Parse/Bind/Describe/Execute/Sync, so another connection's Parse can land between
 * them and clobber the unnamed statement ("unnamed prepared statement does not exist", wrong parameters).
 * This scheduler gives the backend to one connection from its first message until its Sync (or simple
 * Query) has run and it is outside a transaction.
 */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(err: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  db: PGlite;
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const PASSWORD = 0x70; // 'p'

const isStartup = (message: Uint8Array) =>
  message.length >= 8 && new DataView(message.buffer, message.byteOffset).getInt32(4) === 196608;

/** A message after which the connection waits for the server: Sync, Query, Terminate, or the startup packet. */
function endsExchange(message: Uint8Array): boolean {
  const type = message[0];
  if (type === SYNC || type === QUERY || type === TERMINATE) return true;
  return isStartup(message);
}

/** AuthenticationCleartextPassword: the server asks for the password (safe here: a Unix socket, no network). */
const ASK_PASSWORD = Uint8Array.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]);

/** A FATAL ErrorResponse, after which the connection is closed. */
function fatal(code: string, message: string): Uint8Array {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', code],
      ['M', message],
    ].map(([k, v]) => Buffer.from(`${k}${v}\0`, 'utf8')),
  );
  const out = Buffer.alloc(1 + 4 + fields.length + 1);
  out[0] = 0x45; // 'E'
  out.writeInt32BE(4 + fields.length + 1, 1);
  fields.copy(out, 5);
  return new Uint8Array(out);
}

/** The password of a PasswordMessage ('p', length, text, NUL). */
const passwordOf = (message: Uint8Array) =>
  Buffer.from(message.subarray(5, Math.max(5, message.length - 1))).toString('utf8');

/** Constant-time comparison, so the password cannot be found a character at a time. */
function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i += 1) diff |= (a[i] ?? 0) ^ b[i]!;
  return diff === 0;
}

export interface EmbeddedAccess {
  /** Every connection must give it (the service's own connection string carries it); others are refused. */
  password: string;
  /** Run before a new connection's session starts and after one ends, so none inherits another's session state. */
  resetSql: string;
}

/**
 * Schedules the backend between connections (see above) and gates it: a connection runs nothing until it has
 * sent the startup packet and the password; anything else gets a FATAL error and is closed.
 */
export function keepExchangesTogether(server: PGLiteSocketServer, access: EmbeddedAccess): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let owner: number | null = null;
  // Per connection: its startup packet while the password is awaited, then 'ok'.
  const sessions = new Map<number, Uint8Array | 'ok'>();
  let resetPending = false;

  const refuse = (entry: QueuedMessage, message: string) => {
    sessions.delete(entry.handlerId);
    entry.onData(fatal('28P01', message));
    // Rejecting makes the socket handler close the connection.
    entry.reject(new Error(message));
  };

  /** The gate; true when the message may run on the backend. */
  const admit = async (db: PGlite, entry: QueuedMessage): Promise<boolean> => {
    const state = sessions.get(entry.handlerId);
    if (state === 'ok') return true;
    if (state === undefined) {
      if (isStartup(entry.message)) {
        sessions.set(entry.handlerId, entry.message);
        entry.onData(ASK_PASSWORD);
        entry.resolve(ASK_PASSWORD.length);
      } else refuse(entry, 'the connection must start with a startup packet');
      return false;
    }
    if (entry.message[0] !== PASSWORD || !samePassword(passwordOf(entry.message), access.password)) {
      refuse(entry, 'password authentication failed for user "postgres"');
      return false;
    }
    // Authenticated: a clean session, then the startup packet PGlite answers (AuthenticationOk ... ReadyForQuery).
    // No connection owns the backend here (a password comes only between exchanges), so the reset is safe.
    sessions.set(entry.handlerId, 'ok');
    let bytes = 0;
    // exec takes PGlite's lock itself (inside runExclusive it would wait for itself).
    if (!db.isInTransaction()) await db.exec(access.resetSql);
    await db.runExclusive(() =>
      db.execProtocolRawStream(state, {
        onRawData: (data: Uint8Array) => {
          bytes += data.length;
          entry.onData(data);
        },
      }),
    );
    entry.resolve(bytes);
    return false;
  };

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        if (resetPending && owner === null && !this.db.isInTransaction()) {
          resetPending = false;
          await this.db.exec(access.resetSql);
        }
        const index = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
        if (index === -1) return; // the owner's next message has not arrived yet
        const [entry] = this.queue.splice(index, 1) as [QueuedMessage];
        try {
          if (!(await admit(this.db, entry))) continue;
        } catch (err) {
          entry.reject(err);
          continue;
        }
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(entry.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                entry.onData(data);
              },
            }),
          );
        } catch (err) {
          owner = this.db.isInTransaction() ? entry.handlerId : null;
          entry.reject(err);
          continue;
        }
        owner = this.db.isInTransaction() || !endsExchange(entry.message) ? entry.handlerId : null;
        this.lastHandlerId = entry.handlerId;
        entry.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(queue);

  // A connection that goes away mid-exchange or mid-transaction must not hold the backend, nor leave its
  // session state (a search_path, a temporary table) to the connections after it.
  const clearTransaction = queue.clearTransactionIfNeeded.bind(queue);
  // Deferred to the next point between exchanges: a simple query in the middle of another connection's extended
  // exchange would drop its unnamed statement.
  const resetAfter = async (handlerId: number) => {
    if (sessions.get(handlerId) === 'ok') resetPending = true;
    sessions.delete(handlerId);
  };
  queue.clearTransactionIfNeeded = async (handlerId: number) => {
    if (owner === handlerId) {
      owner = null;
      if (queue.db.isInTransaction()) await queue.db.exec('ROLLBACK');
      queue.lastHandlerId = null;
      await resetAfter(handlerId);
      await queue.processQueue();
      return;
    }
    await clearTransaction(handlerId);
    await resetAfter(handlerId);
  };
}
