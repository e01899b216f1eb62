/** What the validator reports: one problem, tied to a node or an edge when it has one. */

export type IssueCode =
  // shape of the JSON
  | "invalid_graph"
  | "invalid_node"
  | "unknown_kind"
  | "invalid_config"
  | "invalid_edge"
  | "invalid_settings"
  | "duplicate_node_id"
  | "duplicate_edge_id"
  // structure
  | "no_trigger"
  | "multiple_triggers"
  | "unreachable"
  | "unconnected_output"
  | "edge_unknown_source"
  | "edge_unknown_target"
  | "edge_unknown_handle"
  | "edge_into_trigger"
  | "handle_already_connected"
  | "self_loop"
  | "cycle_without_wait"
  // content of a step
  | "missing_field"
  | "invalid_value"
  | "invalid_condition"
  | "split_total"
  | "missing_content"
  | "invalid_url"
  | "invalid_merge_field"
  // content checked against the catalog of templates and merge fields
  | "unknown_template"
  | "unknown_merge_field"
  | "unknown_merge_filter"
  | "unavailable_merge_field"
  // a message step's coupon pool (checked against the workspace's pools)
  | "unknown_coupon_pool"
  | "empty_coupon_pool";

export type Issue = {
  nodeId?: string;
  edgeId?: string;
  code: IssueCode;
  message: string;
};

export function issue(
  code: IssueCode,
  message: string,
  at: { nodeId?: string; edgeId?: string } = {},
): Issue {
  return { ...at, code, message };
}
