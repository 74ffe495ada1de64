import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../../src-shared/contract';

type Listener<E extends EventName> = (data: EventPayload<E>) => void;
type AnyListener = <E extends EventName>(event: E, data: EventPayload<E>) => void;

/** Typed pub/sub between services and out to every transport. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly anyListeners = new Set<AnyListener>();

  constructor() {
    // Every connected window subscribes once; dozens of screens are normal in a control room.
    this.emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(event: E, data: EventPayload<E>): void {
    this.emitter.emit(event, data);
    for (const listener of this.anyListeners) listener(event, data);
  }

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** For transports that forward every event. */
  onAny(listener: AnyListener): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }
}
