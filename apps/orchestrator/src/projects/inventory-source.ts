import { HttpStatus } from '@nestjs/common';
import { ErrorCodes } from '@ferry/contracts';
import { isSimUrl, parseSimUrl } from '@ferry/plan';
import type { InventorySource } from '@ferry/storage';
import { ApiError } from '../http/api-error';

/**
 * What `inventory` in `POST /projects` means (interfaces.md): YAML/JSON text or an object, or
 * `{ "source": "sim://…" | "http(s)://…" | "ansible:<path>" }`. The collector reads it at each collect.
 */
export function inventorySourceOf(inventory: unknown): InventorySource {
  if (typeof inventory === 'string') return { kind: 'inline', text: inventory };
  const value = inventory as Record<string, unknown>;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'source') {
    if (typeof value.source !== 'string') throw sourceError('inventory.source must be a string');
    const source: string = value.source;
    if (isSimUrl(source)) {
      const spec = parseSimUrl(source);
      if (!spec.ok)
        throw ApiError.invalid(
          'inventory',
          spec.problems.map((p) => ({ ...p, file: 'inventory.source' })),
        );
      return { kind: 'sim', url: source };
    }
    if (/^https?:\/\/.+/.test(source)) return { kind: 'url', url: source };
    if (source.startsWith('ansible:') && source.length > 'ansible:'.length)
      return { kind: 'ansible', path: source.slice('ansible:'.length) };
    throw sourceError(
      `inventory.source ${JSON.stringify(source)} is not sim://…, http(s)://… or ansible:<path>`,
    );
  }
  return { kind: 'object', value: inventory };
}

function sourceError(message: string): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.INPUT_INVALID, message, [
    { path: 'inventory.source', message },
  ]);
}

export function describeSource(source: InventorySource): string {
  switch (source.kind) {
    case 'inline':
      return 'inline text';
    case 'object':
      return 'inline object';
    case 'url':
    case 'sim':
      return source.url;
    case 'ansible':
      return `ansible:${source.path ?? 'inline'}`;
  }
}
