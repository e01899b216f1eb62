import type { ComponentType } from "react";
import type { NodeProps } from "@xyflow/react";
import type { LucideIcon } from "lucide-react";
import type { NodeConfig, NodeKind } from "@/server/engine/nodes";
import type { CanvasNodeOf } from "../graph-canvas";

export type Tone =
  "indigo" | "amber" | "orange" | "violet" | "fuchsia" | "sky" | "emerald" | "teal" | "slate" | "rose";

export type InspectorProps<K extends NodeKind> = { nodeId: string; config: NodeConfig<K> };

/** What the builder shows for one node kind: its look on the canvas and its form in the inspector. */
export type NodeUi<K extends NodeKind> = {
  icon: LucideIcon;
  tone: Tone;
  /** The React Flow node type: a memoised card, defined at module level. */
  Card: ComponentType<NodeProps<CanvasNodeOf<K>>>;
  Inspector: ComponentType<InspectorProps<K>>;
  /** The config a step starts with when dropped from the palette (default: the engine's). */
  initialConfig?: () => NodeConfig<K>;
};

/** Literal class names per tone (Tailwind reads them from here). */
export const TONES: Record<Tone, { icon: string; chip: string; mini: string }> = {
  indigo: { icon: "bg-indigo-100 text-indigo-700", chip: "bg-indigo-50 text-indigo-800", mini: "#6366f1" },
  amber: { icon: "bg-amber-100 text-amber-800", chip: "bg-amber-50 text-amber-900", mini: "#f59e0b" },
  orange: { icon: "bg-orange-100 text-orange-800", chip: "bg-orange-50 text-orange-900", mini: "#f97316" },
  violet: { icon: "bg-violet-100 text-violet-700", chip: "bg-violet-50 text-violet-800", mini: "#8b5cf6" },
  fuchsia: {
    icon: "bg-fuchsia-100 text-fuchsia-700",
    chip: "bg-fuchsia-50 text-fuchsia-800",
    mini: "#d946ef",
  },
  sky: { icon: "bg-sky-100 text-sky-800", chip: "bg-sky-50 text-sky-900", mini: "#0ea5e9" },
  emerald: {
    icon: "bg-emerald-100 text-emerald-800",
    chip: "bg-emerald-50 text-emerald-900",
    mini: "#10b981",
  },
  teal: { icon: "bg-teal-100 text-teal-800", chip: "bg-teal-50 text-teal-900", mini: "#14b8a6" },
  slate: { icon: "bg-slate-200 text-slate-700", chip: "bg-slate-100 text-slate-800", mini: "#64748b" },
  rose: { icon: "bg-rose-100 text-rose-700", chip: "bg-rose-50 text-rose-800", mini: "#f43f5e" },
};
