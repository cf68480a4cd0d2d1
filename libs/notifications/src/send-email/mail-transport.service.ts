import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { TransportOptions, Transporter, createTransport } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '@cc/config';

export interface OutgoingEmail {
  messageId: string;
  to: string;
  /** A case e-mail's own reply address; absent on account e-mails. */
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends over pooled SMTP when SMTP_URL is set; otherwise writes each message as an .eml file under
 * DATA_DIR/mail, so a demo shows every message without a mail server.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter;
  private readonly mailDir: string | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.SMTP_URL) {
      this.mailDir = null;
      this.transporter = createTransport({
        url: config.SMTP_URL,
        pool: true,
        maxConnections: config.SMTP_POOL_SIZE,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      } as TransportOptions);
    } else {
      this.mailDir = resolve(config.DATA_DIR, 'mail');
      mkdirSync(this.mailDir, { recursive: true });
      this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.logger.log(`No SMTP_URL set: e-mails are written as .eml files under ${this.mailDir}`);
    }
  }

  /** Sends one message; resolves with the server's answer (or the file written). */
  async send(email: OutgoingEmail): Promise<string> {
    const info = await this.transporter.sendMail({
      from: this.config.MAIL_FROM,
      to: email.to,
      ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
    });
    if (this.mailDir) {
      const file = join(this.mailDir, `${email.messageId.replace(/[<>@]/g, '_')}.eml`);
      writeFileSync(file, (info as unknown as { message: Buffer }).message);
      this.logger.log({ file, to: email.to, subject: email.subject }, 'E-mail written to file');
      return `written to ${file}`;
    }
    return String(info.response ?? 'accepted');
  }

  /** Only after the worker has stopped its jobs (RelayLoop), so a send in hand is never cut off mid-message. */
  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
