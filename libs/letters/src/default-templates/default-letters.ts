/**
 * The letters the service ships with. Added on start when missing (by default_key), never written
 * over: once an administrator edits one, theirs is the letter. Plain words, GOV.UK style; each
 * names only fields the case has by the time the letter is usually written, so a caseworker at
 * that point sees no gaps.
 */
import type { Addressee } from '../merge-fields/letter-facts';

export interface DefaultLetter {
  key: string;
  name: string;
  purpose: string;
  addressedTo: Addressee;
  subject: string;
  body: string;
}

const SIGN_OFF = `Yours sincerely,

{{sender.name}}
{{sender.role}}, Compact Advocacy`;

const REPORTER_SIGN_OFF = `If you have any questions, reply to this e-mail or write a message on the case page.

${SIGN_OFF}`;

const rejection = (key: string, reason: string, because: string, next: string): DefaultLetter => ({
  key: `rejection-${key}`,
  name: `Rejection: ${reason}`,
  purpose: `Tell the reporting organisation we cannot take up the report because ${because}.`,
  addressedTo: 'reporter',
  subject: 'We cannot take up your report {{case.reference}}',
  body: `Dear {{recipient.name}},

Thank you for your report about {{respondent.name}}, received on {{case.submittedOn}} (our reference {{case.reference}}).

We have looked at it carefully. We are sorry, but on {{rejection.decidedOn}} we decided that we cannot take it up, because ${because}.

{{#if rejection.explanation}}
{{rejection.explanation}}

{{/if}}
${next}

If you think our decision is wrong, you can ask us to review it. A caseworker who did not make the decision will look at it again.

${REPORTER_SIGN_OFF}`,
});

const closing = (key: string, name: string, purpose: string, lead: string, extra = ''): DefaultLetter => ({
  key: `closing-${key}`,
  name: `Closing letter: ${name}`,
  purpose,
  addressedTo: 'reporter',
  subject: 'Your case {{case.reference}} is closed',
  body: `Dear {{recipient.name}},

We are writing to tell you that on {{closing.closedOn}} we closed your case about {{respondent.name}} (our reference {{case.reference}}).

${lead}

{{#if closing.summary}}
{{closing.summary}}

{{/if}}
${extra}If something changes, contact us: we can reopen a case within 90 days of it closing.

Thank you for telling us about this. Reports like yours help us see where the Compact is not being kept.

${REPORTER_SIGN_OFF}`,
});

export const DEFAULT_LETTERS: readonly DefaultLetter[] = [
  {
    key: 'first-letter',
    name: 'First letter to the public body',
    purpose: 'Write to the public body about the breach: the commitments concerned, what the facts show, and what we ask it to do.',
    addressedTo: 'respondent',
    subject: '{{compact.name}}: {{case.title}} (our reference {{case.reference}})',
    body: `Dear {{recipient.name}},

We are writing on behalf of {{reporter.organisation}} about a concern that {{respondent.name}} has not kept to {{compact.name}}. Our reference is {{case.reference}}.

# What we have been told

{{case.whatHappened}}

# The commitments concerned

{{#each commitments}}
- {{reference}}: {{text}}
{{/each}}

{{#if findings}}
# What the facts show

{{#each findings}}
- {{this}}.
{{/each}}

{{/if}}
# The impact

{{case.impact}}

# What we are asking for

{{case.desiredOutcome}}

Please reply {{#if deadlines.reply}}{{deadlines.reply}}{{else}}{{deadlines.replyWithin}} of this letter{{/if}}, telling us what happened and what you will do to put it right. You can reply to this e-mail.

${SIGN_OFF}`,
  },
  {
    key: 'chaser',
    name: 'Chaser to the public body',
    purpose: 'Remind the public body that we are waiting for its reply. Record the chase on the case first, so the letter gives the new date.',
    addressedTo: 'respondent',
    subject: 'Reminder: we are waiting for your reply about {{case.reference}}',
    body: `Dear {{recipient.name}},

We wrote to you on {{case.contactedOn}} about {{case.title}} (our reference {{case.reference}}), a concern that {{respondent.name}} has not kept to {{compact.name}}. We have not yet had your reply.

{{#if findings}}
As a reminder:

{{#each findings}}
- {{this}}.
{{/each}}

{{/if}}
Please reply {{deadlines.reply}}. If you need more time, tell us why and how much.

If we do not hear from you, we may refer the matter for mediation or raise it more widely.

${SIGN_OFF}`,
  },
  {
    key: 'information-request',
    name: 'Request for information to the reporter',
    purpose: 'Ask the reporting organisation the questions recorded on the case, and say by when to answer.',
    addressedTo: 'reporter',
    subject: 'We need more information about your report {{case.reference}}',
    body: `Dear {{recipient.name}},

Thank you for your report about {{respondent.name}} (our reference {{case.reference}}). Before we can decide whether we can take it up, we need to know more.

# Our questions

{{questions}}

Please answer {{deadlines.information}}. You can answer on the case page, where you can also add documents, or reply to this e-mail.

If we do not hear from you by then, we will close the case. We will not hold this against you if you report again later.

${REPORTER_SIGN_OFF}`,
  },
  rejection('not-compact-matter', 'not a Compact matter', 'it is not a matter the Compact covers', 'The Compact covers how public bodies and the voluntary sector work together: funding, consultation, and changes to programmes and services. You may be able to raise your concern through the public body\'s own complaints procedure.'),
  rejection('respondent-not-signatory', 'the public body has not signed this Compact', 'the public body has not signed this Compact', 'Check whether the public body has signed a local Compact in your area: if it has, you can report a breach of that Compact instead.'),
  rejection('out-of-time', 'out of time', 'it was reported too long after it happened', 'We usually take up reports within 12 months of what happened, while the public body can still put things right.'),
  rejection('insufficient-evidence', 'not enough evidence', 'there was not enough evidence of a breach', 'If you find documents that show what happened, such as letters, e-mails or consultation papers, you can send them to us and ask us to look again.'),
  rejection('duplicate', 'duplicate of another case', 'another case is already about the same thing', 'We are already working on that case, and what we do there will cover your concern too.'),
  closing('resolved', 'resolved', 'Tell the reporting organisation the case is closed because the agreed actions were carried out.', 'The public body carried out the actions it agreed, so the matter is resolved.', `{{#if agreedActions}}
The actions agreed were:

{{#each agreedActions}}
- {{this}}
{{/each}}

{{/if}}`),
  closing('unresolved', 'not resolved', 'Tell the reporting organisation the case is closed without an agreement.', 'We were not able to reach an agreement with {{respondent.name}}, so we have closed the case without one.'),
  closing('rejected', 'rejected', 'Tell the reporting organisation the case is closed because we could not take it up.', 'As we told you, we could not take up the report{{#if rejection.reason}}, because {{rejection.reason}}{{/if}}.'),
  closing('withdrawn', 'withdrawn', 'Confirm to the reporting organisation that the case is closed because it was withdrawn.', 'The case was withdrawn, so we have stopped work on it.'),
  closing('lapsed', 'questions not answered', 'Tell the reporting organisation the case is closed because our questions were not answered in time.', 'We asked you some questions and did not receive an answer in time, so the case has closed.', `{{#if questions}}
We asked:

{{questions}}

{{/if}}`),
  {
    key: 'fee-quote',
    name: 'Mediation fee quote',
    purpose: 'Tell both sides the mediation fee, who pays what, and by when to agree.',
    addressedTo: 'parties',
    subject: 'Mediation fee for {{case.reference}}',
    body: `Dear {{recipient.name}},

The case between {{reporter.organisation}} and {{respondent.name}} (our reference {{case.reference}}) has been referred to mediation. A neutral mediator will help both sides reach an agreement.

# The fee

{{#if fee.waived}}
The mediation fee has been waived: nobody has to pay it.
{{else}}
The mediation fee is {{fee.total}}. It is shared between the two sides:

- {{reporter.organisation}} pays {{fee.reporterShare}}
- {{respondent.name}} pays {{fee.respondentShare}}

Please tell us {{deadlines.feeAgreement}} whether you agree to pay your share. You can do this on the case page. If either side declines, we will talk to you about what happens next.
{{/if}}

${SIGN_OFF}`,
  },
  {
    key: 'record-of-agreement',
    name: 'Record of agreement',
    purpose: 'Set down what both sides agreed, and until when we will check that it is done.',
    addressedTo: 'parties',
    subject: 'Record of agreement: {{case.reference}}',
    body: `Dear {{recipient.name}},

This letter records what {{reporter.organisation}} and {{respondent.name}} agreed about {{case.title}} (our reference {{case.reference}}), under {{compact.name}}.

# What was agreed

{{#each agreedActions}}
1. {{this}}
{{/each}}

# Checking that it is done

We will keep the case open and check that the agreed actions are carried out until {{monitorUntil}}. {{respondent.name}} can tell us on the case page when they are done.

If the actions are not carried out, tell us: we will look at the case again.

${SIGN_OFF}`,
  },
];
