/**
 * Finding a contact by what a marketer types: any words of a name, an email (or the start
 * of one), the shop's customer id or a phone number. Every word must appear somewhere in
 * the contact's folded search text (`contacts.search_text`: lower case, accents removed), so
 * "lucas rossi" finds Lucas Rossi and "ROSSÍ" finds him too. Each word is a
 * `like '%word%'` that the trigram index answers (words of three letters or more narrow it
 * down; shorter ones are checked on what the others found).
 *
 * Ranked: the contact whose email is exactly the query first, then emails starting with it,
 * then by how closely the text matches the query (pg_trgm word similarity), then by id.
 */
import { and, sql, type SQL } from "drizzle-orm";
import { contacts } from "@/server/db/schema";
import { FOLD_FROM, FOLD_TO } from "@/server/db/search-fold";

/** At most this many words are matched; the rest of a pasted paragraph is ignored. */
export const MAX_SEARCH_WORDS = 8;

export function searchWords(query: string): string[] {
  return query.split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS);
}

function escapeLike(value: string) {
  return value.replace(/[%_\\]/g, (c) => `\\${c}`);
}

/** A value folded exactly as the stored search text is. */
export function fold(value: string | SQL): SQL {
  return sql`translate(lower(${value}), ${FOLD_FROM}, ${FOLD_TO})`;
}

export interface ContactSearch {
  /** Every word found in the contact's search text. */
  where: SQL;
  /** 0: the email is the query; 1: the email starts with it; 2: the rest. */
  rank: SQL<number>;
  /** How closely the contact matches (0–1), negated so that ascending order puts the best first. */
  distance: SQL<number>;
}

/** The search for `query`, or null when it holds no words. */
export function contactSearch(query: string): ContactSearch | null {
  const words = searchWords(query);
  if (words.length === 0) return null;
  const whole = words.join(" ");
  return {
    where: and(...words.map((w) => sql`${contacts.searchText} like ('%' || ${fold(escapeLike(w))} || '%')`))!,
    rank: sql<number>`(case when lower(${contacts.email}) = lower(${whole}) then 0 when lower(${contacts.email}) like (lower(${escapeLike(whole)}) || '%') then 1 else 2 end)`.mapWith(
      Number,
    ),
    distance: sql<number>`(-word_similarity(${fold(whole)}, ${contacts.searchText}))`.mapWith(Number),
  };
}
