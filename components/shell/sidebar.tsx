"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Inbox, LogOut, Mail, Settings, Users, Workflow } from "lucide-react";
import { authClient } from "@/components/auth-client";
import { cn } from "@/components/ui/cn";

const NAV = [
  { href: "/flows", label: "Flows", icon: Workflow },
  { href: "/contacts", label: "Contacts", icon: Users },
  { href: "/preview", label: "Email templates", icon: Mail },
  { href: "/outbox", label: "Outbox", icon: Inbox },
  { href: "/settings", label: "Settings", icon: Settings },
] as const;

export function Sidebar({ workspaceName, userEmail }: { workspaceName: string; userEmail: string }) {
  const pathname = usePathname();
  const router = useRouter();
  return (
    <aside className="flex w-60 shrink-0 flex-col border-r border-slate-200 bg-white" aria-label="Main">
      <div className="flex items-center gap-2 px-5 py-5">
        <span
          aria-hidden
          className="flex size-8 items-center justify-center rounded-lg bg-indigo-600 font-bold text-white"
        >
          T
        </span>
        <div className="min-w-0">
          <div className="text-sm font-semibold leading-tight">Tidings</div>
          <div className="truncate text-xs text-slate-600" title={workspaceName}>
            {workspaceName}
          </div>
        </div>
      </div>
      <nav className="flex flex-1 flex-col gap-0.5 px-3">
        {NAV.map(({ href, label, icon: Icon }) => {
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <Link
              key={href}
              href={href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100",
                active && "bg-indigo-50 text-indigo-800 hover:bg-indigo-50",
              )}
            >
              <Icon className="size-4" aria-hidden />
              {label}
            </Link>
          );
        })}
      </nav>
      <div className="border-t border-slate-200 p-3">
        <div className="truncate px-3 pb-2 text-xs text-slate-600">{userEmail}</div>
        <button
          type="button"
          className="flex w-full items-center gap-3 rounded-md px-3 py-2 text-sm text-slate-700 hover:bg-slate-100"
          onClick={async () => {
            await authClient.signOut();
            router.replace("/sign-in");
            router.refresh();
          }}
        >
          <LogOut className="size-4" aria-hidden /> Sign out
        </button>
      </div>
    </aside>
  );
}
