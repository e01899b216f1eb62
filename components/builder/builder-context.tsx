"use client";
import { createContext, useContext } from "react";
import type { Autosave } from "./use-autosave";

export type BuilderContextValue = { flowId: string; autosave: Autosave };

export const BuilderContext = createContext<BuilderContextValue | null>(null);

export function useBuilderContext(): BuilderContextValue {
  const value = useContext(BuilderContext);
  if (!value) throw new Error("useBuilderContext must be used inside the flow builder");
  return value;
}
