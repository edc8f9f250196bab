import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { failed, ok, type Result } from '../problems/problem';

/**
 * Parses YAML (JSON is YAML too). The core schema keeps `2026-01-01` a string rather than a date;
 * a bare `1.10` still becomes a number, which the version rule then reports.
 */
export interface ParseOptions {
  /**
   * Above this many characters a JSON document is read with JSON.parse (a 200 MB plan file takes
   * seconds in the YAML parser). JSON.parse keeps the last of a duplicated key silently, so inputs
   * people write keep the YAML parser, which rejects duplicates.
   */
  readonly jsonFastPathAbove?: number;
}

export function parseDocument(
  text: string,
  file: string,
  options: ParseOptions = {},
): Result<unknown> {
  if (
    options.jsonFastPathAbove !== undefined &&
    text.length > options.jsonFastPathAbove &&
    /^\s*[{[]/.test(text)
  ) {
    try {
      return ok(JSON.parse(text));
    } catch {
      // fall through: the YAML parser gives the better message (line and column)
    }
  }
  try {
    const value = load(text, { schema: CORE_SCHEMA, filename: file });
    if (value === undefined || value === null) {
      return failed([{ code: 'INPUT.SYNTAX', file, path: '', message: 'the document is empty' }]);
    }
    return ok(value);
  } catch (e) {
    const message =
      e instanceof YAMLException
        ? `not valid YAML/JSON: ${e.reason} (line ${e.mark.line + 1}, column ${e.mark.column + 1})`
        : `not valid YAML/JSON: ${String(e)}`;
    return failed([{ code: 'INPUT.SYNTAX', file, path: '', message }]);
  }
}
