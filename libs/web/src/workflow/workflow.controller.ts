import { Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Renderer, humanise } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { pageContext, sendPage } from '../page';
import { machineGraph } from './machine-graph';
import { diagramNote, transitionRows, workflowSvg } from './workflow-diagram';

/** GET /workflow: the case process drawn from the machine itself. */
@WebPages('workflow')
export class WorkflowController {
  private readonly graph = machineGraph();

  constructor(private readonly renderer: Renderer) {}

  @Get()
  @PageRoles('caseworker', 'administrator', 'mediator')
  show(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    sendPage(
      reply,
      this.renderer.render('workflow/workflow.njk', {
        ...pageContext(session, { title: 'How a case moves', currentPath: '/workflow' }),
        svg: workflowSvg(this.graph),
        diagramNote: diagramNote(this.graph),
        stages: this.graph.stages.map((s) => ({ name: humanise(s.name), states: s.states.map((st) => ({ path: st, text: humanise(st) })) })),
        rows: transitionRows(this.graph),
      }),
    );
  }
}
