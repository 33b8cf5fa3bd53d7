/** Public surface of `graph/`: the DAG, target selection and ordering. */
export { buildDag, topoOrder, withDownstream, withUpstream, type Dag } from "./dag.js";
export { globToRegExp, matchTargets, selectTargets } from "./select-targets.js";
