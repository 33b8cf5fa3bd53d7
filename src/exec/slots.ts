/**
 * Admission control for running stages: at most `jobs` at once, and never
 * more of a declared resource (gpu, memGiB) than the run allows.
 */

export interface SlotRequest {
  readonly resources: Readonly<Record<string, number>>;
}

interface Waiter {
  readonly request: SlotRequest;
  readonly grant: () => void;
}

export class Slots {
  readonly #jobs: number;
  readonly #capacity: Readonly<Record<string, number>>;
  readonly #inUse = new Map<string, number>();
  readonly #waiting: Waiter[] = [];
  #running = 0;

  constructor(jobs: number, capacity: Readonly<Record<string, number>>) {
    this.#jobs = Math.max(1, jobs);
    this.#capacity = capacity;
  }

  /** Why a request can never be granted, or undefined. */
  impossible(request: SlotRequest): string | undefined {
    for (const [name, amount] of Object.entries(request.resources)) {
      const capacity = this.#capacity[name];
      if (capacity !== undefined && amount > capacity) return `needs ${name}=${amount} but the run allows ${name}=${capacity}`;
    }
    return undefined;
  }

  /** Resolves when the request fits; call the returned function (once or more) to give the slot back. */
  acquire(request: SlotRequest): Promise<() => void> {
    return new Promise((resolve) => {
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        this.#release(request);
      };
      this.#waiting.push({ request, grant: () => resolve(release) });
      this.#dispatch();
    });
  }

  #fits(request: SlotRequest): boolean {
    if (this.#running >= this.#jobs) return false;
    for (const [name, amount] of Object.entries(request.resources)) {
      const capacity = this.#capacity[name];
      if (capacity !== undefined && (this.#inUse.get(name) ?? 0) + amount > capacity) return false;
    }
    return true;
  }

  #dispatch(): void {
    // First fit in arrival order: a stage waiting for a GPU does not block CPU stages behind it.
    for (let i = 0; i < this.#waiting.length && this.#running < this.#jobs; ) {
      const waiter = this.#waiting[i] as Waiter;
      if (!this.#fits(waiter.request)) {
        i++;
        continue;
      }
      this.#waiting.splice(i, 1);
      this.#running++;
      for (const [name, amount] of Object.entries(waiter.request.resources)) {
        this.#inUse.set(name, (this.#inUse.get(name) ?? 0) + amount);
      }
      waiter.grant();
    }
  }

  #release(request: SlotRequest): void {
    this.#running--;
    for (const [name, amount] of Object.entries(request.resources)) {
      this.#inUse.set(name, (this.#inUse.get(name) ?? 0) - amount);
    }
    this.#dispatch();
  }
}
