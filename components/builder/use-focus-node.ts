"use client";
import { useCallback } from "react";
import { useReactFlow } from "@xyflow/react";
import { DEFAULT_NODE_SIZE } from "./layout";
import { useBuilderStore } from "./store-provider";

/** Selects a step and brings it to the middle of the canvas. */
export function useFocusNode() {
  const store = useBuilderStore();
  const { setCenter, getZoom } = useReactFlow();
  return useCallback(
    (nodeId: string) => {
      const node = store.getState().nodes.find((n) => n.id === nodeId);
      if (!node) return;
      store.getState().selectNode(nodeId);
      const width = node.measured?.width ?? DEFAULT_NODE_SIZE.width;
      const height = node.measured?.height ?? DEFAULT_NODE_SIZE.height;
      void setCenter(node.position.x + width / 2, node.position.y + height / 2, {
        zoom: Math.max(getZoom(), 0.85),
        duration: 250,
      });
    },
    [store, setCenter, getZoom],
  );
}
