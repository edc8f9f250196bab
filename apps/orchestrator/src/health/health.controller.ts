import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Messaging } from '@ferry/platform';
import { Public } from '../auth/auth.guard';

const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'ferry_orchestrator_' });

/** Liveness for load balancers and `ferry up`, and Prometheus metrics. Public: monitoring has no token. */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: Messaging,
  ) {}

  @Get('health')
  @Public()
  async health(@Res() response: Response): Promise<void> {
    const nats = this.messaging.nc.isClosed() ? 'closed' : 'connected';
    let database = 'ok';
    try {
      await this.dataSource.query('SELECT 1');
    } catch (e) {
      database = (e as Error).message;
    }
    const ok = nats === 'connected' && database === 'ok';
    response
      .status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: ok ? 'ok' : 'degraded', nats, database });
  }

  @Get('metrics')
  @Public()
  async metrics(@Res() response: Response): Promise<void> {
    response.type(registry.contentType).send(await registry.metrics());
  }
}
