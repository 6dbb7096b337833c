import type { EngineEvent } from '../../shared/engineEventSchema.js';
import { describeEvent, type EventLevel } from '../format/describeEvent.js';

export interface EventLogEntry {
  /** Unique within the log, for keyed rendering. */
  id: number;
  /** Epoch milliseconds of the latest event folded into the entry. */
  at: number;
  level: EventLevel;
  text: string;
}

/** Model output kept per streaming entry, in characters; the log shows what a model is saying now. */
const TOKEN_TAIL_CHARS = 240;

/**
 * The live event log: newest last, capped so a long night does not grow the page without bound. A model's
 * token stream is folded into one entry per task run and role instead of one line per token.
 */
export class EventLog {
  entries = $state<EventLogEntry[]>([]);
  readonly limit: number;
  #nextId = 1;
  #streamKey: string | null = null;

  constructor(
    options: {
      /** Most entries kept; older ones are dropped first. Default 500. */
      limit?: number;
    } = {},
  ) {
    this.limit = options.limit ?? 500;
  }

  push(event: EngineEvent): void {
    // The Models view's try box streams these itself; the log keeps the one `models/try-finished` line.
    if (event.type === 'models/try-token') return;
    if (event.type === 'model/token') {
      const key = `${event.taskRunId}/${event.role}`;
      const last = this.entries.at(-1);
      if (last && this.#streamKey === key) {
        const prefix = `#${event.taskRunId} ${event.role}: `;
        // One line per stream: the Live run view shows the output as written; the log shows its latest words.
        const tail = (last.text.slice(prefix.length) + event.text).replace(/\s+/g, ' ').slice(-TOKEN_TAIL_CHARS);
        last.text = prefix + tail;
        last.at = event.at;
        return;
      }
      this.#streamKey = key;
    } else if (event.type === 'models/download') {
      // A download reports several times a second: its entry shows the latest report instead of one line each.
      const key = `download/${event.modelId}`;
      const last = this.entries.at(-1);
      if (last && this.#streamKey === key) {
        Object.assign(last, describeEvent({ event }), { at: event.at });
        return;
      }
      this.#streamKey = key;
    } else {
      this.#streamKey = null;
    }
    const { level, text } = describeEvent({ event });
    this.entries.push({ id: this.#nextId++, at: event.at, level, text });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  clear(): void {
    this.entries = [];
    this.#streamKey = null;
  }
}
