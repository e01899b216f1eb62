import { randomBytes } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { members, workspaces } from "@/server/db/schema";

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "shop";
}

/** Creates a workspace with its owner. Used by sign-up and by the demo seed. */
export async function createWorkspace(
  db: DbOrTx,
  input: { name: string; ownerUserId: string; slug?: string; timezone?: string },
) {
  const slug = input.slug ?? `${slugify(input.name)}-${randomBytes(3).toString("hex")}`;
  const [workspace] = await db
    .insert(workspaces)
    .values({ name: input.name, slug, timezone: input.timezone ?? "UTC" })
    .returning();
  if (!workspace) throw new Error("workspace insert returned no row");
  await db.insert(members).values({ workspaceId: workspace.id, userId: input.ownerUserId, role: "owner" });
  return workspace;
}

/** The workspace a signed-in user works in: their first membership. */
export async function getWorkspaceForUser(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ workspace: workspaces, role: members.role })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(eq(members.userId, userId))
    .orderBy(asc(members.createdAt))
    .limit(1);
  return row ?? null;
}

/** Sets how many months of history the workspace keeps (the history sweep drops older months; orders stay). */
export async function setHistoryMonths(db: DbOrTx, input: { workspaceId: string; months: number }) {
  const [row] = await db
    .update(workspaces)
    .set({ historyMonths: input.months })
    .where(eq(workspaces.id, input.workspaceId))
    .returning({ historyMonths: workspaces.historyMonths });
  if (!row) throw new Error("workspace not found");
  return row;
}
