/**
 * The registry's current state, folded from its events. The event log is
 * the source of truth; this fold is the only place that decides what the
 * events mean, so the file and PostgreSQL backends cannot disagree.
 *
 * Alias lifecycle (one alias of one project):
 *
 *        alias_moved(from=null)             alias_moved(from=A, to=B)
 *   unset ─────────────────────▶ points at A ─────────────────────────▶ points at B
 *     ▲                               │
 *     └──── alias_moved(to=null) ─────┘  (an aborted canary is cleared)
 *
 * Releases never change once registered; only aliases move.
 */
import type {
  AliasMoved,
  Approval,
  Decision,
  RegistryEvent,
  ReleaseManifest,
  ReleaseRegistered,
  Rollback,
} from "../../contracts/index.js";
import { unreachable } from "../util/result.js";
import type { EventDraft } from "./event-draft.js";

/** A registered release as the log recorded it. */
export interface ReleaseRecord {
  readonly project: string;
  readonly release: string;
  readonly manifest: ReleaseManifest;
  readonly manifestDigest: string;
  readonly tupleDigest: string;
  /** Line of the `release_registered` event. */
  readonly seq: number;
}

/** Where an alias points now, and the move that put it there. */
export interface AliasPointer {
  readonly project: string;
  readonly alias: string;
  /** Null when the alias was cleared. */
  readonly release: string | null;
  readonly move: AliasMoved;
}

/** An immutable fold of the registry's events with the queries operations need. */
export class RegistryState {
  readonly events: readonly RegistryEvent[];
  readonly #releases = new Map<string, ReleaseRecord>();
  readonly #byTuple = new Map<string, ReleaseRecord>();
  readonly #aliases = new Map<string, AliasPointer>();

  private constructor(events: readonly RegistryEvent[]) {
    this.events = events;
    for (const event of events) this.#apply(event);
  }

  /** Folds a log (in order). */
  static fold(events: readonly RegistryEvent[]): RegistryState {
    return new RegistryState(events);
  }

  /**
   * The state with `drafts` applied as if appended, for planning several
   * steps of one transaction. The drafts are not stamped or checked.
   */
  withPending(drafts: readonly EventDraft[]): RegistryState {
    const pending = drafts.map((draft, i) => ({ ...draft, seq: this.nextSeq + i, prev: null, at: "", actor: "" }) as RegistryEvent);
    return new RegistryState([...this.events, ...pending]);
  }

  /** The seq the next appended event will get. */
  get nextSeq(): number {
    return this.events.length + 1;
  }

  /** Every release, oldest first, optionally of one project. */
  releases(project?: string): ReleaseRecord[] {
    return [...this.#releases.values()].filter((r) => project === undefined || r.project === project);
  }

  release(project: string, release: string): ReleaseRecord | undefined {
    return this.#releases.get(key(project, release));
  }

  /** The release whose tuple digest is `tupleDigest`, if one was registered. */
  releaseByTuple(project: string, tupleDigest: string): ReleaseRecord | undefined {
    return this.#byTuple.get(key(project, tupleDigest));
  }

  /** The next free `<project>_v<N>`. */
  nextReleaseName(project: string): string {
    return `${project}_v${this.releases(project).length + 1}`;
  }

  /** Where `alias` of `project` points; undefined when it never moved. */
  alias(project: string, alias: string): AliasPointer | undefined {
    return this.#aliases.get(key(project, alias));
  }

  /** The release an alias points at, or null (never set, or cleared). */
  aliasTarget(project: string, alias: string): string | null {
    return this.alias(project, alias)?.release ?? null;
  }

  /** Every alias that has ever moved, optionally of one project, sorted. */
  aliases(project?: string): AliasPointer[] {
    return [...this.#aliases.values()]
      .filter((a) => project === undefined || a.project === project)
      .sort((a, b) => key(a.project, a.alias).localeCompare(key(b.project, b.alias)));
  }

  /** Every move of one alias, oldest first. */
  moves(project: string, alias: string): AliasMoved[] {
    return this.events.filter((e): e is AliasMoved => e.type === "alias_moved" && e.project === project && e.alias === alias);
  }

  approvals(project: string, release: string): Approval[] {
    return this.events.filter((e): e is Approval => e.type === "approval" && e.project === project && e.release === release);
  }

  /** Decisions of a project, optionally about one release, oldest first. */
  decisions(project: string, release?: string): Decision[] {
    return this.events.filter(
      (e): e is Decision => e.type === "decision" && e.project === project && (release === undefined || e.release === release),
    );
  }

  rollbacks(project: string): Rollback[] {
    return this.events.filter((e): e is Rollback => e.type === "rollback" && e.project === project);
  }

  /** True when a decision with this idempotency key was already recorded. */
  hasDecisionKey(project: string, decisionKey: string): boolean {
    return this.events.some((e) => e.type === "decision" && e.project === project && e.key === decisionKey);
  }

  /** Every event that names `release` (registration, moves to or from it, approvals, decisions). */
  eventsAbout(project: string, release: string): RegistryEvent[] {
    return this.events.filter((e) => e.project === project && mentions(e, release));
  }

  #apply(event: RegistryEvent): void {
    switch (event.type) {
      case "release_registered":
        this.#register(event);
        return;
      case "alias_moved":
        this.#aliases.set(key(event.project, event.alias), {
          project: event.project,
          alias: event.alias,
          release: event.to,
          move: event,
        });
        return;
      case "decision":
      case "approval":
      case "rollback":
        return; // explanations; they move nothing by themselves
      default:
        unreachable(event);
    }
  }

  #register(event: ReleaseRegistered): void {
    const record: ReleaseRecord = {
      project: event.project,
      release: event.release,
      manifest: event.manifest,
      manifestDigest: event.manifestDigest,
      tupleDigest: event.tupleDigest,
      seq: event.seq,
    };
    // A duplicate name is a broken log; verify reports it, the first one stays authoritative.
    if (!this.#releases.has(key(event.project, event.release))) this.#releases.set(key(event.project, event.release), record);
    if (!this.#byTuple.has(key(event.project, event.tupleDigest))) this.#byTuple.set(key(event.project, event.tupleDigest), record);
  }
}

function key(project: string, name: string): string {
  return `${project}\u0000${name}`;
}

function mentions(event: RegistryEvent, release: string): boolean {
  switch (event.type) {
    case "release_registered":
    case "approval":
      return event.release === release;
    case "decision":
      return event.release === release;
    case "alias_moved":
    case "rollback":
      return event.from === release || event.to === release;
    default:
      return unreachable(event);
  }
}
