/**
 * A contact's consent and suppression as of a past moment. The contact row holds today's
 * values; `consent_changes` (with their times) and `suppressions` (with when they were
 * made) say what they were before. A simulation starts from the state at its first moment
 * and changes it as its virtual clock passes each recorded change, so a contact who
 * unsubscribed last week still got the messages of the weeks before. Only what has a
 * timestamp can be undone: a suppression lifted since, or a consent change made outside
 * flows and opt-ins, is not recorded and stays as it is today.
 */
import { and, eq, gte, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { anyOf } from "@/server/db/rows";
import { consentChanges, contacts, suppressions } from "@/server/db/schema";
import type { Channel, ConsentStatus, ContactFacts } from "@/server/engine/facts";

/** One recorded change, applied when the virtual clock reaches `at`. */
export type ContactChange =
  | { at: number; channel: Channel; kind: "consent"; status: ConsentStatus }
  | { at: number; channel: Channel; kind: "suppressed" };

/** What happened to a contact's consent and suppression since a simulation's start, in time order. */
export type ContactHistory = {
  /** Today's values, to tell where the past made a difference. */
  today: Pick<ContactFacts, "consent" | "suppressed">;
  changes: ContactChange[];
};

/** The contacts' recorded changes since `from`, and each one's state at `from` (keyed by contact id). */
export async function contactHistories(
  db: DbOrTx,
  input: { workspaceId: string; contactIds: readonly string[]; from: number; flowId?: string | undefined },
): Promise<
  Map<string, { changes: ContactChange[]; consentAtStart: Partial<Record<Channel, ConsentStatus>> }>
> {
  const out = new Map<
    string,
    { changes: ContactChange[]; consentAtStart: Partial<Record<Channel, ConsentStatus>> }
  >();
  if (input.contactIds.length === 0) return out;
  const entry = (id: string) => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { changes: [], consentAtStart: {} }));
    return e;
  };
  const since = new Date(input.from);
  // The flow being forecast replays its own consent steps: its past ones are not history.
  const notThisFlow: SQL[] = input.flowId
    ? [or(isNull(consentChanges.flowId), ne(consentChanges.flowId, input.flowId))!]
    : [];
  const [consent, suppressed] = await Promise.all([
    db
      .select({
        contactId: consentChanges.contactId,
        channel: consentChanges.channel,
        from: consentChanges.fromStatus,
        to: consentChanges.toStatus,
        at: consentChanges.occurredAt,
        id: consentChanges.id,
      })
      .from(consentChanges)
      .where(
        and(
          eq(consentChanges.workspaceId, input.workspaceId),
          anyOf(consentChanges.contactId, input.contactIds, "uuid"),
          gte(consentChanges.occurredAt, since),
          ...notThisFlow,
        ),
      ),
    db
      .select({ contactId: contacts.id, channel: suppressions.channel, at: suppressions.createdAt })
      .from(suppressions)
      .innerJoin(
        contacts,
        and(
          eq(contacts.workspaceId, suppressions.workspaceId),
          or(
            and(eq(suppressions.channel, "email"), eq(suppressions.address, sqlLower(contacts.email))),
            and(eq(suppressions.channel, "sms"), eq(suppressions.address, contacts.phone)),
          ),
        ),
      )
      .where(
        and(
          eq(suppressions.workspaceId, input.workspaceId),
          anyOf(contacts.id, input.contactIds, "uuid"),
          gte(suppressions.createdAt, since),
        ),
      ),
  ]);
  consent.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  for (const c of consent) {
    const e = entry(c.contactId);
    // The first change after the start says what the consent was at the start.
    if (e.consentAtStart[c.channel] === undefined) e.consentAtStart[c.channel] = c.from;
    e.changes.push({ at: c.at.getTime(), channel: c.channel, kind: "consent", status: c.to });
  }
  for (const s of suppressed)
    entry(s.contactId).changes.push({ at: s.at.getTime(), channel: s.channel, kind: "suppressed" });
  for (const e of out.values()) e.changes.sort((a, b) => a.at - b.at);
  return out;
}

function sqlLower(column: typeof contacts.email) {
  return sql`lower(${column})`;
}

/**
 * The contact as of the start (today's facts with what changed since undone), and the
 * changes to apply on the way.
 */
export function contactAsOfStart(
  contact: ContactFacts,
  recorded: { changes: ContactChange[]; consentAtStart: Partial<Record<Channel, ConsentStatus>> } | undefined,
): { contact: ContactFacts; history?: ContactHistory } {
  if (!recorded || recorded.changes.length === 0) return { contact };
  const consent = { ...contact.consent, ...recorded.consentAtStart };
  const suppressed = { ...contact.suppressed };
  for (const c of recorded.changes) if (c.kind === "suppressed") suppressed[c.channel] = false;
  return {
    contact: { ...contact, consent, suppressed },
    history: {
      today: { consent: contact.consent, suppressed: contact.suppressed },
      changes: recorded.changes,
    },
  };
}

/** The contact after the changes recorded up to `now` (from index `next`); the index after them. */
export function applyChanges(
  contact: ContactFacts,
  changes: readonly ContactChange[],
  next: number,
  now: number,
): { contact: ContactFacts; next: number } {
  let i = next;
  if (i >= changes.length || changes[i]!.at > now) return { contact, next };
  const consent = { ...contact.consent };
  const suppressed = { ...contact.suppressed };
  for (; i < changes.length && changes[i]!.at <= now; i++) {
    const c = changes[i]!;
    if (c.kind === "consent") consent[c.channel] = c.status;
    else suppressed[c.channel] = true;
  }
  return { contact: { ...contact, consent, suppressed }, next: i };
}
