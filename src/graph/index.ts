/** Public surface of `graph/`: the DAG, target selection, ordering and CI shards. */
export { buildDag, topoOrder, withDownstream, withUpstream, type Dag } from "./dag.js";
export { globToRegExp, matchTargets, selectTargets } from "./select-targets.js";
export { parseShardSpec, partitionShards, type Shard, type ShardPlan } from "./partition-shards.js";
