/**
 * SMS text facts, one function each, shared by the sender (which bills by them) and the
 * SMS inspector (which shows the same count): the GSM-7 / UCS-2 segment count, the
 * smart-punctuation replacement and the whitespace clean-up the sender applies.
 */

/** GSM 03.38 basic character set (one septet each). */
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
/** GSM 03.38 extension table: an escape plus the character, two septets each. */
const GSM_EXTENDED = new Set("\f^{}\\[~]|€");

export type SmsEncoding = "GSM-7" | "UCS-2";
export type SmsSegmentInfo = {
  /** In encoding units: septets for GSM-7 (extended characters count 2), UTF-16 code units for UCS-2. */
  length: number;
  segments: number;
  encoding: SmsEncoding;
};

function isGsm(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENDED.has(ch)) return false;
  return true;
}

/** Packs characters of `unitsPerChar` into segments of `perSegment`, never splitting one. */
function pack(units: number[], single: number, perSegment: number): { length: number; segments: number } {
  const length = units.reduce((a, b) => a + b, 0);
  if (length === 0) return { length, segments: 0 };
  if (length <= single) return { length, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > perSegment) {
      segments++;
      used = 0;
    }
    used += u;
  }
  return { length, segments };
}

/**
 * How an SMS is billed: GSM-7 fits 160 characters in one segment and 153 per segment
 * when split; anything outside GSM-7 (emoji, curly quotes, most non-Latin scripts)
 * switches the whole message to UCS-2: 70 in one, 67 per segment.
 */
export function smsSegments(text: string): SmsSegmentInfo {
  if (isGsm(text)) {
    const units = Array.from(text, (ch) => (GSM_EXTENDED.has(ch) ? 2 : 1));
    return { ...pack(units, 160, 153), encoding: "GSM-7" };
  }
  const units = Array.from(text, (ch) => ch.length);
  return { ...pack(units, 70, 67), encoding: "UCS-2" };
}

const SMART_PUNCTUATION: Record<string, string> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
  "\u201B": "'",
  "\u2032": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u2033": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2212": "-",
  "\u2026": "...",
  "\u00A0": " ",
  "\u2009": " ",
  "\u200B": "",
  "\u00D7": "x",
};

/**
 * Replaces typographic punctuation with GSM-7 equivalents (like Twilio's smart
 * encoding), so one curly apostrophe does not halve the characters per segment.
 */
export function toGsmFriendly(text: string): string {
  return text.replace(
    /[\u2018\u2019\u201A\u201B\u2032\u201C\u201D\u201E\u2033\u2013\u2014\u2212\u2026\u00A0\u2009\u200B\u00D7]/g,
    (c) => SMART_PUNCTUATION[c] ?? c,
  );
}

/** The text as the sender sends it (before merge-field values and opt-out wording). */
export function normalizeSmsBody(text: string): string {
  return toGsmFriendly(text)
    .replace(/[ \t]+\n/g, "\n")
    .trim();
}
