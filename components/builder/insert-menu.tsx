"use client";
/** The one menu the edges' "+" buttons open: pick a step to put on that edge. */
import { useEffect, useRef } from "react";
import { definitionOf, type NodeKind } from "@/server/engine/nodes";
import { cn } from "@/components/ui/cn";
import { nodeUiOf, PALETTE } from "./nodes";
import { TONES } from "./nodes/types";
import { useBuilder, useBuilderStore } from "./store-provider";

const KINDS: NodeKind[] = PALETTE.flatMap((g) => g.kinds).filter((k) => k !== "trigger");

export function InsertMenu() {
  const menu = useBuilder((s) => s.insertMenu);
  const store = useBuilderStore();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!menu) return;
    ref.current?.querySelector<HTMLButtonElement>("button")?.focus();
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent ? event.key === "Escape" : !ref.current?.contains(event.target as Node)
      )
        store.getState().openInsertMenu(null);
    };
    window.addEventListener("keydown", close);
    window.addEventListener("pointerdown", close);
    return () => {
      window.removeEventListener("keydown", close);
      window.removeEventListener("pointerdown", close);
    };
  }, [menu, store]);

  if (!menu) return null;
  return (
    <div
      ref={ref}
      role="menu"
      aria-label="Insert a step"
      className="fixed z-30 w-56 -translate-x-1/2 rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
      style={{ left: menu.x, top: menu.y }}
    >
      {KINDS.map((kind) => {
        const ui = nodeUiOf(kind);
        const Icon = ui.icon;
        return (
          <button
            key={kind}
            type="button"
            role="menuitem"
            className="flex w-full items-center gap-2.5 rounded-md px-2 py-1.5 text-left text-sm text-slate-800 hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none"
            onClick={() => store.getState().insertOnEdge(menu.edgeId, kind, ui.initialConfig?.())}
          >
            <span
              className={cn("flex size-6 items-center justify-center rounded-md", TONES[ui.tone].icon)}
              aria-hidden
            >
              <Icon className="size-3.5" />
            </span>
            {definitionOf(kind).label}
          </button>
        );
      })}
    </div>
  );
}
