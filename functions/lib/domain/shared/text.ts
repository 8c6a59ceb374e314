import { z } from 'zod';

/**
 * Names are data, not lines (issue #11). An HRIS text field Gatehouse reads (names, department)
 * may not carry control characters (C0 and C1, so CR, LF and TAB too), Unicode line or paragraph
 * separators, or bidirectional overrides: each would let a name forge lines in an e-mail's text
 * part, a log line or an approval page. Rejected at ingestion with a 400 naming the field, so
 * nothing downstream ever sees one. Joiners and other format characters (ZWJ, ZWNJ) stay: real
 * names in many scripts need them.
 */
export const FORBIDDEN_IN_TEXT = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

export const TEXT_FIELD_PROBLEM = 'must not contain control characters (CR, LF, TAB, ...), line separators or bidirectional overrides';

/** A single-line text field of at most `max` characters. */
export const hrisText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !FORBIDDEN_IN_TEXT.test(value), TEXT_FIELD_PROBLEM);

/**
 * The plain-text part and the subject of every Gatehouse mail, built so that data can never add
 * a line (issue #11): each given line stays one line, whatever the values interpolated into it
 * carry (control characters, line separators and bidi overrides become one space). Ingestion
 * already refuses such names (domain/hris-text.ts); this holds for data stored before that, and
 * for anything else a mail shows. SES (Simple content) then encodes subject and body as UTF-8
 * MIME itself (RFC 2047 words for the subject), so no header can be forged either.
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_Message.html
 */

const FORBIDDEN_RUNS = new RegExp(`(?:${FORBIDDEN_IN_TEXT.source})+`, 'gu');

/** One line: every run of forbidden characters is a single space. */
export const oneLine = (text: string): string => text.replace(FORBIDDEN_RUNS, ' ');

/** A subject: one line, at most 200 characters. */
export const subjectLine = (text: string): string => oneLine(text).slice(0, 200);

/** The text part: the given lines, each kept to one line, joined with LF. */
export const textPart = (lines: readonly string[]): string => lines.map(oneLine).join('\n');
