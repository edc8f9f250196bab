import { parseDocument, type Problem } from '@ferry/plan';
import { isAnsibleInventoryValue } from './ansible/yaml';

/** What an inventory document turned out to be. */
export type DetectedInventory =
  | { readonly format: 'ansible-ini'; readonly text: string }
  | { readonly format: 'ansible-yaml'; readonly value: unknown }
  | { readonly format: 'ferry'; readonly value: unknown };

export type Detection = { ok: true; value: DetectedInventory } | { ok: false; problems: Problem[] };

const SECTION = /^\[[^:\]\s]+(?::\w+)?\]\s*(?:[#;].*)?$/;
/** `web[01:03].example.com:22 ansible_host=10.0.0.1 …`: a host line of an INI file without sections. */
const HOST_LINE = /^(?:[A-Za-z0-9_.-]|\[[^\]]*\])+(?::\d+)?(\s+[A-Za-z_]\w*=.*)?$/;

function firstMeaningfulLine(text: string): string | undefined {
  for (const raw of text.split(/\r?\n/, 200)) {
    const line = raw.trim();
    if (line !== '' && !line.startsWith('#') && !line.startsWith(';')) return line;
  }
  return undefined;
}

/** Tells a Ferry inventory from an Ansible one in a parsed document (a `nodes` list is Ferry's). */
export function detectValue(value: unknown): DetectedInventory {
  return isAnsibleInventoryValue(value)
    ? { format: 'ansible-yaml', value }
    : { format: 'ferry', value };
}

/**
 * Tells the format of an inventory text: an Ansible INI file (a `[group]` header first, or bare host
 * lines, which YAML would read as one string), an Ansible YAML/JSON inventory, or a Ferry
 * inventory. Text that is neither INI nor YAML gets the YAML parser's problem (line and column).
 */
export function detectText(text: string, file: string): Detection {
  const first = firstMeaningfulLine(text);
  if (first !== undefined && SECTION.test(first))
    return { ok: true, value: { format: 'ansible-ini', text } };
  const parsed = parseDocument(text, file);
  if (!parsed.ok) {
    return first !== undefined && HOST_LINE.test(first)
      ? { ok: true, value: { format: 'ansible-ini', text } }
      : parsed;
  }
  if (typeof parsed.value === 'string') return { ok: true, value: { format: 'ansible-ini', text } };
  return { ok: true, value: detectValue(parsed.value) };
}
