/** E-mail rendering: plain text and HTML for every notification and deadline notice. Pure, no I/O. */
export {
  DEADLINE_NAMES,
  EMAIL_TEMPLATES,
  formatDate,
  formatDateTime,
  formatPence,
  formatTime,
  isEmailTemplate,
  renderEmail,
  type EmailData,
  type EmailRecipientRole,
  type EmailTemplate,
  type RenderedEmail,
} from './render-email';
export { ACCOUNT_EMAIL_TEMPLATES, isAccountEmailTemplate, renderAccountEmail, type AccountEmailData, type AccountEmailTemplate } from './account-emails';
