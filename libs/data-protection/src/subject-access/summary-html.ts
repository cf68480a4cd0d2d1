import { formatDate, formatDateTime, humanise, stateName } from '@cc/wording';
import { REQUEST_KIND_WORDS, REQUEST_STATUS_WORDS, RequestKind, RequestStatus } from '../requests/request-words';
import type { PersonalData } from './personal-data';

const esc = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const when = (value: unknown) => esc(formatDateTime(value) ?? '');
const day = (value: unknown) => esc(formatDate(value) ?? '');
const who = (s: string) => (s === 'You' ? 'you' : s);
const paragraphs = (text: string | null | undefined) => (text ? text.split(/\n{2,}/).map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`).join('') : '<p>Nothing written.</p>');

const VISIBILITY: Record<string, string> = {
  shared: 'shared with the reporting organisation',
  internal: 'internal to the advocacy programme',
  mediator: 'the mediator’s confidential note',
  parties: 'shared with both sides',
  respondent: 'shared with the public body',
};
const ROLE: Record<string, string> = { reporter: 'Reporter', caseworker: 'Caseworker', mediator: 'Mediator', administrator: 'Administrator', respondent: 'Contact at a public body' };
const EMAIL_STATUS: Record<string, string> = { pending: 'waiting to be sent', queued: 'waiting to be sent', sending: 'being sent', sent: 'sent', failed: 'could not be sent' };

function list(rows: Array<[string, string]>): string {
  return `<dl>${rows.map(([k, v]) => `<div class="row"><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

function texts(t: Record<string, string>): string {
  const entries = Object.values(t);
  return entries.length ? entries.map((v) => paragraphs(v)).join('') : '';
}

function section(title: string, id: string, empty: string, items: string[]): string {
  return `<h2 id="${id}">${esc(title)}</h2>${items.length ? items.join('') : `<p>${esc(empty)}</p>`}`;
}

/**
 * The readable half of the export: one self-contained page (no scripts, no links out, styles
 * inline) that opens in any browser, laid out in the GOV.UK manner, with every code in words and
 * every time in England's.
 */
export function summaryHtml(d: PersonalData): string {
  const kind = REQUEST_KIND_WORDS[d.request.kind as RequestKind]?.name ?? 'Request';
  const account = d.account
    ? list([
        ['Name', esc(d.account.name)],
        ['E-mail address', esc(d.account.email)],
        ['Role', esc(ROLE[d.account.role] ?? humanise(d.account.role))],
        ...(d.account.organisation ? [['Organisation', esc(d.account.organisation)] as [string, string]] : []),
        ['Account opened', when(d.account.createdAt)],
        ['Account', d.account.active ? 'Open' : 'Closed'],
        ['Two-factor sign-in', d.account.twoFactor ? 'Set up' : 'Not set up'],
        ...(d.account.passwordChangedAt ? [['Password last changed', when(d.account.passwordChangedAt)] as [string, string]] : []),
      ])
    : '<p>There is no account with this e-mail address.</p>';
  const contact = d.publicBodyContact
    ? `<h3>As a contact at a public body</h3>${list([
        ['Name', esc(d.publicBodyContact.name)],
        ['E-mail address', esc(d.publicBodyContact.email)],
        ['Job title', esc(d.publicBodyContact.jobTitle ?? 'Not given')],
        ['Public body', esc(d.publicBodyContact.organisation)],
        ['Added', when(d.publicBodyContact.createdAt)],
      ])}`
    : '';
  const cases = d.cases.map(
    (c) => `<div class="card" id="case-${esc(c.reference)}"><h3>${esc(c.reference)}${c.report ? `: ${esc(c.report.title)}` : ''}</h3>${list([
      ['Your part in it', esc(c.yourPart.length ? c.yourPart.join(', ') : 'named in a note or message')],
      ['Reported by', esc(c.reportingOrganisation)],
      ['Public body', esc(c.publicBody)],
      ['Reported', when(c.submittedAt)],
      ['Where it stands', esc(stateName(c.state) ?? humanise(c.state))],
      ...(c.closedAt ? [['Closed', when(c.closedAt)] as [string, string]] : []),
    ])}${
      c.report
        ? `<h4>What happened (on or from ${day(c.happenedOn)})</h4>${paragraphs(c.report.whatHappened)}<h4>The impact</h4>${paragraphs(c.report.impact)}<h4>What they wanted to happen</h4>${paragraphs(c.report.desiredOutcome)}${c.report.evidence ? `<h4>Evidence described</h4>${paragraphs(c.report.evidence)}` : ''}`
        : ''
    }</div>`,
  );
  const notes = d.notes.map((n) => `<div class="card"><h3>${esc(n.caseReference)}, ${when(n.writtenAt)}</h3><p class="meta">Written by ${esc(who(n.writtenBy))}; ${esc(VISIBILITY[n.visibility] ?? humanise(n.visibility))}</p>${paragraphs(n.text)}</div>`);
  const events = d.caseEvents.map((e) => `<div class="card"><h3>${esc(e.caseReference)}: ${esc(humanise(e.what))}</h3><p class="meta">${when(e.at)}, by ${esc(who(e.by))}</p>${texts(e.texts)}</div>`);
  const documents = d.documents.map(
    (f) => `<li>${esc(f.fileName)} (${esc(f.caseReference)}), added ${when(f.uploadedAt)}${f.description ? `: ${esc(f.description)}` : ''}. ${f.fileInExport ? `In this download as ${esc(f.fileInExport)}.` : 'The file itself could not be read, so it is not in this download.'}</li>`,
  );
  const letters = d.letters.map(
    (l) => `<div class="card"><h3>${esc(l.caseReference)}: ${esc(l.subject)}</h3><p class="meta">${when(l.sentAt)}, by ${esc(who(l.sentBy))}${l.toYou ? ', to you' : ''}${l.byEmail ? ', by e-mail' : ', to post'}</p>${paragraphs(l.text)}</div>`,
  );
  const sent = d.emailsSent.map((m) => `<div class="card"><h3>${esc(humanise(m.message))}${m.caseReference ? ` (${esc(m.caseReference)})` : ''}</h3><p class="meta">${when(m.sentAt ?? m.createdAt)}: ${esc(EMAIL_STATUS[m.status] ?? humanise(m.status))}</p>${texts(m.texts)}</div>`);
  const received = d.emailsReceived.map((m) => `<div class="card"><h3>${esc(m.subject ?? '(no subject)')}</h3><p class="meta">Received ${when(m.receivedAt)}${m.caseReference ? `, on ${esc(m.caseReference)}` : ''}</p>${paragraphs(m.text)}</div>`);
  const reads = d.reads.length
    ? [`<table><thead><tr><th scope="col">When</th><th scope="col">Case</th><th scope="col">What was opened</th></tr></thead><tbody>${d.reads.map((r) => `<tr><td>${when(r.at)}</td><td>${esc(r.caseReference ?? '')}</td><td>${esc(r.method === 'GET' ? 'Looked at' : 'Changed')} ${esc(r.path)}</td></tr>`).join('')}</tbody></table>`]
    : [];
  const history = d.accountHistory.map((e) => `<li>${when(e.at)}: ${esc(humanise(e.what))}${e.byAnAdministrator ? ' (by an administrator)' : ''}</li>`);
  const signIns = d.signIns.map((s) => `<li>Signed in ${when(s.signedInAt)}, last used ${when(s.lastUsedAt)}</li>`);
  const requests = d.requests.map((r) => `<li>${esc(REQUEST_KIND_WORDS[r.kind as RequestKind]?.name ?? humanise(r.kind))} received ${day(r.receivedOn)}: ${esc(REQUEST_STATUS_WORDS[r.status as RequestStatus] ?? humanise(r.status))}</li>`);

  return `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>The personal data Compact Cases holds about ${esc(d.email)}</title>
<style>
body{font-family:Arial,sans-serif;color:#0b0c0c;margin:0;line-height:1.4;font-size:19px}
header{background:#0b0c0c;color:#fff;padding:15px}
main{max-width:960px;margin:0 auto;padding:15px}
h1{font-size:36px;margin:30px 0 15px}h2{font-size:27px;margin:40px 0 15px;border-top:1px solid #b1b4b6;padding-top:20px}h3{font-size:21px;margin:20px 0 10px}h4{font-size:19px;margin:15px 0 5px}
dl{margin:0 0 20px}.row{display:flex;flex-wrap:wrap;border-bottom:1px solid #b1b4b6;padding:8px 0}dt{font-weight:bold;flex:0 0 30%;min-width:10em}dd{margin:0;flex:1 1 60%}
.card{border:1px solid #b1b4b6;padding:10px 15px;margin-bottom:15px}.meta{color:#505a5f}
table{border-collapse:collapse;width:100%;font-size:16px}th,td{text-align:left;border-bottom:1px solid #b1b4b6;padding:6px 10px 6px 0;vertical-align:top;word-break:break-word}
</style></head>
<body><header>Compact Cases</header><main>
<h1>The personal data we hold about ${esc(d.email)}</h1>
<p>This is the answer to the ${esc(kind.toLowerCase())} received on ${day(d.request.receivedOn)}. It was gathered on ${when(d.gatheredAt)}. The same information is in data.json, for use with other programs, and any documents you added are in the files folder.</p>
<p>Where a record also names someone else, their name or e-mail address is shown as [another person]: we must not share other people's personal data with you.</p>
<h2 id="account">Your account</h2>${account}${contact}
${section('Cases you are part of or named in', 'cases', 'You are not part of or named in any case.', cases)}
${section('Notes and messages you wrote or are named in', 'notes', 'There are no notes or messages written by you or naming you.', notes)}
${section('What you did on cases, and where you are named in their history', 'history', 'Nothing.', events)}
<h2 id="documents">Documents you added</h2>${documents.length ? `<ul>${documents.join('')}</ul>` : '<p>You have not added any documents.</p>'}
${section('Letters to you, from you, or naming you', 'letters', 'There are no letters to you, from you or naming you.', letters)}
${section('E-mails we sent you', 'emails-sent', 'We have not sent you any e-mails about a case.', sent)}
${section('E-mails you sent us', 'emails-received', 'We hold no e-mails from you.', received)}
${section('Cases you opened (the record of your reads)', 'reads', 'There is no record of you opening a case.', reads)}
<h2 id="account-history">Changes to your account</h2>${history.length ? `<ul>${history.join('')}</ul>` : '<p>None recorded.</p>'}
<h2 id="sign-ins">Where you are signed in</h2>${signIns.length ? `<ul>${signIns.join('')}</ul>` : '<p>You are not signed in anywhere.</p>'}
<h2 id="requests">Your requests about your data</h2>${requests.length ? `<ul>${requests.join('')}</ul>` : '<p>None.</p>'}
<h2 id="rights">Your rights</h2>
<p>You can ask us to correct anything here that is wrong, or to erase your personal data. If you are unhappy with how we have used it, tell us first; you can also complain to the Information Commissioner's Office (ico.org.uk, 0303 123 1113).</p>
</main></body></html>
`;
}
