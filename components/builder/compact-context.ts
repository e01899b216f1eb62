"use client";
/**
 * Which face the canvas's cards show (semantic zoom): the full card, the compact face when
 * zoomed out (rendered only then, so a big flow seen up close carries no second face per card),
 * or a plain tile far out, whose icon is left out (too small to see, and a big flow fitted in
 * view mounts hundreds of cards at once).
 */
import { createContext, useContext } from "react";

export type CardFace = "full" | "compact" | "tile";

export const CompactContext = createContext<CardFace>("full");

export function useCardFace(): CardFace {
  return useContext(CompactContext);
}
