/**
 * Coupon pools: a workspace's stock of unique codes, uploaded as a CSV or generated with a
 * prefix and an expiry. An email or SMS step that names a pool draws one code per message:
 * the draw sets the code's `message_id` in the transaction that queues the message, so the
 * message and its code commit together, a retry or resend reads the same code back, and two
 * executors drawing at once take different rows (`FOR UPDATE SKIP LOCKED`, and a unique index
 * on `message_id` behind it).
 */
import { randomInt } from "node:crypto";
import Papa from "papaparse";
import { and, asc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { couponCodes, couponPools } from "@/server/db/schema";
import { badRequest, conflict, notFound } from "@/server/errors";

export const COUPON_CSV_MAX_BYTES = 2 * 1024 * 1024;
export const COUPON_CSV_MAX_CODES = 50_000;
export const COUPON_GENERATE_MAX = 10_000;
export const COUPON_CODE_MAX_LENGTH = 64;
/** Letters and digits a customer cannot mistake for one another (no 0/O, 1/I/L). */
const GENERATED_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export type CouponPoolSummary = {
  id: string;
  name: string;
  /** Codes not drawn yet and not expired: what messages can still draw. */
  remaining: number;
  /** Codes drawn by messages. */
  used: number;
  /** Codes never drawn whose expiry passed. */
  expired: number;
  total: number;
  /** The soonest expiry among the remaining codes (null: none expire). */
  nextExpiry: Date | null;
  createdAt: Date;
};

/** A drawn code as a message merges it: `{{ coupon.code }}`, `{{ coupon.expires_at }}`. */
export type DrawnCoupon = { code: string; expiresAt: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A step may still hold a template's pool name instead of an id: such a pool does not exist. */
export const isPoolId = (value: string) => UUID.test(value);

/** A code may hold letters, digits and `-_.`; no spaces, so a customer can type it. */
const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why a code cannot be stored, or null when it can. */
export function codeProblem(code: string): string | null {
  if (code.length > COUPON_CODE_MAX_LENGTH) return `is longer than ${COUPON_CODE_MAX_LENGTH} characters`;
  if (!CODE_PATTERN.test(code)) return "may hold only letters, digits, “-”, “_” and “.”";
  return null;
}

const remainingFilter = (now: Date) =>
  and(isNull(couponCodes.messageId), or(isNull(couponCodes.expiresAt), gt(couponCodes.expiresAt, now)));

/** Every pool of the workspace with its counts, by name. */
export async function listCouponPools(
  db: DbOrTx,
  input: { workspaceId: string; now?: Date },
): Promise<CouponPoolSummary[]> {
  const now = input.now ?? new Date();
  const rows = await db
    .select({
      id: couponPools.id,
      name: couponPools.name,
      createdAt: couponPools.createdAt,
      total: sql<number>`count(${couponCodes.id})::int`,
      used: sql<number>`count(${couponCodes.id}) filter (where ${couponCodes.messageId} is not null)::int`,
      expired: sql<number>`count(${couponCodes.id}) filter (where ${couponCodes.messageId} is null and ${couponCodes.expiresAt} <= ${now.toISOString()}::timestamptz)::int`,
      nextExpiry: sql<
        string | null
      >`min(${couponCodes.expiresAt}) filter (where ${couponCodes.messageId} is null and ${couponCodes.expiresAt} > ${now.toISOString()}::timestamptz)`,
    })
    .from(couponPools)
    .leftJoin(couponCodes, eq(couponCodes.poolId, couponPools.id))
    .where(eq(couponPools.workspaceId, input.workspaceId))
    .groupBy(couponPools.id)
    .orderBy(asc(couponPools.name));
  return rows.map((r) => {
    const total = Number(r.total);
    const used = Number(r.used);
    const expired = Number(r.expired);
    return {
      id: r.id,
      name: r.name,
      createdAt: r.createdAt,
      total,
      used,
      expired,
      remaining: total - used - expired,
      nextExpiry: r.nextExpiry === null ? null : new Date(r.nextExpiry),
    };
  });
}

/** The pools as the flow validator reads them: id, name and remaining count. */
export async function couponPoolCounts(db: DbOrTx, input: { workspaceId: string; now?: Date }) {
  const pools = await listCouponPools(db, input);
  return pools.map(({ id, name, remaining }) => ({ id, name, remaining }));
}

async function poolOf(db: DbOrTx, workspaceId: string, poolId: string) {
  if (!isPoolId(poolId)) throw notFound("Coupon pool");
  const [pool] = await db
    .select()
    .from(couponPools)
    .where(and(eq(couponPools.workspaceId, workspaceId), eq(couponPools.id, poolId)));
  if (!pool) throw notFound("Coupon pool");
  return pool;
}

export async function createCouponPool(db: DbOrTx, input: { workspaceId: string; name: string }) {
  const name = input.name.trim();
  if (name === "") throw badRequest("Give the pool a name.", "name");
  const [pool] = await db
    .insert(couponPools)
    .values({ workspaceId: input.workspaceId, name })
    .onConflictDoNothing()
    .returning();
  if (!pool) throw conflict(`There is already a coupon pool called “${name}”.`, "name");
  return pool;
}

/** The pool called `name`, created empty when the workspace has none (templates name their pools). */
export async function ensureCouponPool(db: DbOrTx, input: { workspaceId: string; name: string }) {
  await db
    .insert(couponPools)
    .values({ workspaceId: input.workspaceId, name: input.name })
    .onConflictDoNothing();
  const [pool] = await db
    .select()
    .from(couponPools)
    .where(and(eq(couponPools.workspaceId, input.workspaceId), eq(couponPools.name, input.name)));
  if (!pool) throw new Error(`coupon pool ${input.name} vanished`);
  return pool;
}

export async function deleteCouponPool(db: DbOrTx, input: { workspaceId: string; poolId: string }) {
  const deleted = await db
    .delete(couponPools)
    .where(and(eq(couponPools.workspaceId, input.workspaceId), eq(couponPools.id, input.poolId)))
    .returning({ id: couponPools.id });
  if (deleted.length === 0) throw notFound("Coupon pool");
}

export type CsvLineProblem = { line: number; reason: string };

/**
 * Reads a CSV of codes: one code per line in the first column, an optional header
 * (`code`, `coupon`, `coupon_code`), an optional second column `expires_at` (ISO date or
 * date-time). Every line is checked; the problems come back by line, the header being line 1.
 */
export function parseCouponCsv(
  csv: string,
  options: { defaultExpiresAt: Date | null },
): { codes: { code: string; expiresAt: Date | null; line: number }[]; problems: CsvLineProblem[] } {
  const text = csv.replace(/^\uFEFF/, "");
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const rows = parsed.data;
  // A file that ends with a newline yields one last empty row: that is not a blank line.
  if (rows.length > 0 && text.endsWith("\n")) {
    const last = rows[rows.length - 1]!;
    if (last.length === 1 && last[0] === "") rows.pop();
  }
  const problems: CsvLineProblem[] = [];
  const codes: { code: string; expiresAt: Date | null; line: number }[] = [];
  const firstLine = new Map<string, number>();
  let start = 0;
  const head = rows[0]?.map((c) => c.trim().toLowerCase()) ?? [];
  if (["code", "coupon", "coupon_code", "codes"].includes(head[0] ?? "")) start = 1;
  if (head.length > 1 && start === 1 && head[1] !== "expires_at")
    problems.push({ line: 1, reason: `the second column must be “expires_at”, not “${rows[0]![1]}”` });
  for (let i = start; i < rows.length; i++) {
    const line = i + 1;
    const cells = rows[i]!;
    const code = (cells[0] ?? "").trim();
    if (cells.every((c) => c.trim() === "")) {
      problems.push({ line, reason: "is blank" });
      continue;
    }
    if (code === "") {
      problems.push({ line, reason: "has no code in the first column" });
      continue;
    }
    const bad = codeProblem(code);
    if (bad) {
      problems.push({ line, reason: `“${code}” ${bad}` });
      continue;
    }
    const key = code.toUpperCase();
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      problems.push({ line, reason: `“${code}” repeats line ${earlier}` });
      continue;
    }
    firstLine.set(key, line);
    let expiresAt = options.defaultExpiresAt;
    const rawExpiry = (cells[1] ?? "").trim();
    if (rawExpiry !== "") {
      const date = /^\d{4}-\d{2}-\d{2}$/.test(rawExpiry)
        ? new Date(`${rawExpiry}T23:59:59Z`)
        : new Date(rawExpiry);
      if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(rawExpiry)) {
        problems.push({ line, reason: `expiry “${rawExpiry}” is not a date like 2027-01-31` });
        continue;
      }
      expiresAt = date;
    }
    if (cells.length > 2 && cells.slice(2).some((c) => c.trim() !== "")) {
      problems.push({ line, reason: "has more than two columns (code, expires_at)" });
      continue;
    }
    codes.push({ code, expiresAt, line });
  }
  return { codes, problems };
}

function problemsMessage(problems: readonly CsvLineProblem[]): string {
  const shown = problems.slice(0, 20).map((p) => `line ${p.line} ${p.reason}`);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : "";
  return `Nothing was imported. Fix the CSV and upload it again: ${shown.join("; ")}${more}.`;
}

/**
 * Adds a CSV's codes to a pool, all or nothing: any blank line, repeated code, code already
 * in the pool or unreadable expiry refuses the whole file, naming each line.
 */
export async function importCouponCsv(
  db: DbOrTx,
  input: { workspaceId: string; poolId: string; csv: string; expiresAt?: Date | null },
): Promise<{ imported: number }> {
  const { codes, problems } = parseCouponCsv(input.csv, { defaultExpiresAt: input.expiresAt ?? null });
  if (problems.length === 0 && codes.length === 0) throw badRequest("The file holds no codes.", "csv");
  if (codes.length > COUPON_CSV_MAX_CODES)
    throw badRequest(`A file may hold at most ${COUPON_CSV_MAX_CODES} codes.`, "csv");
  if (problems.length) throw badRequest(problemsMessage(problems), "csv");
  return db.transaction(async (tx) => {
    const pool = await poolOf(tx, input.workspaceId, input.poolId);
    // Lock the pool so two uploads into it see each other's codes.
    await tx.execute(sql`select id from coupon_pools where id = ${pool.id} for update`);
    const existing = new Set<string>();
    for (let i = 0; i < codes.length; i += 1000) {
      const chunk = codes.slice(i, i + 1000).map((c) => c.code.toUpperCase());
      const found = await tx
        .select({ code: couponCodes.code })
        .from(couponCodes)
        .where(and(eq(couponCodes.poolId, pool.id), inArray(sql`upper(${couponCodes.code})`, chunk)));
      for (const f of found) existing.add(f.code.toUpperCase());
    }
    const clashes = codes
      .filter((c) => existing.has(c.code.toUpperCase()))
      .map((c) => ({ line: c.line, reason: `“${c.code}” is already in the pool` }));
    if (clashes.length) throw badRequest(problemsMessage(clashes), "csv");
    for (let i = 0; i < codes.length; i += 1000) {
      await tx.insert(couponCodes).values(
        codes.slice(i, i + 1000).map((c) => ({
          workspaceId: input.workspaceId,
          poolId: pool.id,
          code: c.code,
          expiresAt: c.expiresAt,
        })),
      );
    }
    return { imported: codes.length };
  });
}

function randomCode(prefix: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
  return `${prefix}${out}`;
}

/** Adds `count` fresh random codes (`<prefix><8 characters>`) to a pool, in one transaction. */
export async function generateCoupons(
  db: DbOrTx,
  input: { workspaceId: string; poolId: string; count: number; prefix: string; expiresAt: Date | null },
): Promise<{ generated: number }> {
  const prefix = input.prefix.trim();
  if (prefix !== "") {
    const bad = codeProblem(`${prefix}X`);
    if (bad) throw badRequest(`The prefix ${bad}.`, "prefix");
  }
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > COUPON_GENERATE_MAX)
    throw badRequest(`Generate between 1 and ${COUPON_GENERATE_MAX} codes.`, "count");
  return db.transaction(async (tx) => {
    const pool = await poolOf(tx, input.workspaceId, input.poolId);
    let made = 0;
    // 31^8 ≈ 8.5e11 codes: a clash is rare; the unique index catches it and we draw again.
    for (let round = 0; made < input.count && round < 20; round++) {
      const want = input.count - made;
      const batch = new Set<string>();
      while (batch.size < Math.min(want, 1000)) batch.add(randomCode(prefix, 8));
      const inserted = await tx
        .insert(couponCodes)
        .values(
          [...batch].map((code) => ({
            workspaceId: input.workspaceId,
            poolId: pool.id,
            code,
            expiresAt: input.expiresAt,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: couponCodes.id });
      made += inserted.length;
    }
    if (made < input.count) throw new Error("could not generate enough distinct codes");
    return { generated: made };
  });
}

/**
 * The code this message holds, drawing one from the pool the first time: an unused,
 * unexpired code is locked (others' locked rows skipped) and given the message id. Returns
 * null when the pool has none left (or does not exist in this workspace).
 */
export async function drawCoupon(
  db: DbOrTx,
  input: { workspaceId: string; poolId: string; messageId: string; now: Date },
): Promise<DrawnCoupon | null> {
  if (!isPoolId(input.poolId)) return null;
  const [held] = await db
    .select({ code: couponCodes.code, expiresAt: couponCodes.expiresAt })
    .from(couponCodes)
    .where(and(eq(couponCodes.workspaceId, input.workspaceId), eq(couponCodes.messageId, input.messageId)));
  if (held) return toDrawn(held);
  const [free] = await db
    .select({ id: couponCodes.id })
    .from(couponCodes)
    .where(
      and(
        eq(couponCodes.workspaceId, input.workspaceId),
        eq(couponCodes.poolId, input.poolId),
        remainingFilter(input.now),
      ),
    )
    .orderBy(asc(couponCodes.id))
    .limit(1)
    .for("update", { skipLocked: true });
  if (!free) return null;
  const [drawn] = await db
    .update(couponCodes)
    .set({ messageId: input.messageId, assignedAt: input.now })
    .where(and(eq(couponCodes.id, free.id), isNull(couponCodes.messageId)))
    .returning({ code: couponCodes.code, expiresAt: couponCodes.expiresAt });
  return drawn ? toDrawn(drawn) : null;
}

/** The code the next message would draw, without drawing it (for previews). */
export async function peekCoupon(
  db: DbOrTx,
  input: { workspaceId: string; poolId: string; now: Date },
): Promise<DrawnCoupon | null> {
  if (!isPoolId(input.poolId)) return null;
  const [free] = await db
    .select({ code: couponCodes.code, expiresAt: couponCodes.expiresAt })
    .from(couponCodes)
    .where(
      and(
        eq(couponCodes.workspaceId, input.workspaceId),
        eq(couponCodes.poolId, input.poolId),
        remainingFilter(input.now),
      ),
    )
    .orderBy(asc(couponCodes.id))
    .limit(1);
  return free ? toDrawn(free) : null;
}

/** The pool's name, for a skip reason; null when it is gone. */
export async function couponPoolName(db: DbOrTx, input: { workspaceId: string; poolId: string }) {
  if (!isPoolId(input.poolId)) return null;
  const [pool] = await db
    .select({ name: couponPools.name })
    .from(couponPools)
    .where(and(eq(couponPools.workspaceId, input.workspaceId), eq(couponPools.id, input.poolId)));
  return pool?.name ?? null;
}

function toDrawn(row: { code: string; expiresAt: Date | null }): DrawnCoupon {
  return { code: row.code, expiresAt: row.expiresAt ? row.expiresAt.toISOString() : null };
}
