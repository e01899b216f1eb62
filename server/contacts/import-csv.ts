/**
 * CSV import of contacts. Every row is checked first; bad rows are reported by line number
 * with the reason and skipped, good rows are upserted by email in one transaction, so an
 * import is either written whole (its good rows) or not at all.
 */
import Papa from "papaparse";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { contacts } from "@/server/db/schema";
import { badRequest } from "@/server/errors";
import { CalendarDate, Email, Phone, TimeZone } from "@/server/ingest/fields";

export const CSV_IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const CSV_IMPORT_MAX_ROWS = 10_000;

const KNOWN_COLUMNS = [
  "email",
  "phone",
  "first_name",
  "last_name",
  "timezone",
  "birthday",
  "email_consent",
  "sms_consent",
] as const;
type KnownColumn = (typeof KNOWN_COLUMNS)[number];

export interface ImportRowError {
  /** Line of the file, the header being line 1. */
  line: number;
  reason: string;
}

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  errors: ImportRowError[];
}

type Consent = "subscribed" | "unsubscribed";

interface GoodRow {
  email: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  timezone?: string;
  birthday?: string;
  emailConsent?: Consent;
  smsConsent?: Consent;
  properties: Record<string, string>;
}

const CONSENT_VALUES = new Map<string, Consent>(
  Object.entries({
    subscribed: "subscribed",
    yes: "subscribed",
    true: "subscribed",
    y: "subscribed",
    "1": "subscribed",
    unsubscribed: "unsubscribed",
    no: "unsubscribed",
    false: "unsubscribed",
    n: "unsubscribed",
    "0": "unsubscribed",
  } satisfies Record<string, Consent>),
);

function parseConsent(value: string, column: string): { consent: Consent } | { error: string } {
  const consent = CONSENT_VALUES.get(value.toLowerCase());
  return consent
    ? { consent }
    : { error: `bad consent value in ${column}: "${value}" (use subscribed/unsubscribed, yes/no)` };
}

function normalizeHeader(h: string) {
  return h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/** Parses and checks the CSV; throws BAD_REQUEST when the file itself is unusable. */
export function parseContactsCsv(csv: string): {
  rows: Array<{ line: number; row: GoodRow }>;
  errors: ImportRowError[];
  total: number;
} {
  if (Buffer.byteLength(csv, "utf8") > CSV_IMPORT_MAX_BYTES)
    throw badRequest(`The file is larger than ${CSV_IMPORT_MAX_BYTES / 1024 / 1024} MB`, "csv");
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: false });
  const [header, ...body] = parsed.data;
  if (!header || header.every((h) => !h.trim())) throw badRequest("The file is empty", "csv");
  const columns = header.map(normalizeHeader);
  if (!columns.includes("email")) throw badRequest('The header needs an "email" column', "csv");
  const errors: ImportRowError[] = [];
  const rows: Array<{ line: number; row: GoodRow }> = [];
  const seen = new Map<string, number>();
  let total = 0;

  body.forEach((cells, index) => {
    const line = index + 2;
    if (cells.every((c) => !c.trim())) return;
    total++;
    if (total > CSV_IMPORT_MAX_ROWS) {
      if (total === CSV_IMPORT_MAX_ROWS + 1)
        errors.push({ line, reason: `more than ${CSV_IMPORT_MAX_ROWS} rows; the rest was not read` });
      return;
    }
    if (cells.length > columns.length) {
      errors.push({ line, reason: `${cells.length} fields, the header has ${columns.length}` });
      return;
    }
    const value = (column: KnownColumn) => {
      const i = columns.indexOf(column);
      return i < 0 ? "" : (cells[i] ?? "").trim();
    };
    const email = Email.safeParse(value("email"));
    if (!value("email")) return void errors.push({ line, reason: "missing email" });
    if (!email.success) return void errors.push({ line, reason: `bad email: "${value("email")}"` });
    const row: GoodRow = { email: email.data, properties: {} };
    const first = seen.get(row.email);
    if (first) return void errors.push({ line, reason: `email ${row.email} is also on line ${first}` });

    if (value("phone")) {
      const phone = Phone.safeParse(value("phone"));
      if (!phone.success) return void errors.push({ line, reason: `bad phone: "${value("phone")}"` });
      row.phone = phone.data;
    }
    if (value("first_name")) row.firstName = value("first_name").slice(0, 200);
    if (value("last_name")) row.lastName = value("last_name").slice(0, 200);
    if (value("timezone")) {
      if (!TimeZone.safeParse(value("timezone")).success)
        return void errors.push({ line, reason: `unknown time zone: "${value("timezone")}"` });
      row.timezone = value("timezone");
    }
    if (value("birthday")) {
      const birthday = CalendarDate.safeParse(value("birthday"));
      if (!birthday.success)
        return void errors.push({
          line,
          reason: `bad date in birthday: "${value("birthday")}" (use YYYY-MM-DD)`,
        });
      row.birthday = birthday.data;
    }
    for (const [column, key] of [
      ["email_consent", "emailConsent"],
      ["sms_consent", "smsConsent"],
    ] as const) {
      if (!value(column)) continue;
      const parsed = parseConsent(value(column), column);
      if ("error" in parsed) return void errors.push({ line, reason: parsed.error });
      row[key] = parsed.consent;
    }
    columns.forEach((column, i) => {
      const cell = (cells[i] ?? "").trim();
      if (column && cell && !(KNOWN_COLUMNS as readonly string[]).includes(column))
        row.properties[column] = cell.slice(0, 2000);
    });
    seen.set(row.email, line);
    rows.push({ line, row });
  });
  return { rows, errors, total: Math.min(total, CSV_IMPORT_MAX_ROWS) };
}

/** Imports contacts from CSV text into the workspace: upsert by email, bad rows reported. */
export async function importContactsCsv(
  db: Db,
  input: { workspaceId: string; csv: string; now?: Date },
): Promise<ImportReport> {
  const { rows, errors, total } = parseContactsCsv(input.csv);
  const now = input.now ?? new Date();
  let created = 0;
  let updated = 0;
  await db.transaction(async (tx) => {
    const existing = new Map<string, { id: string; properties: Record<string, unknown> }>();
    for (let i = 0; i < rows.length; i += 1000) {
      const emails = rows.slice(i, i + 1000).map((r) => r.row.email);
      const found = await tx
        .select({
          id: contacts.id,
          email: sql<string>`lower(${contacts.email})`,
          properties: contacts.properties,
        })
        .from(contacts)
        .where(
          and(eq(contacts.workspaceId, input.workspaceId), inArray(sql`lower(${contacts.email})`, emails)),
        );
      for (const f of found)
        if (!existing.has(f.email)) existing.set(f.email, { id: f.id, properties: f.properties });
    }
    const inserts: Array<typeof contacts.$inferInsert> = [];
    for (const { row } of rows) {
      const { properties, ...fields } = row;
      const match = existing.get(row.email);
      if (match) {
        await tx
          .update(contacts)
          .set({ ...fields, properties: { ...match.properties, ...properties }, updatedAt: now })
          .where(and(eq(contacts.workspaceId, input.workspaceId), eq(contacts.id, match.id)));
        updated++;
      } else {
        inserts.push({ workspaceId: input.workspaceId, ...fields, properties });
      }
    }
    for (let i = 0; i < inserts.length; i += 500) await tx.insert(contacts).values(inserts.slice(i, i + 500));
    created = inserts.length;
  });
  return { rows: total, created, updated, errors: errors.sort((a, b) => a.line - b.line) };
}
