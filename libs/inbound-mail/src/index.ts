// Mail that comes in: replies to the product's e-mails, received by SMTP or IMAP, filed on cases or kept to sort.
export * from './inbound-mail.module';
export * from './inbound-mail-worker.module';
export * from './receive/inbound-mailbox';
export * from './inbound-transports.module';
