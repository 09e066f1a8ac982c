import { DomainError, type BusMessage, type FieldIssue } from '@lemo/domain';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { messageOf } from './error-message';
import { recordBytes, type OutboxRecord } from './outbox/sqlite-outbox';

export type OutgoingMessage = Omit<BusMessage, 'headers'> & { headers?: Record<string, string> };

/** Kafka's legal topic names (the broker also refuses '.' and '..'). */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * Validates and serialises a publish call before anything is written: a
 * message Kafka would refuse must be refused here, because once in the outbox
 * it would be retried forever and hold back every message behind it.
 */
export function encodeMessages(messages: readonly OutgoingMessage[], namespace: string, maxMessageBytes: number, acceptedAt: number): OutboxRecord[] {
  const issues: FieldIssue[] = [];
  const records: OutboxRecord[] = [];
  messages.forEach((message, i) => {
    const issue = (field: string, text: string) => issues.push({ field: `messages.${i}.${field}`, message: text });
    const topic = `${namespace}${message.topic}`;
    if (typeof message.topic !== 'string' || !TOPIC_NAME.test(topic) || topic === '.' || topic === '..') {
      issue('topic', 'must be 1-249 characters of letters, digits, ".", "_" or "-"');
      return;
    }
    if (typeof message.key !== 'string') return issue('key', 'must be a string');
    const headers = message.headers ?? {};
    if (Object.values(headers).some((value) => typeof value !== 'string')) return issue('headers', 'values must be strings');
    let value: string;
    try {
      value = JSON.stringify(message.value ?? null);
    } catch (error) {
      return issue('value', `is not serialisable as JSON (${messageOf(error)})`);
    }
    const record: OutboxRecord = { topic, key: message.key, value, headers: JSON.stringify(headers), acceptedAt };
    if (recordBytes(record) > maxMessageBytes) return issue('value', `is larger than ${maxMessageBytes} bytes once serialised`);
    records.push(record);
  });
  if (issues.length > 0) throw DomainError.invalidMany(issues);
  return records;
}

/** The value as published (JSON); a record written by another producer that is not JSON arrives as its text. */
function decodeValue(value: Buffer | null): unknown {
  if (value === null) return null;
  const text = value.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** String headers; a header repeated by another producer keeps its first value. */
function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first !== undefined) decoded[name] = first.toString();
  }
  return decoded;
}

export function decodeMessage(topic: string, message: KafkaMessage): BusMessage {
  return { topic, key: message.key?.toString('utf8') ?? '', value: decodeValue(message.value), headers: decodeHeaders(message.headers) };
}
