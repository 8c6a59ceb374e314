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
