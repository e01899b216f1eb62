/**
 * The builder's node-kind registry: kind → card and inspector form. Checked against the
 * engine's kinds, so a kind added to the engine fails the type check here until it has its
 * own file beside this one.
 */
import type { NodeTypes } from "@xyflow/react";
import type { NodeKind } from "@/server/engine/nodes";
import { actionUi } from "./action";
import { conditionUi } from "./condition";
import { consentUi } from "./consent";
import { emailUi } from "./email";
import { exitUi } from "./exit";
import { pushUi } from "./push";
import { smsUi } from "./sms";
import { splitUi } from "./split";
import { triggerUi } from "./trigger";
import type { NodeUi } from "./types";
import { waitUi } from "./wait";
import { waitForEventUi } from "./wait_for_event";

export const nodeUis = {
  trigger: triggerUi,
  wait: waitUi,
  wait_for_event: waitForEventUi,
  condition: conditionUi,
  split: splitUi,
  email: emailUi,
  sms: smsUi,
  push: pushUi,
  action: actionUi,
  consent: consentUi,
  exit: exitUi,
} satisfies { [K in NodeKind]: NodeUi<K> };

export function nodeUiOf(kind: NodeKind): NodeUi<NodeKind> {
  return nodeUis[kind] as unknown as NodeUi<NodeKind>;
}

/** React Flow's node types: `type = kind`, one memoised card each, created once. */
export const nodeTypes: NodeTypes = Object.fromEntries(
  Object.entries(nodeUis).map(([kind, ui]) => [kind, ui.Card as NodeTypes[string]]),
);

/** The palette's groups and order come from the kinds' traits. */
export { PALETTE } from "@/server/engine/nodes";
