"use client";
import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `ms`. Compared by JSON, so a new object with the same content does not restart the wait. */
export function useDebounced<T>(value: T, ms = 300): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState<{ key: string; value: T }>({ key, value });
  useEffect(() => {
    if (key === settled.key) return;
    const timer = setTimeout(() => setSettled({ key, value }), ms);
    return () => clearTimeout(timer);
  }, [key, value, ms, settled.key]);
  return settled.value;
}
