import { FORBIDDEN_IN_TEXT } from '../domain/hris-text.ts';

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
