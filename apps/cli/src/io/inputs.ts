import { isSimUrl, parseSimUrl, simulateCluster, type InputSources } from '@ferry/plan';
import { problemsError, readText } from './files';

/**
 * The three inputs named on the command line. `-i sim://…` generates the cluster; its matching
 * descriptor is used when `-d` is left out.
 */
export function readInputSources(
  inventory: string,
  descriptor: string | undefined,
  logicBook: string,
): InputSources {
  let inventorySource: unknown;
  let descriptorSource: unknown;
  if (isSimUrl(inventory)) {
    const spec = parseSimUrl(inventory);
    if (!spec.ok) throw problemsError(spec.problems);
    const cluster = simulateCluster(spec.value);
    inventorySource = cluster.inventory;
    descriptorSource = descriptor === undefined ? cluster.descriptor : readText(descriptor);
  } else {
    inventorySource = readText(inventory);
    if (descriptor === undefined)
      throw problemsError([
        {
          code: 'INPUT.MISSING_KEY',
          file: 'ferry plan',
          path: '-d',
          message:
            'an upgrade descriptor is required (-d FILE); only a sim:// inventory brings its own',
        },
      ]);
    descriptorSource = readText(descriptor);
  }
  return {
    inventory: inventorySource,
    descriptor: descriptorSource,
    logicBook: readText(logicBook),
  };
}
