import type { ReactNode } from "react";
import { redirect } from "next/navigation";
import { requireUser } from "@/server/auth/require";
import { getDb } from "@/server/db";
import { getWorkspaceForUser } from "@/server/workspaces/workspaces";
import { Sidebar } from "@/components/shell/sidebar";
import { BuilderClipboardProvider } from "@/components/builder/store-provider";
import { TRPCReactProvider } from "@/trpc/client";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const membership = await getWorkspaceForUser(await getDb(), user.id);
  if (!membership) redirect("/sign-in");
  return (
    <TRPCReactProvider>
      <BuilderClipboardProvider>
        <div className="flex h-full">
          <Sidebar workspaceName={membership.workspace.name} userEmail={user.email} />
          <main className="min-w-0 flex-1 overflow-auto">{children}</main>
        </div>
      </BuilderClipboardProvider>
    </TRPCReactProvider>
  );
}
