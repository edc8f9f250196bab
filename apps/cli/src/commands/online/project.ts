import type { Command } from 'commander';
import { isSimUrl } from '@ferry/plan';
import { seg, withApi, type CollectSummary, type ProjectCreated, type ProjectInfo } from './api';
import { readText } from '../../io/files';
import { apiClient, say, table } from './context';
import { shortId } from './follow/render';

/**
 * `--inventory SRC`: a `sim://…`, `http(s)://…` or `ansible:PATH` source is sent as
 * `{"source": SRC}` for the collector to read; anything else is a local file whose text is sent.
 */
export function inventoryField(source: string): unknown {
  if (isSimUrl(source) || /^https?:\/\//i.test(source) || /^ansible:/i.test(source))
    return { source };
  return readText(source);
}

export function registerProjectCommands(program: Command): void {
  const project = program
    .command('project')
    .description('projects on the Ferry API: one cluster, its inputs and plans');

  project
    .command('create')
    .description('create a project from an inventory, an upgrade descriptor and a logic book')
    .argument('<name>', 'project name (letters, digits, ".", "_", "-")')
    .requiredOption(
      '--inventory <src>',
      'inventory file (YAML/JSON, Ansible), or sim://…, http(s)://… sources read by the collector',
    )
    .requiredOption('--descriptor <file>', 'upgrade descriptor (YAML/JSON)')
    .requiredOption('--logic <file>', 'logic book (YAML/JSON)')
    .addHelpText(
      'after',
      '\nExample: ferry project create demo --inventory sim://nodes=200&components=4 --descriptor d.yaml --logic logic.yaml\nExit codes: 0 created, 2 input errors (each printed as "file: path: message"), 1 API unreachable.',
    )
    .action(
      async (name: string, opts: { inventory: string; descriptor: string; logic: string }) => {
        const body = {
          name,
          inventory: inventoryField(opts.inventory),
          descriptor: readText(opts.descriptor),
          logicBook: readText(opts.logic),
        };
        const files = {
          inventory: opts.inventory,
          descriptor: opts.descriptor,
          logicBook: opts.logic,
        };
        const created = await withApi(
          () => apiClient().post<ProjectCreated>('/projects', body),
          files,
        );
        say(
          `project ${created.name} created (id ${created.id})`,
          `next: ferry collect ${created.name}`,
        );
      },
    );

  project
    .command('list')
    .description('list the projects')
    .action(async () => {
      const projects = await withApi(() => apiClient().get<ProjectInfo[]>('/projects'));
      if (!projects.length) {
        say('no projects yet (ferry project create NAME …)');
        return;
      }
      say(
        ...table(
          ['name', 'id', 'snapshot', 'plan', 'created'],
          projects.map((p) => [
            p.name,
            p.id,
            p.snapshot ? shortId(p.snapshot) : '-',
            p.plan ? shortId(p.plan) : '-',
            p.createdAt ?? '',
          ]),
        ),
      );
    });

  project
    .command('show')
    .description('show one project')
    .argument('<project>', 'project name or id')
    .action(async (name: string) => {
      const p = await withApi(() => apiClient().get<ProjectInfo>(`/projects/${seg(name)}`));
      say(
        `project ${p.name} (id ${p.id})`,
        `  snapshot  ${p.snapshot ?? '- (ferry collect)'}`,
        `  plan      ${p.plan ?? '- (ferry plan)'}`,
        `  created   ${p.createdAt}`,
      );
    });

  program
    .command('collect')
    .description(
      "freeze the project's inventory and descriptor into a snapshot (the collector reads the source)",
    )
    .argument('<project>', 'project name or id')
    .action(async (name: string) => {
      const s = await withApi(() =>
        apiClient().post<CollectSummary>(`/projects/${seg(name)}/collect`),
      );
      say(...collectLines(s));
    });
}

export function collectLines(s: CollectSummary): string[] {
  const lines = [
    `snapshot ${s.snapshot}: ${s.nodes} nodes, ${s.instances} instances, ${s.components} components (from ${s.source})`,
  ];
  if (s.added || s.removed)
    lines.push(`  nodes added: ${s.added ?? 0}, removed: ${s.removed ?? 0}`);
  return lines;
}
