/** Raised to a waiter when the worker stops before a slot came free. */
export class SlotsClosed extends Error {
  constructor() {
    super('The worker is stopping');
    this.name = 'SlotsClosed';
  }
}

/**
 * As many slots as the mail transport has connections. An e-mail is claimed only once it holds a
 * slot, that is just before it is handed to SMTP: claiming first and then queueing inside the
 * transport's pool would let a claim age while nothing is being sent.
 */
export class SendSlots {
  private free: number;
  private readonly waiting: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private closed = false;

  constructor(size: number) {
    this.free = size;
  }

  acquire(): Promise<void> {
    if (this.closed) return Promise.reject(new SlotsClosed());
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.free++;
  }

  /** Turns every waiter (and every later caller) away; sends already holding a slot go on. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new SlotsClosed());
  }
}
