/** Renders the stage graph as Mermaid, Graphviz dot, or JSON. */
import type { Dag } from "../graph/index.js";

export type DagFormat = "mermaid" | "dot" | "json";

export function renderDag(dag: Dag, format: DagFormat): string {
  const stages = [...dag.stages.values()];
  const edges = stages.flatMap((s) => s.upstream.map((u) => [u, s.id] as const));
  switch (format) {
    case "json":
      return JSON.stringify(
        {
          stages: stages.map((s) => ({
            id: s.id,
            project: s.project,
            kind: s.action.kind,
            deps: s.deps.map((d) => ({ name: d.name, kind: d.kind, ...(d.kind === "external" ? { ref: d.ref.id } : { path: d.path }) })),
            outs: s.outs.map((o) => ({ name: o.name, kind: o.kind, path: o.path })),
            upstream: s.upstream,
          })),
          edges: edges.map(([from, to]) => ({ from, to })),
        },
        null,
        2,
      );
    case "dot": {
      const lines = ["digraph sluice {", "  rankdir=LR;", "  node [shape=box];"];
      const byProject = byProjectOf(stages);
      for (const [project, members] of byProject) {
        lines.push(`  subgraph "cluster_${project}" {`, `    label="${project}";`);
        for (const s of members) lines.push(`    "${s.id}";`);
        lines.push("  }");
      }
      for (const [from, to] of edges) lines.push(`  "${from}" -> "${to}";`);
      lines.push("}");
      return lines.join("\n");
    }
    case "mermaid": {
      const node = mermaidId;
      const lines = ["flowchart LR"];
      const byProject = byProjectOf(stages);
      for (const [project, members] of byProject) {
        lines.push(`  subgraph ${node(project)}[${project}]`);
        for (const s of members) lines.push(`    ${node(s.id)}["${s.id}"]`);
        lines.push("  end");
      }
      for (const [from, to] of edges) lines.push(`  ${node(from)} --> ${node(to)}`);
      return lines.join("\n");
    }
  }
}

/**
 * A Mermaid node id for a stage or project name. Mermaid ids take letters,
 * digits and `_` only; every other character becomes `_<hex code>_` and `_`
 * itself `__`, so two names never share an id (`c-d` and `c_d` did, and
 * became one node).
 */
function mermaidId(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, (c) => (c === "_" ? "__" : `_${c.charCodeAt(0).toString(16)}_`));
}

function byProjectOf<T extends { readonly project: string }>(stages: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const stage of stages) groups.set(stage.project, [...(groups.get(stage.project) ?? []), stage]);
  return groups;
}
