"use client";
/** Hands the open flow's builder store to the canvas, palette, inspector and header. */
import { createContext, useContext, useState, type ReactNode } from "react";
import { useStore } from "zustand";
import type { FlowGraph } from "@/server/engine/graph";
import { createBuilderStore, type BuilderState, type BuilderStore } from "./store";

const BuilderStoreContext = createContext<BuilderStore | null>(null);

export function BuilderStoreProvider({ graph, children }: { graph: FlowGraph; children: ReactNode }) {
  const [store] = useState(() => createBuilderStore(graph));
  return <BuilderStoreContext.Provider value={store}>{children}</BuilderStoreContext.Provider>;
}

export function useBuilderStore(): BuilderStore {
  const store = useContext(BuilderStoreContext);
  if (!store) throw new Error("useBuilderStore must be used inside <BuilderStoreProvider>");
  return store;
}

/** Selects from the builder store; select only what the component renders (wrap objects in useShallow). */
export function useBuilder<T>(selector: (state: BuilderState) => T): T {
  return useStore(useBuilderStore(), selector);
}
