"use client";
/** Hands the open flow's builder store to the canvas, palette, inspector and header. */
import { createContext, useContext, useState, type ReactNode } from "react";
import { useStore } from "zustand";
import type { FlowGraph } from "@/server/engine/graph";
import {
  createBuilderStore,
  createClipboardSlot,
  type BuilderState,
  type BuilderStore,
  type ClipboardSlot,
} from "./store";

const BuilderStoreContext = createContext<BuilderStore | null>(null);
const BuilderClipboardContext = createContext<ClipboardSlot | null>(null);

/** One clipboard for every flow opened under it (the signed-in app), so steps copy between flows. */
export function BuilderClipboardProvider({ children }: { children: ReactNode }) {
  const [slot] = useState(createClipboardSlot);
  return <BuilderClipboardContext.Provider value={slot}>{children}</BuilderClipboardContext.Provider>;
}

export function BuilderStoreProvider({ graph, children }: { graph: FlowGraph; children: ReactNode }) {
  const clipboard = useContext(BuilderClipboardContext) ?? undefined;
  const [store] = useState(() => createBuilderStore(graph, { clipboard }));
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
