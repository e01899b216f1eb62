/**
 * How a sent email's HTML and plain text are stored: not whole on every row, but as the
 * difference from a rendered email of the same step. The emails of one step share their whole
 * design and differ only in a name, an address, a coupon code and a few signed links, so the
 * first email a sender renders for a step becomes the step's base (`rendered_designs`, by a
 * hash of its HTML and text, written once) and every email of the step keeps only
 * `deflateRaw(JSON [html, text])` with that base as the preset dictionary (`messages.body`,
 * `messages.body_design`) — a few hundred bytes instead of the whole email. Inflating with the
 * same base gives the email back byte for byte, so a resend repeats its request exactly.
 *
 * Readers never see the difference: `withEmailBodies` puts `html` and `text` back into each
 * row's `content`, as they were stored before.
 */
import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { type messages, renderedDesigns } from "@/server/db/schema";

export type EmailBody = { html: string; text: string };
export type EmailBodyBase = EmailBody & { workspaceId: string; hash: string };

const serialise = (body: EmailBody) => Buffer.from(JSON.stringify([body.html, body.text]), "utf8");

/** The base an email of a step is stored against: the email itself, named by a hash of its content. */
export function emailBodyBase(workspaceId: string, body: EmailBody): EmailBodyBase {
  const hash = createHash("sha256").update(serialise(body)).digest("base64url");
  return { workspaceId, hash, html: body.html, text: body.text };
}

/** The email as its difference from the base. */
export function packEmailBody(body: EmailBody, base: EmailBody): Buffer {
  return deflateRawSync(serialise(body), { dictionary: serialise(base), level: 6 });
}

/** The email back, byte for byte, from its difference and the same base. */
export function unpackEmailBody(packed: Uint8Array, base: EmailBody): EmailBody {
  const raw = inflateRawSync(packed, { dictionary: serialise(base) }).toString("utf8");
  const parsed: unknown = JSON.parse(raw);
  if (!Array.isArray(parsed) || typeof parsed[0] !== "string" || typeof parsed[1] !== "string")
    throw new Error("A stored email body could not be read.");
  return { html: parsed[0], text: parsed[1] };
}

/**
 * The bases each sender keeps, one per step content: the first email it rendered for the step.
 * Owned by the executor (`ExecutorCaches`), so a process stores one base per step; `saved`
 * marks those already written.
 */
export class EmailBodyBases {
  private readonly bases = new Map<string, EmailBodyBase>();
  private readonly saved = new Set<string>();

  /** The base for emails of this step content, taking `body` as it when there is none yet. */
  baseFor(workspaceId: string, stepKey: string, body: EmailBody): EmailBodyBase {
    const key = `${workspaceId}:${stepKey}`;
    let base = this.bases.get(key);
    if (!base) {
      if (this.bases.size >= 2_000) {
        this.bases.clear();
        this.saved.clear();
      }
      base = emailBodyBase(workspaceId, body);
      this.bases.set(key, base);
    }
    return base;
  }

  unsaved(bases: readonly EmailBodyBase[]): EmailBodyBase[] {
    return bases.filter((b) => !this.saved.has(`${b.workspaceId}:${b.hash}`));
  }

  markSaved(bases: readonly EmailBodyBase[]) {
    for (const b of bases) this.saved.add(`${b.workspaceId}:${b.hash}`);
  }
}

/** A step's content, as the key its emails share a base by. */
export function stepKeyOf(content: Record<string, unknown>): string {
  return createHash("sha256")
    .update(JSON.stringify(content.config ?? null))
    .digest("base64url");
}

/** Writes bases (once: a base already there is the same content under the same hash). */
export async function saveEmailBodyBases(db: DbOrTx, bases: readonly EmailBodyBase[]): Promise<void> {
  const unique = [...new Map(bases.map((b) => [`${b.workspaceId}:${b.hash}`, b])).values()];
  if (unique.length === 0) return;
  await db
    .insert(renderedDesigns)
    .values(unique.map((b) => ({ workspaceId: b.workspaceId, hash: b.hash, html: b.html, text: b.text })))
    .onConflictDoNothing();
}

type MessageRow = typeof messages.$inferSelect;

/**
 * The rows with each stored email's `html` and `text` back in `content`, as sent. A row whose
 * base is missing keeps its content as it is (an email that cannot be rebuilt is never resent
 * from a guess: the dispatcher then finds no stored copy and says so).
 */
export async function withEmailBodies<
  T extends Pick<MessageRow, "workspaceId" | "content" | "bodyDesign" | "body">,
>(db: DbOrTx, rows: T[]): Promise<T[]> {
  const packed = rows.filter((r) => r.bodyDesign !== null && r.body !== null);
  if (packed.length === 0) return rows;
  const bases = new Map<string, EmailBody>();
  const byWorkspace = new Map<string, Set<string>>();
  for (const r of packed) {
    const set = byWorkspace.get(r.workspaceId) ?? new Set<string>();
    set.add(r.bodyDesign!);
    byWorkspace.set(r.workspaceId, set);
  }
  for (const [workspaceId, hashes] of byWorkspace) {
    const found = await db
      .select({ hash: renderedDesigns.hash, html: renderedDesigns.html, text: renderedDesigns.text })
      .from(renderedDesigns)
      .where(and(eq(renderedDesigns.workspaceId, workspaceId), inArray(renderedDesigns.hash, [...hashes])));
    for (const b of found) bases.set(`${workspaceId}:${b.hash}`, { html: b.html, text: b.text });
  }
  return rows.map((r) => {
    if (r.bodyDesign === null || r.body === null) return r;
    const base = bases.get(`${r.workspaceId}:${r.bodyDesign}`);
    if (!base) return r;
    return { ...r, content: { ...r.content, ...unpackEmailBody(r.body, base) } };
  });
}
