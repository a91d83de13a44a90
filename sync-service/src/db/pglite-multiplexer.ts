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

/** A message after which the connection waits for the server: Sync, Query, Terminate, or the startup packet. */
function endsExchange(message: Uint8Array): boolean {
  const type = message[0];
  if (type === SYNC || type === QUERY || type === TERMINATE) return true;
  const isStartup = message.length >= 8 && new DataView(message.buffer, message.byteOffset).getInt32(4) === 196608;
  return isStartup;
}

export function keepExchangesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let owner: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
        if (index === -1) return; // the owner's next message has not arrived yet
        const [entry] = this.queue.splice(index, 1) as [QueuedMessage];
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

  // A connection that goes away mid-exchange or mid-transaction must not hold the backend.
  const clearTransaction = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async (handlerId: number) => {
    if (owner === handlerId) {
      owner = null;
      if (queue.db.isInTransaction()) await queue.db.exec('ROLLBACK');
      queue.lastHandlerId = null;
      await queue.processQueue();
      return;
    }
    await clearTransaction(handlerId);
  };
}
