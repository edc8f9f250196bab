import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Role } from '@ferry/contracts';
import { AuditRepository } from '@ferry/storage';
import { Requires } from '../auth/auth.guard';

/** The audit log, newest first: who changed what, when (forced plan edits included). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @Requires(Role.Admin)
  @ApiQuery({ name: 'limit', required: false, type: Number })
  recent(@Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number) {
    return this.audit.recent(Math.min(Math.max(limit, 1), 10_000));
  }
}
