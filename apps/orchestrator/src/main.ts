import { FERRY_ENV, createLogger, type FerryEnv } from '@ferry/platform';
import { createOrchestrator } from './app';

async function main(): Promise<void> {
  const logger = createLogger('orchestrator');
  try {
    const app = await createOrchestrator();
    const env = app.get<FerryEnv>(FERRY_ENV);
    await app.listen(env.FERRY_PORT, '0.0.0.0');
    logger.info({ port: env.FERRY_PORT }, 'ready');
  } catch (e) {
    process.stderr.write(`ferry orchestrator: cannot start: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

void main();
