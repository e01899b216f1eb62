/**
 * tRPC v11 setup: context, error formatter (field errors for bad input), and the
 * middleware that requires a session and narrows the context to its workspace.
 */
import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { Db } from "@/server/db/client";
import { DomainError } from "@/server/errors";
import { assertStorableInput } from "./input-guard";
import { getWorkspaceForUser } from "@/server/workspaces/workspaces";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface Context {
  db: Db;
  user: SessionUser | null;
}

export function createContext(input: { db: Db; user: SessionUser | null }): Context {
  return { db: input.db, user: input.user };
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** Reads validation issues from a Standard Schema / zod error (tRPC puts it in `cause`). */
export function fieldIssuesOf(cause: unknown): FieldIssue[] | null {
  if (!cause || typeof cause !== "object" || !("issues" in cause) || !Array.isArray(cause.issues))
    return null;
  return (
    cause.issues as Array<{ path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; message: string }>
  ).map((issue) => ({
    path: (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join("."),
    message: issue.message,
  }));
}

/** zod's own wording, which says what is wrong but not where: those keep their field's name. */
const GENERIC = /^(Invalid|Expected|Too (big|small)|Unrecognized|Required$)/;

/**
 * Validation issues as sentences a marketer reads: our messages already say what to do
 * ("Give the flow a name"), so they go without the field key (the key stays in
 * `data.fieldErrors` for the form to place it); zod's generic ones get the field's name in
 * words ("Limit: Too big: expected number to be <=50").
 */
export function issueSentences(issues: readonly FieldIssue[]): string {
  const sentences = issues.map((i) => {
    if (!i.path || !GENERIC.test(i.message)) return i.message;
    const field = i.path
      .split(".")
      .at(-1)!
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .replace(/_/g, " ")
      .toLowerCase();
    return `${field.charAt(0).toUpperCase()}${field.slice(1)}: ${i.message}`;
  });
  return [...new Set(sentences)].join("; ");
}

const ERROR_ID = Symbol.for("tidings.errorId");

/**
 * The id under which an internal error is logged; the same error always gets the same id, so
 * the client's message and the server's log line can be matched.
 */
export function internalErrorId(error: TRPCError): string {
  const holder = error as TRPCError & { [ERROR_ID]?: string };
  holder[ERROR_ID] ??= randomUUID().slice(0, 8);
  return holder[ERROR_ID];
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error, path }) {
    if (error.code === "INTERNAL_SERVER_ERROR") {
      // The detail (SQL text, parameters, ids) stays in the server log; the client gets an id.
      const errorId = internalErrorId(error);
      console.error(`[trpc] ${path ?? "?"} failed (error id ${errorId}):`, error.cause ?? error);
      return {
        ...shape,
        message: `Something went wrong on our side (error id ${errorId}); try again`,
        data: { ...shape.data, stack: undefined, fieldErrors: null, errorId },
      };
    }
    const issues = fieldIssuesOf(error.cause);
    const domainField = error.cause instanceof DomainError ? error.cause.field : undefined;
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of issues ?? []) (fieldErrors[issue.path || "(input)"] ??= []).push(issue.message);
    if (domainField) (fieldErrors[domainField] ??= []).push(error.message);
    return {
      ...shape,
      message: issues?.length ? issueSentences(issues) : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        fieldErrors: Object.keys(fieldErrors).length ? fieldErrors : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Maps domain errors to tRPC errors, once. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

/** Text no column can store, or absurd nesting, is refused before any schema or query sees it. */
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  assertStorableInput(await getRawInput());
  return next();
});

export const publicProcedure = t.procedure.use(domainErrors).use(storableInput);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Every product query goes through this: the context carries a non-null workspace. */
export const workspaceProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const membership = await getWorkspaceForUser(ctx.db, ctx.user.id);
  if (!membership)
    throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of any workspace" });
  return next({
    ctx: {
      ...ctx,
      workspaceId: membership.workspace.id,
      workspace: membership.workspace,
      role: membership.role,
    },
  });
});
