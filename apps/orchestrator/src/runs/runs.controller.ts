import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  HttpCode,
  Param,
  ParseBoolPipe,
  ParseIntPipe,
  Post,
  Query,
  Sse,
  type MessageEvent,
} from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { CreateRunDto, Role, TASK_STATES } from '@ferry/contracts';
import { Caller, Requires } from '../auth/auth.guard';
import type { TokenHolder } from '../auth/tokens';
import { RunsService } from './runs.service';

@ApiTags('runs')
@ApiBearerAuth()
@Controller()
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post('projects/:project/runs')
  @Requires(Role.Operator)
  create(@Param('project') key: string, @Body() dto: CreateRunDto, @Caller() caller: TokenHolder) {
    return this.runs.create(key, dto, caller);
  }

  @Get('projects/:project/runs')
  list(@Param('project') key: string) {
    return this.runs.list(key);
  }

  @Get('runs/:run')
  @ApiQuery({
    name: 'result',
    required: false,
    type: Boolean,
    description: 'false: leave out the {done, fail, undo} id lists',
  })
  get(
    @Param('run') id: string,
    @Query('result', new DefaultValuePipe(true), ParseBoolPipe) withResult: boolean,
  ) {
    return this.runs.view(id, withResult);
  }

  @Sse('runs/:run/events')
  async events(@Param('run') id: string): Promise<Observable<MessageEvent>> {
    return (await this.runs.events(id)).pipe(
      map((e) => ({ type: e.type, data: e.data }) as MessageEvent),
    );
  }

  @Post('runs/:run/pause')
  @HttpCode(200)
  @Requires(Role.Operator)
  pause(@Param('run') id: string, @Caller() caller: TokenHolder) {
    return this.runs.control(id, 'pause', caller);
  }

  @Post('runs/:run/resume')
  @HttpCode(200)
  @Requires(Role.Operator)
  resume(@Param('run') id: string, @Caller() caller: TokenHolder) {
    return this.runs.control(id, 'resume', caller);
  }

  @Post('runs/:run/cancel')
  @HttpCode(200)
  @Requires(Role.Operator)
  cancel(@Param('run') id: string, @Caller() caller: TokenHolder) {
    return this.runs.control(id, 'cancel', caller);
  }

  @Post('runs/:run/tasks/:task/retry')
  @HttpCode(200)
  @Requires(Role.Operator)
  retry(@Param('run') id: string, @Param('task') task: string, @Caller() caller: TokenHolder) {
    return this.runs.retry(id, task, caller);
  }

  @Post('runs/:run/tasks/:task/undo')
  @HttpCode(200)
  @Requires(Role.Operator)
  undoTask(@Param('run') id: string, @Param('task') task: string, @Caller() caller: TokenHolder) {
    return this.runs.undo(id, task, caller);
  }

  @Post('runs/:run/undo')
  @HttpCode(200)
  @Requires(Role.Operator)
  undoRun(@Param('run') id: string, @Caller() caller: TokenHolder) {
    return this.runs.undo(id, undefined, caller);
  }

  @Get('projects/:project/stats')
  stats(@Param('project') key: string) {
    return this.runs.stats(key);
  }

  @Get('runs/:run/tasks')
  @ApiQuery({ name: 'state', enum: TASK_STATES, required: false })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  tasks(
    @Param('run') id: string,
    @Query('state') state: string | undefined,
    @Query('limit', new DefaultValuePipe(1000), ParseIntPipe) limit: number,
  ) {
    return this.runs.tasks(id, state, Math.min(Math.max(limit, 1), 100_000));
  }
}
