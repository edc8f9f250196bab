import { Injectable } from '@nestjs/common';
import { ErrorCodes } from '@ferry/contracts';
import { parseSimUrl, simulateCluster } from '@ferry/plan';
import type { InventorySource } from '@ferry/storage';
import {
  documentOf,
  documentOfAnsibleText,
  documentOfText,
  type InventoryDocument,
} from './ansible-source';
import { detectValue } from './detect';
import { readTextFile } from './file-read';
import { fetchText, HTTP_LIMITS, type FetchLimits } from './http-fetch';
import { redactUrl, SourceError } from './source-error';

/** An inventory read from its source: where from (for the snapshot and problems), and the document. */
export interface ResolvedInventory extends InventoryDocument {
  /** What the snapshot records as its source: kind, URL or path (credentials masked), format. */
  readonly source: string;
  /** The name problems give the inventory. */
  readonly file: string;
}

const INLINE = 'inventory';

function text(value: unknown, what: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new SourceError(
    ErrorCodes.INPUT_INVALID,
    INLINE,
    `the project's inventory source has no ${what}`,
  );
}

/**
 * Reads a project's inventory source (project.entity.ts, `InventorySource`) into a document for
 * `readInventory`: inline text or object (Ferry or Ansible, detected), an HTTP(S) inventory API,
 * a `sim://` cluster, or an explicit Ansible inventory (text, or a file the collector can read).
 * Unreachable sources throw a SourceError; input problems are returned with the document.
 */
@Injectable()
export class InventorySources {
  private readonly limits: FetchLimits = HTTP_LIMITS;

  async resolve(source: InventorySource): Promise<ResolvedInventory> {
    switch (source?.kind) {
      case 'inline': {
        const doc = documentOfText(text(source.text, 'text'), INLINE);
        return { ...doc, source: `inline (${doc.format})`, file: INLINE };
      }
      case 'object': {
        if (typeof source.value !== 'object' || source.value === null) {
          throw new SourceError(
            ErrorCodes.INPUT_INVALID,
            INLINE,
            "the project's inventory source has no object",
          );
        }
        const doc = documentOf(detectValue(source.value), INLINE);
        return { ...doc, source: `object (${doc.format})`, file: INLINE };
      }
      case 'url': {
        const url = text(source.url, 'url');
        const file = redactUrl(url);
        const doc = documentOfText(await fetchText(url, this.limits), file);
        return { ...doc, source: `${file} (${doc.format})`, file };
      }
      case 'sim': {
        const url = text(source.url, 'url');
        const spec = parseSimUrl(url);
        if (!spec.ok) return { format: 'ferry', problems: spec.problems, source: url, file: url };
        return {
          format: 'ferry',
          value: simulateCluster(spec.value).inventory,
          problems: [],
          source: url,
          file: url,
        };
      }
      case 'ansible': {
        if (source.path !== undefined && source.text !== undefined) {
          throw new SourceError(
            ErrorCodes.INPUT_INVALID,
            INLINE,
            'an Ansible inventory source has a path or a text, not both',
          );
        }
        if (source.path !== undefined) {
          const path = text(source.path, 'path');
          const doc = documentOfAnsibleText(
            await readTextFile(path, this.limits.maxBytes),
            path,
            source.format,
          );
          return { ...doc, source: `ansible ${path} (${doc.format})`, file: path };
        }
        const doc = documentOfAnsibleText(text(source.text, 'text or path'), INLINE, source.format);
        return { ...doc, source: `ansible inline (${doc.format})`, file: INLINE };
      }
      default:
        throw new SourceError(
          ErrorCodes.INPUT_INVALID,
          INLINE,
          `unknown inventory source kind ${JSON.stringify((source as { kind?: unknown } | null)?.kind)}`,
        );
    }
  }
}
