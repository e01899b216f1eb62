"use client";
/** A short message at the bottom of the canvas (refused connection, copied, published…). */
import { useEffect } from "react";
import { cn } from "@/components/ui/cn";
import { useBuilder, useBuilderStore } from "./store-provider";

export function NoticeToast() {
  const notice = useBuilder((s) => s.notice);
  const store = useBuilderStore();
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => {
      if (store.getState().notice?.id === notice.id) store.getState().dismissNotice();
    }, 5000);
    return () => clearTimeout(t);
  }, [notice, store]);
  return (
    <div
      className="pointer-events-none absolute inset-x-0 bottom-5 z-20 flex justify-center"
      role="status"
      aria-live="polite"
    >
      {notice && (
        <p
          className={cn(
            "pointer-events-auto max-w-lg rounded-lg px-4 py-2 text-sm font-medium shadow-lg",
            notice.tone === "error" ? "bg-red-700 text-white" : "bg-slate-900 text-white",
          )}
          data-testid="notice"
        >
          {notice.text}
        </p>
      )}
    </div>
  );
}
