/**
 * Plot files as stages write them: DVC's JSON shapes, CSV with quoted
 * fields, dvclive's TSV, and the series a declaration picks, with the
 * message a missing column gets.
 */
import { describe, expect, it } from "vitest";
import { parsePlotTable, plotLines, type PlotTable } from "../../src/pipeline/index.js";

function table(text: string, format: "json" | "csv" | "tsv"): PlotTable {
  const parsed = parsePlotTable(text, format);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.table;
}

describe("reading plot files", () => {
  it("reads a list of rows, or one list under one key as DVC writes it", () => {
    const rows = [{ recall: 0, precision: 1 }, { recall: 1, precision: 0.5 }];
    expect(table(JSON.stringify(rows), "json")).toEqual({ columns: ["recall", "precision"], rows });
    expect(table(JSON.stringify({ prc: rows }), "json")).toEqual({ columns: ["recall", "precision"], rows });
  });

  it("refuses JSON that is not rows, saying what a plot's JSON looks like", () => {
    expect(parsePlotTable('{"a": 1}', "json")).toEqual({ ok: false, problem: 'is not a list of rows: a plot\'s JSON is [{...}, ...] or {"name": [{...}, ...]}' });
    expect(parsePlotTable("{", "json")).toMatchObject({ ok: false, problem: expect.stringMatching(/^is not valid JSON: /) });
  });

  it("reads CSV with quoted fields (a delimiter, a doubled quote, a newline inside) and CRLF lines", () => {
    const parsed = table('label,"a ""b""",value\r\n"x, y",1,2\r\n"two\nlines",3,\r\n', "csv");
    expect(parsed.columns).toEqual(["label", 'a "b"', "value"]);
    expect(parsed.rows).toEqual([
      { label: "x, y", 'a "b"': 1, value: 2 },
      { label: "two\nlines", 'a "b"': 3, value: null },
    ]);
  });

  it("draws dvclive's TSV against step, leaving its timestamp out", () => {
    const lines = plotLines(table("timestamp\tstep\tloss\n100\t0\t0.9\n101\t1\t0.5\n", "tsv"), { x: undefined, y: [] });
    expect(lines).toEqual({ ok: true, lines: { x: "step", series: [{ y: "loss", x: [0, 1], values: [0.9, 0.5] }] } });
  });

  it("uses the row number along x when there is no step, and every column of numbers as y", () => {
    const lines = plotLines(table("a,b,name\n1,2,x\n3,4,y\n", "csv"), { x: undefined, y: [] });
    expect(lines).toEqual({
      ok: true,
      lines: { x: "row", series: [{ y: "a", x: [0, 1], values: [1, 3] }, { y: "b", x: [0, 1], values: [2, 4] }] },
    });
  });

  it("names a missing column with the nearest one and the columns found", () => {
    const parsed = table("recall,precision\n0,1\n", "csv");
    expect(plotLines(parsed, { x: "recall", y: ["precison"] })).toEqual({
      ok: false,
      problem: 'has no column "precison" (did you mean "precision"?) (columns found: recall, precision)',
    });
    expect(plotLines(parsed, { x: "fpr", y: ["tpr"] })).toEqual({ ok: false, problem: 'has no columns "fpr", "tpr" (columns found: recall, precision)' });
  });
});
