import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center bg-gradient-to-br from-indigo-50 via-white to-slate-100 px-4 py-16">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center justify-center gap-2">
          <span
            aria-hidden
            className="flex size-9 items-center justify-center rounded-lg bg-indigo-600 text-lg font-bold text-white"
          >
            T
          </span>
          <span className="text-2xl font-semibold tracking-tight">Tidings</span>
        </div>
        {children}
      </div>
    </main>
  );
}
