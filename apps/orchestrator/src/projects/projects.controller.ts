import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateProjectDto, Role } from '@ferry/contracts';
import { Caller, Requires } from '../auth/auth.guard';
import type { TokenHolder } from '../auth/tokens';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @Requires(Role.Admin)
  create(@Body() dto: CreateProjectDto, @Caller() caller: TokenHolder) {
    return this.projects.create(dto, caller);
  }

  @Get()
  list() {
    return this.projects.list();
  }

  @Get(':project')
  async get(@Param('project') key: string) {
    return this.projects.view(await this.projects.get(key));
  }

  @Post(':project/collect')
  @HttpCode(200)
  @Requires(Role.Admin)
  collect(@Param('project') key: string, @Caller() caller: TokenHolder) {
    return this.projects.collect(key, caller);
  }
}
