import type { BusMessage } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';

export type OutgoingMessage = Omit<BusMessage, 'headers'> & { headers?: Record<string, string> };

export interface LoggedMessage {
  offset: number;
  message: BusMessage;
}

interface MessageRow {
  topic: string;
  msg_offset: number;
  msg_key: string;
  value: string;
  headers: string;
}

/** The bus's durable state in SQLite: topics, an append-only log per topic, and each group's next offset. */
export class BusLog {
  constructor(private readonly db: SqliteDatabase) {}

  /** Appends in one transaction; returns the topics written to. Offsets are dense per topic, from 0. */
  append(messages: readonly OutgoingMessage[], now: number): string[] {
    return this.db.write(() => {
      const nextOffsets = new Map<string, number>();
      const insert = this.db.statement('INSERT INTO bus_messages (topic, msg_offset, msg_key, value, headers, published_at) VALUES (?, ?, ?, ?, ?, ?)');
      for (const message of messages) {
        const offset = nextOffsets.get(message.topic) ?? this.openTopic(message.topic, now);
        insert.run(message.topic, offset, message.key, JSON.stringify(message.value ?? null), JSON.stringify(message.headers ?? {}), now);
        nextOffsets.set(message.topic, offset + 1);
      }
      const advance = this.db.statement('UPDATE bus_topics SET next_offset = ? WHERE topic = ?');
      for (const [topic, next] of nextOffsets) advance.run(next, topic);
      return [...nextOffsets.keys()];
    });
  }

  topics(): string[] {
    return (this.db.statement('SELECT topic FROM bus_topics').all() as Array<{ topic: string }>).map((row) => row.topic);
  }

  /** Topics where the group has messages it has not committed yet. */
  topicsBehind(groupId: string): string[] {
    const rows = this.db
      .statement(
        `SELECT t.topic FROM bus_topics t LEFT JOIN bus_offsets o ON o.group_id = ? AND o.topic = t.topic
         WHERE EXISTS (SELECT 1 FROM bus_messages m WHERE m.topic = t.topic AND m.msg_offset >= COALESCE(o.next_offset, 0))`,
      )
      .all(groupId) as Array<{ topic: string }>;
    return rows.map((row) => row.topic);
  }

  /** A group new to a topic starts at its first retained message, so nothing published before it subscribed is lost. */
  committed(groupId: string, topic: string): number {
    const row = this.db.statement('SELECT next_offset FROM bus_offsets WHERE group_id = ? AND topic = ?').get(groupId, topic) as
      { next_offset: number } | undefined;
    return row?.next_offset ?? 0;
  }

  /** The offset the next message of the topic gets (its high watermark); 0 for a topic never written. */
  endOffset(topic: string): number {
    const row = this.db.statement('SELECT next_offset FROM bus_topics WHERE topic = ?').get(topic) as { next_offset: number } | undefined;
    return row?.next_offset ?? 0;
  }

  read(topic: string, fromOffset: number, limit: number): LoggedMessage[] {
    const rows = this.db
      .statement('SELECT topic, msg_offset, msg_key, value, headers FROM bus_messages WHERE topic = ? AND msg_offset >= ? ORDER BY msg_offset LIMIT ?')
      .all(topic, fromOffset, limit) as MessageRow[];
    return rows.map((row) => ({
      offset: row.msg_offset,
      message: { topic: row.topic, key: row.msg_key, value: JSON.parse(row.value) as unknown, headers: JSON.parse(row.headers) as Record<string, string> },
    }));
  }

  commit(groupId: string, topic: string, nextOffset: number): void {
    this.db
      .statement(
        'INSERT INTO bus_offsets (group_id, topic, next_offset) VALUES (?, ?, ?) ON CONFLICT (group_id, topic) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset)',
      )
      .run(groupId, topic, nextOffset);
  }

  /** Drops messages older than the retention, as Kafka does; offsets keep counting up. */
  prune(publishedBefore: number): number {
    return this.db.statement('DELETE FROM bus_messages WHERE published_at < ?').run(publishedBefore).changes;
  }

  private openTopic(topic: string, now: number): number {
    this.db.statement('INSERT OR IGNORE INTO bus_topics (topic, created_at) VALUES (?, ?)').run(topic, now);
    return (this.db.statement('SELECT next_offset FROM bus_topics WHERE topic = ?').get(topic) as { next_offset: number }).next_offset;
  }
}
