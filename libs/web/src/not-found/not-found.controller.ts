import { All } from '@nestjs/common';
import { NotFound } from '@cc/common';
import { OpenPage } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';

/** Any page URL nothing else answers: the GOV.UK "Page not found" page rather than the API's JSON. */
@WebPages()
export class NotFoundPagesController {
  @All('*')
  @OpenPage()
  notFound(): never {
    throw new NotFound('This page', 'PAGE_NOT_FOUND');
  }
}
