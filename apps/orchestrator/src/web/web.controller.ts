import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.guard';
import { PAGE } from './page';

/** The operator's page. Public: the page itself asks for a token and sends it with every API call. */
@ApiExcludeController()
@Controller()
export class WebController {
  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(): string {
    return PAGE;
  }
}
