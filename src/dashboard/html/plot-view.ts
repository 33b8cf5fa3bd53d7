/**
 * What a page of plots shows, as plain data: each plot file's series from
 * one or more revisions. Built by `plots show|diff` (src/ops/plots.ts) and
 * by the report, then drawn by render-plots.ts without further reading.
 */

/** One column of one revision's plot file, drawn against x. */
export interface PlotViewSeries {
  /** The revision (or `workspace`) the file was read from. */
  readonly revision: string;
  /** The y column. */
  readonly y: string;
  readonly x: readonly (number | string)[];
  readonly values: readonly (number | null)[];
}

/** One plot file with its series from every revision that has it. */
export interface PlotView {
  /** Workspace-relative path of the plot file. */
  readonly path: string;
  /** The stage that writes it. */
  readonly stage: string;
  readonly title: string;
  /** The x column (`row`: the row number). */
  readonly x: string;
  readonly series: readonly PlotViewSeries[];
}

/** A page of plots: `sluice plots show|diff`. */
export interface PlotsPage {
  readonly workspace: string;
  readonly generatedAt: string;
  /** The revisions overlaid, in order. */
  readonly revisions: readonly string[];
  readonly plots: readonly PlotView[];
  /** What could not be read, shown at the top of the page. */
  readonly problems: readonly string[];
}
