"use client";
import { memo } from "react";
import type { NodeProps } from "@xyflow/react";
import { LogOut } from "lucide-react";
import type { CanvasNodeOf } from "../graph-canvas";
import { NodeCard } from "./node-card";
import type { InspectorProps, NodeUi } from "./types";

function ExitInspector(_props: InspectorProps<"exit">) {
  return (
    <p className="text-sm text-slate-600">
      Contacts who reach this step leave the flow. Any number of paths can end here.
    </p>
  );
}

const ExitCard = memo(function ExitCard({ id, data, selected }: NodeProps<CanvasNodeOf<"exit">>) {
  return <NodeCard id={id} kind="exit" config={data} selected={selected} icon={LogOut} tone="rose" />;
});

export const exitUi: NodeUi<"exit"> = {
  icon: LogOut,
  tone: "rose",
  Card: ExitCard,
  Inspector: ExitInspector,
};
