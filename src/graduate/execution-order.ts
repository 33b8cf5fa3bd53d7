/**
 * Hidden execution order is the first thing that breaks when a notebook
 * becomes a script: a cell that ran after a later one may have seen state
 * the script will never build. The counts `In [n]` tell us: top to bottom
 * they must increase. Cells never run (no count) are not evidence either way.
 */
import type { NotebookCell } from "./notebook.js";

/** A pair of code cells whose counts say the lower one ran first. */
export interface OrderViolation {
  readonly earlier: { readonly cell: number; readonly count: number };
  readonly later: { readonly cell: number; readonly count: number };
}

/** Every place the execution counts stop increasing, in cell order. */
export function executionOrderViolations(cells: readonly NotebookCell[]): OrderViolation[] {
  const violations: OrderViolation[] = [];
  let previous: { cell: number; count: number } | undefined;
  for (const cell of cells) {
    if (cell.kind !== "code" || cell.executionCount === null) continue;
    const current = { cell: cell.number, count: cell.executionCount };
    if (previous && current.count <= previous.count) violations.push({ earlier: previous, later: current });
    previous = current;
  }
  return violations;
}

/** The refusal text: which cells, and the two ways forward. */
export function describeViolations(notebook: string, violations: readonly OrderViolation[]): string {
  const lines = violations.map(
    (v) => `  cell ${v.later.cell} has In [${v.later.count}] but comes after cell ${v.earlier.cell} with In [${v.earlier.count}]`,
  );
  return [
    `${notebook} was run out of order, so the script may not reproduce what the notebook shows:`,
    ...lines,
    "Restart the kernel and run all cells top to bottom, save, and graduate again;",
    "or pass --allow-out-of-order to graduate it as it stands.",
  ].join("\n");
}
