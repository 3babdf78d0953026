// A small typed event emitter that works the same in Node and the browser
// (Node's EventEmitter is not available in a page without a bundler shim).

export class Emitter<M extends object> {
  private readonly listeners = new Map<keyof M, Set<(value: never) => void>>();

  /** Calls fn with every later event of this name; returns this. */
  on<K extends keyof M>(event: K, fn: (value: M[K]) => void): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as (value: never) => void);
    return this;
  }

  /** Calls fn with the next event of this name only. */
  once<K extends keyof M>(event: K, fn: (value: M[K]) => void): this {
    const wrapper = (value: M[K]) => { this.off(event, wrapper); fn(value); };
    return this.on(event, wrapper);
  }

  /** Stops calling fn (added with on or once). */
  off<K extends keyof M>(event: K, fn: (value: M[K]) => void): this {
    this.listeners.get(event)?.delete(fn as (value: never) => void);
    return this;
  }

  /** Whether anything listens for this event (to skip work when nothing does). */
  listening<K extends keyof M>(event: K): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  /** Calls each listener in the order added; a listener that throws stops the
   *  caller, as with Node's emitter. */
  emit<K extends keyof M>(event: K, value: M[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) (fn as (value: M[K]) => void)(value);
  }
}
