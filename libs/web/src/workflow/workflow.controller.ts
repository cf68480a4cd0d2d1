import { Get, Query, Res } from '@nestjs/common';
import { LATEST_BREACH_CASE_VERSION } from '@cc/workflows';
import type { FastifyReply } from 'fastify';
import { Renderer, humanise } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { pageContext, sendPage } from '../page';
import { WORKFLOW_VERSIONS, machineGraph, machineOfVersion, type MachineGraph } from './machine-graph';
import { diagramNote, transitionRows, workflowSvg } from './workflow-diagram';

interface VersionPage {
  svg: string;
  diagramNote: string | null;
  stages: Array<{ name: string; states: Array<{ path: string; text: string }> }>;
  rows: ReturnType<typeof transitionRows>;
}

function versionPage(graph: MachineGraph): VersionPage {
  return {
    svg: workflowSvg(graph),
    diagramNote: diagramNote(graph),
    stages: graph.stages.map((s) => ({ name: humanise(s.name), states: s.states.map((st) => ({ path: st, text: humanise(st) })) })),
    rows: transitionRows(graph),
  };
}

/**
 * GET /workflow: the case process drawn from the machine itself, the latest version by default;
 * ?version=1 draws an older version for the cases still running on it.
 */
@WebPages('workflow')
export class WorkflowController {
  // Drawn once per version: the machines do not change while the process runs.
  private readonly pages = new Map(WORKFLOW_VERSIONS.map((v) => [v, versionPage(machineGraph(machineOfVersion(v)))] as const));

  constructor(private readonly renderer: Renderer) {}

  @Get()
  @PageRoles('caseworker', 'administrator', 'mediator')
  show(@CurrentSession() session: WebSession, @Query('version') asked: string | undefined, @Res() reply: FastifyReply): void {
    const wanted = asked === undefined || asked === '' ? LATEST_BREACH_CASE_VERSION : Number(asked);
    const known = WORKFLOW_VERSIONS.includes(wanted);
    const version = known ? wanted : LATEST_BREACH_CASE_VERSION;
    sendPage(
      reply,
      this.renderer.render('workflow/workflow.njk', {
        ...pageContext(session, { title: 'How a case moves', currentPath: '/workflow' }),
        ...this.pages.get(version)!,
        version,
        latest: LATEST_BREACH_CASE_VERSION,
        versions: WORKFLOW_VERSIONS.map((v) => ({ number: v, href: v === LATEST_BREACH_CASE_VERSION ? '/workflow' : `/workflow?version=${v}`, current: v === version })),
        // The summary says it without echoing what was typed in the address.
        errorList: known ? [] : [{ text: `Choose ${WORKFLOW_VERSIONS.map((v) => `version ${v}`).join(' or ')} of the process`, href: '#workflow-versions' }],
      }),
      known ? 200 : 400,
    );
  }
}
