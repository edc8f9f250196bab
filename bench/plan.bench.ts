/**
 * `npm run bench:plan`: 10,000 nodes × 20 components × the seed example's 5-action restart logic
 * book = 1,000,000 tasks. Prints one JSON line: time to compile, to write the plan file, to slice
 * it with a host filter and with a regroup, and peak memory. Targets on a 2-core machine:
 * compile ≤ 3 s, slice ≤ 1 s, peak RSS ≤ 1.5 GB. Override the size with BENCH_NODES/BENCH_COMPONENTS.
 */
import {
  closeSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coalesce,
  compilePlan,
  parseSimUrl,
  planJsonChunks,
  readDescriptor,
  readInventory,
  readLogicBook,
  simulateCluster,
  slicePlan,
  unwrap,
  type Plan,
} from '@ferry/plan';

const nodes = Number(process.env.BENCH_NODES ?? 10000);
const components = Number(process.env.BENCH_COMPONENTS ?? 20);
const files = { inventory: 'sim', descriptor: 'sim', logicBook: 'logic.yaml' };

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function peakRssMb(): number {
  // VmHWM is the kernel's high-water mark of resident memory: the true peak, not a sample.
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status);
  return kb ? Math.round(Number(kb[1]) / 1024) : Math.round(process.memoryUsage().rss / 2 ** 20);
}

/** The seed example's logic book, its X and Y swapped for two generated components. */
function seedLogicBook(): string {
  const text = readFileSync(join(__dirname, '..', '..', 'examples', 'seed', 'logic.yaml'), 'utf8');
  return text
    .replace('order: [X, Y]', 'order: [comp-01, comp-02]')
    .replace('order: [Y, X]', 'order: [comp-02, comp-01]');
}

function main(): void {
  const spec = unwrap(
    parseSimUrl(
      `sim://nodes=${nodes}&components=${components}&roles=management:3,network:10%,compute&seed=1`,
    ),
  );
  let t = process.hrtime.bigint();
  const cluster = simulateCluster(spec);
  const inputs = {
    inventory: unwrap(readInventory(cluster.inventory, files.inventory)),
    descriptor: unwrap(readDescriptor(cluster.descriptor, files.descriptor)),
    logicBook: unwrap(readLogicBook(seedLogicBook(), files.logicBook)),
  };
  const generate_s = seconds(t);

  t = process.hrtime.bigint();
  const { plan } = unwrap(compilePlan(inputs, { files }));
  const compile_s = seconds(t);

  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  const path = join(dir, 'plan.json');
  t = process.hrtime.bigint();
  const fd = openSync(path, 'w');
  for (const chunk of coalesce(planJsonChunks(plan))) writeSync(fd, chunk);
  fsyncSync(fd);
  closeSync(fd);
  const write_s = seconds(t);
  const plan_file_mb = Math.round(statSync(path).size / 2 ** 20);
  rmSync(dir, { recursive: true, force: true });

  const hosts = [...plan.hosts.keys()];
  const someHosts = hosts.filter((_, i) => i % 100 === 0);
  t = process.hrtime.bigint();
  const byHosts: Plan = unwrap(slicePlan(plan, { command: 'upgrade', hosts: someHosts }));
  const slice_hosts_s = seconds(t);

  // The operator's own grouping of the uprpm phase: odd and even hosts.
  const groups = [hosts.filter((_, i) => i % 2 === 0), hosts.filter((_, i) => i % 2 === 1)];
  t = process.hrtime.bigint();
  const regrouped: Plan = unwrap(
    slicePlan(plan, { command: 'upgrade', regroup: { phase: 'uprpm', hosts: groups } }),
  );
  const slice_regroup_s = seconds(t);

  const round = (x: number) => Math.round(x * 1000) / 1000;
  console.log(
    JSON.stringify({
      nodes,
      components,
      tasks: plan.tasks.size,
      batches: plan.mission.length,
      generate_s: round(generate_s),
      compile_s: round(compile_s),
      write_s: round(write_s),
      plan_file_mb,
      slice_hosts_s: round(slice_hosts_s),
      slice_hosts_tasks: byHosts.tasks.size,
      slice_regroup_s: round(slice_regroup_s),
      slice_regroup_batches: regrouped.mission.length,
      peak_rss_mb: peakRssMb(),
    }),
  );
}

main();
