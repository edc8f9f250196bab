import { parseDocument, type Problem } from '@ferry/plan';
import {
  parseAnsibleIni,
  readAnsibleYaml,
  toFerryInventory,
  type AnsibleInventory,
  type Parsed,
} from './ansible';
import { detectText, type DetectedInventory } from './detect';

export type InventoryFormat = 'ferry' | 'ansible-ini' | 'ansible-yaml';

/** An inventory document ready for `readInventory`, or the problems that stop it getting there. */
export interface InventoryDocument {
  readonly format: InventoryFormat;
  /** The Ferry inventory (an object, or the Ferry text as given); undefined when problems stop it. */
  readonly value?: unknown;
  readonly problems: Problem[];
}

function fromAnsible(
  format: InventoryFormat,
  parsed: Parsed<AnsibleInventory>,
  file: string,
): InventoryDocument {
  if (parsed.problems.length) return { format, problems: parsed.problems };
  const converted = toFerryInventory(parsed.value, file);
  return converted.problems.length
    ? { format, problems: converted.problems }
    : { format, value: converted.value, problems: [] };
}

/** A detected document as the input of `readInventory`: Ansible ones are converted first. */
export function documentOf(detected: DetectedInventory, file: string): InventoryDocument {
  switch (detected.format) {
    case 'ansible-ini':
      return fromAnsible(detected.format, parseAnsibleIni(detected.text, file), file);
    case 'ansible-yaml':
      return fromAnsible(detected.format, readAnsibleYaml(detected.value, file), file);
    case 'ferry':
      return { format: 'ferry', value: detected.value, problems: [] };
  }
}

/** Any inventory text: Ferry YAML/JSON, or an Ansible inventory (INI or YAML), detected. */
export function documentOfText(text: string, file: string): InventoryDocument {
  const detected = detectText(text, file);
  return detected.ok
    ? documentOf(detected.value, file)
    : { format: 'ferry', problems: detected.problems };
}

/**
 * An inventory the project declares to be Ansible's (`{kind: 'ansible'}`): the format given, else
 * detected; YAML that would pass for a Ferry inventory is still read as Ansible.
 */
export function documentOfAnsibleText(
  text: string,
  file: string,
  format?: 'ini' | 'yaml',
): InventoryDocument {
  if (format === 'ini') return documentOf({ format: 'ansible-ini', text }, file);
  if (format === 'yaml') {
    const parsed = parseDocument(text, file);
    return parsed.ok
      ? documentOf({ format: 'ansible-yaml', value: parsed.value }, file)
      : { format: 'ansible-yaml', problems: parsed.problems };
  }
  const detected = detectText(text, file);
  if (!detected.ok) return { format: 'ansible-yaml', problems: detected.problems };
  const value = detected.value;
  return documentOf(
    value.format === 'ferry' ? { format: 'ansible-yaml', value: value.value } : value,
    file,
  );
}

/**
 * Problems `readInventory` finds in a converted Ansible inventory point at `nodes[i]…`, a list the
 * operator never wrote: name the Ansible host as well.
 */
export function nameAnsibleHosts(
  problems: readonly Problem[],
  value: unknown,
  file: string,
): Problem[] {
  const nodes = (value as { nodes?: { id?: unknown }[] } | undefined)?.nodes;
  if (!Array.isArray(nodes)) return [...problems];
  return problems.map((p) => {
    const m = p.file === file ? /^nodes\[(\d+)\]/.exec(p.path) : null;
    const id = m ? nodes[Number(m[1])]?.id : undefined;
    return typeof id === 'string'
      ? { ...p, message: `Ansible host ${JSON.stringify(id)}: ${p.message}` }
      : p;
  });
}
