import { Module } from '@nestjs/common';
import { PlatformModule } from '@ferry/platform';
import { RunRepository } from '@ferry/storage';
import { ControlHandlers } from './control/control.handlers';
import { RunRegistry } from './engine/run-registry';

@Module({
  imports: [PlatformModule.forService({ service: 'dispatcher', nats: true, storage: true })],
  providers: [RunRepository, RunRegistry, ControlHandlers],
})
export class DispatcherModule {}
