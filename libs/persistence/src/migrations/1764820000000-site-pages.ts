import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pages the footer links to (accessibility statement, privacy notice, cookies, help), kept in
 * the database so that administrators can keep them true without a release. The body is plain
 * text with a small, safe markup (see libs/web/src/site-pages/site-text.ts); it is never HTML.
 *
 * The defaults are written for this service and say only what is known about it. They are copied
 * here rather than imported, so that this migration inserts the same text whatever the code
 * becomes later.
 */
export class SitePages1764820000000 implements MigrationInterface {
  name = 'SitePages1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE site_pages (
        slug text PRIMARY KEY CHECK (slug IN ('accessibility', 'privacy', 'cookies', 'help')),
        position int NOT NULL,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL
      )`);
    for (const [position, page] of DEFAULT_SITE_PAGES.entries()) {
      await q.query(`INSERT INTO site_pages (slug, position, title, body) VALUES ($1, $2, $3, $4)`, [page.slug, position, page.title, page.body]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS site_pages`);
  }
}

const HELP_EMAIL = 'help@compact-cases.example';

const DEFAULT_SITE_PAGES = [
  {
    slug: 'accessibility',
    title: 'Accessibility statement for Compact Cases',
    body: `This accessibility statement applies to Compact Cases: the website for reporting a breach of the Compact between public bodies and the voluntary and community sector in England, and for following the case until it is resolved.

This website is run by the advocacy programme that takes up reports of breaches of the Compact. We want as many people as possible to be able to use it. For example, you should be able to:

- change colours, contrast levels and fonts using your browser or device settings
- use every page with a keyboard alone
- use every page without JavaScript
- use every page on a phone without scrolling sideways
- use the website with a screen reader

We have also made the text as simple as we can.

[AbilityNet](https://mcmw.abilitynet.org.uk/) has advice on making your device easier to use if you have a disability.

## How accessible this website is

We know some parts of this website are not fully accessible:

- the queue dashboard for administrators needs JavaScript and has not been checked for accessibility
- the API documentation, which is for developers, has not been checked for accessibility
- the diagram of how a case moves, and the statistics charts, are pictures: the same information is given in the text and tables beside them

## Feedback and contact information

If you need information on this website in a different format, like large print, easy read or an audio recording, e-mail ${HELP_EMAIL}. Tell us the web address of the page, and the format you need. We will reply as soon as we can.

## Reporting accessibility problems with this website

We are always looking to improve the accessibility of this website. If you find a problem that is not listed on this page, or think we are not meeting accessibility requirements, e-mail ${HELP_EMAIL}.

## Enforcement procedure

The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the accessibility regulations). If you are not happy with how we respond to your complaint, contact the [Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/).

## Technical information about this website's accessibility

We are committed to making this website accessible, in line with the accessibility regulations.

This website is partially compliant with the [Web Content Accessibility Guidelines version 2.2](https://www.w3.org/TR/WCAG22/) AA standard, because of the parts listed under "How accessible this website is".

## What we are doing to improve accessibility

Each time the website changes, automated tests check every page they visit against the WCAG 2.2 AA standard (with axe-core), at desktop and phone width, and use the forms by clicking their labels as a person would.

## Preparation of this statement

This statement was prepared on 1 December 2026. The website was last tested on 1 December 2026, by the automated tests above and by the team that builds it walking through the service in a browser, with a keyboard and at phone width. It has not yet been checked by an independent accessibility specialist.`,
  },
  {
    slug: 'privacy',
    title: 'Privacy notice',
    body: `Compact Cases is used by the advocacy programme that takes up reports of breaches of the Compact. The programme is the data controller for the personal data in it: it decides why and how that data is used.

## What we hold

- your name, e-mail address and organisation, if you have an account
- what you tell us in a report: what happened and when, its impact, what you would like to happen, and the documents you add
- what happens on the case: letters, notes, messages, meetings, fees, sessions and outcomes
- the names and contact details of people at the public body, where a case needs them
- a record of each time someone working on the programme reads or changes a case

## Why we use it

We use it to take up the breach that was reported: to contact the public body, to negotiate, to arrange mediation, and to check that what was agreed is done. We send e-mails about the case to the people on it.

We also count breaches, by commitment, public body, area and outcome, to show where the Compact is kept and where it is not. The statistics never name a person or the organisation that reported. The public statistics leave out any group of fewer than 5 cases.

## Who sees it

- the people in your organisation with an account see your organisation's cases
- caseworkers see the cases, except a mediator's confidential notes
- a mediator sees only the cases they are appointed to
- administrators can see everything, and every time they do it is recorded
- the public body sees only what we share with them; you can ask us not to tell them who reported the breach

We do not sell personal data or use it for marketing. The companies that host the website and send its e-mails handle the data for us, under contract, only to run the service.

## How long we keep it

We keep personal data only as long as our retention schedule says. After that it is anonymised: names and contact details are removed, and the case stays only as a number in the statistics.

## Your rights

You can ask for a copy of the personal data we hold about you. We will answer within one month, with all of it in one export. You can also ask us to correct it, or to erase it. Erasing you does not change the statistics.

To ask, e-mail ${HELP_EMAIL}.

If you are unhappy with how we have used your data, tell us first. You can also [complain to the Information Commissioner's Office](https://ico.org.uk/make-a-complaint/), or call them on 0303 123 1113.

## Cookies

The website uses only the cookies it needs to work. The [cookies page](/cookies) lists them.`,
  },
  {
    slug: 'cookies',
    title: 'Cookies',
    body: `Cookies are small files saved on your phone, tablet or computer when you visit a website.

Compact Cases uses only the cookies it needs to work. They are essential, so we do not ask you to accept them. We do not use cookies to track you, to measure how you use the website or to show adverts, and no other website sets cookies through this one.

## The cookies we use

- cc_session keeps you signed in. It holds a random code, not your name or anything about you. It is deleted when you sign out or close your browser, and stops working after 30 minutes without using the service.
- cc_csrf is set by the sign-in page, to check that the sign-in form came from this website. It is deleted when you sign in, or after an hour.`,
  },
  {
    slug: 'help',
    title: 'Get help or give feedback',
    body: `## Get help

If you are stuck, or cannot use the website, e-mail ${HELP_EMAIL}. If your message is about a case, give its reference, like CB-2026-00042. Never send your password.

If you cannot report a breach on this website, e-mail us and tell us what happened. We will take the report for you.

We will reply as soon as we can, on working days.

## Give feedback

Tell us what worked and what did not: e-mail ${HELP_EMAIL}. We read every message, and use them to make the service better.

## Accessibility

If a page is hard to use with the way you use the web, the [accessibility statement](/accessibility) says what we know and how to tell us.`,
  },
];
