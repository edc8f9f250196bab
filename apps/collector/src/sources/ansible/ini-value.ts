import { CORE_SCHEMA, load } from 'js-yaml';

/**
 * Splits an INI host line as Ansible does (Python's `shlex.split(line, comments=True)`): white
 * space separates tokens, single and double quotes group (and are removed), a backslash escapes
 * the next character, and `#` outside quotes ends the line. Returns the tokens, or why it cannot.
 */
export function splitHostLine(line: string): string[] | string {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else current += c;
      continue;
    }
    if (quote === '"') {
      const next = line[i + 1];
      if (c === '"') quote = null;
      else if (c === '\\' && next !== undefined && '\\"$`'.includes(next)) {
        current += next;
        i++;
      } else current += c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else if (c === '#') {
      break;
    } else if (c === "'" || c === '"') {
      quote = c;
      inToken = true;
    } else if (c === '\\') {
      if (i + 1 < line.length) current += line[++i];
      inToken = true;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (quote) return `no closing ${quote} quote`;
  if (inToken) tokens.push(current);
  return tokens;
}

const INTEGER = /^[-+]?(0|[1-9]\d*)$/;
const FLOAT = /^[-+]?(\d+\.\d*|\.\d+|\d+(?=[eE]))([eE][-+]?\d+)?$/;

/**
 * An INI value the way Ansible reads one (`ast.literal_eval`, keeping the text when that fails):
 * numbers, `True`/`False`/`None`, quoted strings, and lists and dicts — which we read as YAML flow,
 * so both Python (`{'a': '1'}`) and JSON (`{"a": "1"}`) spellings work. `010` stays the string
 * "010" as in Python 3; `1.10` becomes the number 1.1 as in Ansible (the version rule reports it).
 */
export function parseIniValue(text: string): unknown {
  const value = text.trim();
  if (value === 'True') return true;
  if (value === 'False') return false;
  if (value === 'None') return null;
  if (INTEGER.test(value) || FLOAT.test(value)) return Number(value);
  if (/^[[{'"]/.test(value)) {
    try {
      const parsed = load(value, { schema: CORE_SCHEMA, json: true });
      if (parsed !== undefined) return parsed;
    } catch {
      // Not a literal: Ansible keeps the text as it is.
    }
  }
  return value;
}
