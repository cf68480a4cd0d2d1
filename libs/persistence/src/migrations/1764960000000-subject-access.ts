import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Requests people make about their personal data (issue 15): a copy of it (subject access) or its
 * erasure. The ICO gives one calendar month from the day a request is received, so the due date is
 * worked out here, from the date received, once: PostgreSQL's month arithmetic gives the ICO's
 * answer for short months (received 31 January, due 28 February).
 *
 * The person is named by e-mail address only, as they wrote to us; they may have no account. A
 * request made on the website by someone signed in keeps who asked and for which organisation.
 *
 * The privacy notice and cookies page get their full default text, but only where no administrator
 * has edited them (updated_by IS NULL): an edited page is the programme's own words and stays.
 */
export class SubjectAccess1764960000000 implements MigrationInterface {
  name = 'SubjectAccess1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE data_protection_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('access', 'erasure')),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
        details text CHECK (length(details) <= 2000),
        received_on date NOT NULL,
        due_on date GENERATED ALWAYS AS ((received_on + interval '1 month')::date) STORED,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'refused')),
        outcome_note text CHECK (length(outcome_note) <= 2000),
        recorded_by uuid REFERENCES users(id) ON DELETE SET NULL,
        requested_by_user uuid REFERENCES users(id) ON DELETE SET NULL,
        requested_by_org uuid REFERENCES organisations(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        gathered_by uuid REFERENCES users(id) ON DELETE SET NULL,
        gathered_at timestamptz,
        handled_by uuid REFERENCES users(id) ON DELETE SET NULL,
        handled_at timestamptz,
        CONSTRAINT data_protection_requests_handled CHECK ((status = 'open') = (handled_at IS NULL)),
        CONSTRAINT data_protection_requests_refusal_says_why CHECK (status <> 'refused' OR outcome_note IS NOT NULL)
      )`);
    // The deadlines page reads the open ones, soonest due first; the list pages through all, newest first.
    await q.query(`CREATE INDEX data_protection_requests_open_idx ON data_protection_requests (due_on) WHERE status = 'open'`);
    await q.query(`CREATE INDEX data_protection_requests_list_idx ON data_protection_requests (created_at DESC, id DESC)`);

    for (const page of TELLING_PEOPLE) {
      await q.query(`UPDATE site_pages SET title = $2, body = $3, updated_at = now() WHERE slug = $1 AND updated_by IS NULL`, [page.slug, page.title, page.body]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS data_protection_requests`);
  }
}

const HELP_EMAIL = 'help@compact-cases.example';

// Copied, not imported, so this migration writes the same text whatever the code becomes. The
// periods are the retention schedule's defaults; administrators who change the schedule should
// change this page too (the footer pages' editing page says so).
const TELLING_PEOPLE = [
  {
    slug: 'privacy',
    title: 'Privacy notice',
    body: `This notice says what personal data Compact Cases holds, why, who sees it, how long we keep it, and your rights.

## Who we are

Compact Cases is run by the advocacy programme that takes up reports of breaches of the Compact between public bodies and the voluntary and community sector in England. The programme is the data controller for the personal data in it: it decides why and how that data is used. You can contact us, and our data protection lead, at ${HELP_EMAIL}.

## What we hold

- your name, e-mail address and organisation, if you have an account
- what you tell us in a report: what happened and when, its impact, what you would like to happen, and the documents you add
- what happens on the case: letters, notes, messages, meetings, fees, sessions and outcomes
- the e-mails we send about a case, and the e-mails people send back to us
- the names, job titles and e-mail addresses of people at the public body, where a case needs them
- records of signing in, such as when you signed in and changes to how you sign in
- a record of each time someone working on the programme opens a case or part of it

## Why we use it

We use it to take up the breach that was reported: to contact the public body, to negotiate, to arrange mediation, and to check that what was agreed is done. We send e-mails about the case to the people on it. Our lawful basis is our legitimate interest in upholding the Compact, which is why the programme exists; where you give us details about your health or other special categories of data, we use them only to take up your case.

We also count breaches, by commitment, public body, area and outcome, to show where the Compact is kept and where it is not. The statistics never name a person or the organisation that reported. The public statistics leave out any group of fewer than 5 cases.

## Who sees it

- the people in your organisation with an account see your organisation's cases
- caseworkers see the cases, except a mediator's confidential notes
- a mediator sees only the cases they are appointed to
- administrators can see everything
- the public body sees only what we share with them; you can ask us not to tell them who reported the breach

Every time a caseworker, mediator or administrator opens a case, it is recorded. We do not sell personal data or use it for marketing. The companies that host the website and send its e-mails handle the data for us, under contract, only to run the service.

## How long we keep it

- cases: 6 years after the case is closed. Then the names, e-mail addresses, documents and anything written that could name a person are removed, and the case stays only as a number in the statistics
- documents added to a report that was never sent: 7 days
- records of signing in, and the record of who opened a case: 2 years
- the account of a reporter or a public body's contact not used for 1 year: it is closed and their name and e-mail address removed, unless they are on an open case
- e-mails sent to us that could not be matched to a case: 90 days

A case can be kept longer if it is part of a legal dispute; we remove its personal data once the dispute is over.

## Your rights

You have the right to:

- ask for a copy of the personal data we hold about you (a subject access request). We will answer within one month, with all of it in one export
- ask us to correct it if it is wrong
- ask us to erase it. We will, unless we must keep it: for example, while your case is still open or is part of a legal dispute. If we cannot, we will tell you why. Erasing you does not change the statistics
- object to how we use it, or ask us to limit how we use it

## How to ask

If you have an account, sign in and go to Your account, then Ask for your data. We will know the request is from you, so we will not need to check who you are.

You can also e-mail ${HELP_EMAIL}, or write to us. Tell us your name and the e-mail address you use with us. We may ask you to show who you are before we send anything.

We do not charge for this.

## If you are unhappy

Tell us first, at ${HELP_EMAIL}. You can also [complain to the Information Commissioner's Office](https://ico.org.uk/make-a-complaint/), or call them on 0303 123 1113.

## Cookies

The website uses only the cookies it needs to work. The [cookies page](/cookies) lists them.`,
  },
  {
    slug: 'cookies',
    title: 'Cookies',
    body: `Cookies are small files saved on your phone, tablet or computer when you visit a website.

Compact Cases uses only the cookies it needs to work. They are essential, so the law does not ask us to get your agreement to them, and we do not show a cookie banner. We do not use cookies to track you, to measure how you use the website or to show adverts, and no other website sets cookies through this one.

## The cookies we use

- cc_session keeps you signed in. It holds a random code, not your name or anything about you. It is deleted when you sign out or close your browser, and stops working after 30 minutes without using the service.
- cc_csrf is set by the sign-in page and the forgotten password page, to check that the form you send came from this website. It is deleted when you sign in, or after an hour.

## Changing your settings

You can block or delete cookies in your browser's settings. If you block these two, you will not be able to sign in.`,
  },
];
