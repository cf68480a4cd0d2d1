/** E-mail rendering: plain text and HTML for every notification and deadline notice, from the files in libs/notifications/views/emails. */
export {
  EMAIL_TEMPLATES,
  isEmailTemplate,
  renderEmail,
  type EmailData,
  type EmailRecipientRole,
  type EmailTemplate,
  type RenderedEmail,
} from './render-email';
export { ACCOUNT_EMAIL_TEMPLATES, isAccountEmailTemplate, renderAccountEmail, type AccountEmailData, type AccountEmailTemplate } from './account-emails';
export { emailFile, emailFileExists, emailViewsFolder } from './email-views';
/** The e-mails' formats and deadline names, which live in @cc/wording: e-mail dates carry the weekday ("Monday 7 December 2026"). */
export { DEADLINE_NAMES, formatDateWithDay as formatDate, formatDateTimeWithDay as formatDateTime, formatPence, formatTime } from '@cc/wording';
