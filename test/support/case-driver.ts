import type { TestApp } from './test-app';
import { sampleReport } from './test-app';

type Who = keyof TestApp['tokens'];

/** Drives cases over HTTP the way a client would, failing loudly on any unexpected answer. */
export class CaseDriver {
  constructor(private readonly t: TestApp) {}

  async file(who: Who = 'reporter', overrides: Record<string, unknown> = {}): Promise<{ id: string; reference: string }> {
    const res = await this.t.http.post('/api/cases').set(this.auth(who)).send(sampleReport(this.t.demo, overrides));
    if (res.status !== 201) throw new Error(`filing failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Sends an event and expects it to be applied; returns the new state. */
  async send(who: Who, caseId: string, event: Record<string, unknown>): Promise<{ state: string; version: number }> {
    const res = await this.t.http.post(`/api/cases/${caseId}/events`).set(this.auth(who)).send(event);
    if (res.status !== 200) throw new Error(`${String(event.type)} by ${who} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  raw(who: Who, caseId: string, event: unknown) {
    return this.t.http.post(`/api/cases/${caseId}/events`).set(this.auth(who)).send(event as object);
  }

  async get(who: Who, caseId: string) {
    return this.t.http.get(`/api/cases/${caseId}`).set(this.auth(who));
  }

  async timeline(who: Who, caseId: string): Promise<Array<{ seq: number; type: string; toState: string; details: Record<string, unknown> }>> {
    const res = await this.t.http.get(`/api/cases/${caseId}/timeline`).set(this.auth(who)).expect(200);
    return res.body;
  }

  auth(who: Who) {
    return { Authorization: `Bearer ${this.t.tokens[who]}` };
  }

  /** Files a report and takes it to advocacy review (the public body has answered). */
  async toAdvocacyReview(): Promise<string> {
    const { id } = await this.file();
    await this.send('caseworker', id, { type: 'ASSIGN', caseworkerId: this.t.demo.users.caseworker.id });
    await this.send('caseworker', id, { type: 'ACCEPT' });
    await this.send('caseworker', id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the council chief executive.' });
    await this.send('caseworker', id, { type: 'RECORD_RESPONSE', summary: 'The council says notice was given by phone.' });
    return id;
  }
}

/** A day monitoring may run to: next year's 30 June (in the future, within the workflow's limit, and in British Summer Time). */
export const MONITOR_UNTIL = `${new Date().getUTCFullYear() + 1}-06-30`;
