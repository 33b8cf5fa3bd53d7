/**
 * What an operation proposes to append: an event without its place in the
 * chain. The backend stamps `seq`, `prev`, `at` and `actor` when it appends,
 * under its lock, so two writers can never claim the same position.
 */
import type { RegistryEvent } from "../../contracts/index.js";

type Stamp = "seq" | "prev" | "at" | "actor";

/** Removes the chain stamp from each member of a union separately. */
type Unstamped<E> = E extends RegistryEvent ? Omit<E, Stamp> : never;

/** An event ready to append, minus the fields the backend stamps. */
export type EventDraft = Unstamped<RegistryEvent>;

/** The stamp shared by every event of one transaction. */
export interface TransactionStamp {
  /** ISO time of the transaction. */
  readonly at: string;
  /** Who performed it. */
  readonly actor: string;
}
