import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseBoolPipe,
  Post,
  Put,
  Query,
  Res,
  DefaultValuePipe,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Role } from '@ferry/contracts';
import { Caller, Requires } from '../auth/auth.guard';
import type { TokenHolder } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import { PlansService, type PlanFormat } from './plans.service';

const FORMATS: readonly PlanFormat[] = ['json', 'text', 'mermaid'];

@ApiTags('plans')
@ApiBearerAuth()
@Controller('projects/:project/plan')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Post()
  @HttpCode(200)
  @Requires(Role.Admin)
  compile(@Param('project') key: string, @Caller() caller: TokenHolder) {
    return this.plans.compile(key, caller);
  }

  @Get()
  @ApiQuery({ name: 'format', enum: FORMATS, required: false })
  async get(
    @Param('project') key: string,
    @Query('format', new DefaultValuePipe('json')) format: string,
    @Res() response: Response,
  ) {
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw ApiError.invalid('bad query', [
        {
          code: 'INPUT.INVALID',
          file: 'query',
          path: 'format',
          message: `must be one of ${FORMATS.join(', ')}`,
        },
      ]);
    }
    await this.plans.render(key, format as PlanFormat, response);
  }

  @Put()
  @Requires(Role.Admin)
  @ApiBody({ description: 'an edited plan file (plan-format.md)' })
  @ApiQuery({ name: 'force', required: false, type: Boolean })
  edit(
    @Param('project') key: string,
    @Body() body: unknown,
    @Query('force', new DefaultValuePipe(false), ParseBoolPipe) force: boolean,
    @Caller() caller: TokenHolder,
  ) {
    return this.plans.edit(key, body, force, caller);
  }
}
