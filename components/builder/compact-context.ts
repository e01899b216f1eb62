"use client";
/**
 * Whether the canvas is zoomed out to compact cards (semantic zoom): cards render their
 * compact face only then, so a big flow seen up close carries no second face per card.
 */
import { createContext, useContext } from "react";

export const CompactContext = createContext(false);

export function useCompact(): boolean {
  return useContext(CompactContext);
}
