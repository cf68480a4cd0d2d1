import { Injectable } from '@nestjs/common';
import { CaseAccess, CaseLinks, CaseNotes, CaseTimeline, CaseViews, writableBy } from '@cc/cases';
import { DeadlineQueries } from '@cc/deadlines';
import { ListEvidence } from '@cc/evidence';
import type { WebSession } from '../web-sessions.service';
import { humanise } from '../renderer';
import { pageContext } from '../page';
import { machineGraph } from '../workflow/machine-graph';
import { transitionRows, workflowSvg } from '../workflow/workflow-diagram';
import { ActionForm, actionForms } from './action-forms';
import { PeopleChoicesLookup } from './people-choices';
import { DEADLINE_WORDS, whereItStands } from './state-words';
import { ACTION_WORDS } from './action-labels';

/** What the case page shows besides the case itself: form state after a refusal. */
export interface CasePageState {
  errorList?: Array<{ text: string; href: string }>;
  /** Per form ("action:TYPE", "note", "link", "evidence"): errors by field and values typed. */
  forms?: Record<string, { fieldErrors?: Record<string, { text: string }>; values?: Record<string, string> }>;
  openForm?: string;
  flash?: string;
  conflict?: string;
}

const graph = machineGraph();

/** Gathers everything on the case page from the same use cases the API uses. */
@Injectable()
export class CasePageData {
  constructor(
    private readonly views: CaseViews,
    private readonly access: CaseAccess,
    private readonly timeline: CaseTimeline,
    private readonly notes: CaseNotes,
    private readonly links: CaseLinks,
    private readonly deadlines: DeadlineQueries,
    private readonly evidence: ListEvidence,
    private readonly people: PeopleChoicesLookup,
  ) {}

  /** The action forms this caller gets on this case now. */
  async forms(session: WebSession, id: string, availableActions: string[]): Promise<ActionForm[]> {
    const entity = await this.access.visibleCase(session.caller, id);
    return actionForms(availableActions, this.access.relation(session.caller, entity), await this.people.forActions(availableActions));
  }

  async context(session: WebSession, id: string, state: CasePageState = {}): Promise<Record<string, unknown>> {
    const caller = session.caller;
    const detail = await this.views.detail(caller, id);
    const isStaff = caller.role === 'caseworker' || caller.role === 'administrator';
    const [timeline, notes, deadlines, evidence, links, forms] = await Promise.all([
      this.timeline.execute(caller, detail.id),
      this.notes.list(caller, detail.id),
      this.deadlines.forCase(caller, detail.id),
      this.evidence.execute(caller, detail.id),
      isStaff ? this.links.group(caller, detail.id) : Promise.resolve(null),
      this.forms(session, detail.id, detail.availableActions),
    ]);
    const open = deadlines.filter((d) => d.status === 'pending' || d.status === 'paused');
    const isClosed = detail.stage === 'closed';
    return {
      ...pageContext(session, { title: `${detail.reference}: ${detail.title}`, currentPath: `/cases/${detail.id}` }),
      c: detail,
      isStaff,
      stands: whereItStands(detail.state, caller.role),
      stateText: humanise(detail.state),
      deadlines: open.map((d) => ({ ...d, what: DEADLINE_WORDS[d.kind] ?? humanise(d.kind) })),
      timeline: timeline.map((t) => ({ ...t, what: ACTION_WORDS[t.type]?.title ?? humanise(t.type), detailList: Object.entries(t.details).map(([k, v]) => ({ key: humanise(k), value: Array.isArray(v) ? v.join('; ') : String(v) })) })),
      notes,
      noteVisibilities: writableBy(caller.role).map((v) => ({ value: v, text: { shared: 'Shared: everyone on the case, including the reporting organisation', internal: 'Internal: caseworkers only', mediator: 'Mediator: the appointed mediator only' }[v] })),
      evidence,
      canUpload: caller.role !== 'mediator' && !isClosed,
      links,
      actions: forms,
      facts: Object.entries(detail.facts ?? {}).map(([k, v]) => ({ key: humanise(k), value: typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v) })),
      svg: workflowSvg(graph, { currentState: detail.state, idPrefix: 'case-workflow' }),
      rows: transitionRows(graph).filter((r) => r.fromPath === detail.state || detail.state.startsWith(`${r.fromPath}.`)),
      currentState: detail.state,
      forms: state.forms ?? {},
      errorList: state.errorList,
      openForm: state.openForm,
      flash: state.flash,
      conflict: state.conflict,
    };
  }
}
