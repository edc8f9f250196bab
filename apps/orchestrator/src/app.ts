import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { LOGGER, PinoNestLogger, createLogger } from '@ferry/platform';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { apiValidationPipe } from './http/validation';
import { OrchestratorModule } from './orchestrator.module';

/** Builds the HTTP gateway (not yet listening), so tests can start it on a port of their own. */
export async function createOrchestrator(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(OrchestratorModule, {
    logger: new PinoNestLogger(createLogger('orchestrator')),
    bodyParser: false,
    abortOnError: false,
  });
  // Edited plan files can be large: a million tasks is a couple of hundred megabytes of JSON.
  app.useBodyParser('json', { limit: '512mb' });
  app.useGlobalPipes(apiValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter(app.get<Logger>(LOGGER)));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Ferry API')
      .setDescription(
        'Plan-driven upgrades for large clusters: projects, plans, runs, tasks (interfaces.md).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}
