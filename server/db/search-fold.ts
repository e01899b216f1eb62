/**
 * How contact search reads text: lower case, common Latin accents removed, so "jose" finds
 * "José" and "MÜLLER" finds "Müller". One SQL expression built from these two strings
 * serves both sides: the stored `contacts.search_text` column and every search word, so
 * what is indexed and what is asked are folded alike. `translate` and `lower` are
 * immutable, so the column can be generated and indexed (no `unaccent` dictionary needed).
 * Upper-case accented letters are listed too: `lower` leaves non-ASCII letters alone under
 * the C collation.
 */
const PAIRS: Array<[string, string]> = [
  ["àáâãäåāăąÀÁÂÃÄÅĀĂĄ", "a"],
  ["çćĉčÇĆĈČ", "c"],
  ["ďđĎĐ", "d"],
  ["èéêëēĕėęěÈÉÊËĒĔĖĘĚ", "e"],
  ["ĝğġģĜĞĠĢ", "g"],
  ["ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ", "i"],
  ["ķĶ", "k"],
  ["ĺļľŀłĹĻĽĿŁ", "l"],
  ["ñńņňÑŃŅŇ", "n"],
  ["òóôõöøōŏőÒÓÔÕÖØŌŎŐ", "o"],
  ["ŕŗřŔŖŘ", "r"],
  ["śŝşšșŚŜŞŠȘ", "s"],
  ["ţťŧțŢŤŦȚ", "t"],
  ["ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ", "u"],
  ["ŵŴ", "w"],
  ["ýÿŷÝŸŶ", "y"],
  ["źżžŹŻŽ", "z"],
];

/** The characters `translate` replaces, and what each becomes (same length). */
export const FOLD_FROM = PAIRS.map(([from]) => from).join("");
export const FOLD_TO = PAIRS.map(([from, to]) => to.repeat([...from].length)).join("");

/** The fold as SQL text around an SQL expression (for the generated column's definition). */
export function foldSqlText(expression: string): string {
  return `translate(lower(${expression}), '${FOLD_FROM}', '${FOLD_TO}')`;
}

/** The columns a contact is found by, in the order they are joined (a space between them). */
export const SEARCH_TEXT_SQL = foldSqlText(
  ["first_name", "last_name", "email", "external_id", "phone"]
    .map((c) => `coalesce(${c}, '')`)
    .join(" || ' ' || "),
);
