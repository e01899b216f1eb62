/**
 * The words on a zoomed-out card's face (semantic zoom): its title cut into a head that reads
 * on one line (at least its first ~20 characters, ending at a word) and the rest, shown where
 * the face has room for two lines; and how wide a face must be to show them. Pure, for the tests.
 */

/** A one-line face shows the title up to a word break within these bounds (else cut at the most). */
const HEAD_MIN = 16;
const HEAD_MAX = 20;
/** Longer titles end in "…" after this many characters, even on two lines. */
export const FACE_MAX_CHARS = 56;

/** The part of a title a one-line face shows (`head`, followed by "…" when `tail` is not empty) and the rest. */
export function faceTitle(title: string): { head: string; tail: string } {
  const text = title.length > FACE_MAX_CHARS ? `${cutAtWord(title, FACE_MAX_CHARS - 1)}…` : title;
  if (text.length <= HEAD_MAX) return { head: text, tail: "" };
  const head = cutAtWord(text, HEAD_MAX);
  return { head, tail: text.slice(head.length) };
}

/** A word that ends within this many characters past the most is kept whole. */
const WORD_SLACK = 4;

/**
 * The text up to the last word break at or before `max` (not before `HEAD_MIN`), else up to
 * the first one (or the end) just past it, else its first `max` characters.
 */
function cutAtWord(text: string, max: number): string {
  const before = text.lastIndexOf(" ", max);
  if (before >= HEAD_MIN) return text.slice(0, before).trimEnd();
  const space = text.indexOf(" ", max);
  const after = space === -1 ? text.length : space;
  if (after <= max + WORD_SLACK) return text.slice(0, after).trimEnd();
  return text.slice(0, max).trimEnd();
}

/**
 * The least width that shows `text` on at most two lines when it wraps at spaces: the wider
 * line at the best break. `measure` gives a string's width.
 */
export function twoLineWidth(text: string, measure: (text: string) => number): number {
  const words = text.split(" ");
  let best = measure(text);
  for (let i = 1; i < words.length; i++)
    best = Math.min(best, Math.max(measure(words.slice(0, i).join(" ")), measure(words.slice(i).join(" "))));
  return best;
}
