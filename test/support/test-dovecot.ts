import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { FetchMessageObject, ImapFlow } from 'imapflow';
import { freePort } from './private-services';

const DOVECOT = process.env.DOVECOT_PATH ?? '/usr/sbin/dovecot';
export const IMAP_USER = 'replies';
export const IMAP_PASSWORD = 'imap-test-password';

function idOf(user: string): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`No user ${user} (it comes with Debian's dovecot-core)`);
  return { uid, gid };
}

/**
 * A real IMAP server for tests: Debian's Dovecot (dovecot-imapd, installed by scripts/ensure-services.sh),
 * run by the test as its own process with its own configuration, port and maildir under a temporary
 * folder; the package's system service is never used. One account (IMAP_USER / IMAP_PASSWORD).
 * stop() and start() again keep the port and the mail. Run as root (as here) the mail belongs to the
 * package's `dovecot` user (Dovecot refuses to keep mail as root); otherwise everything runs as the
 * current user.
 */
export class TestDovecot {
  private readonly dir = mkdtempSync(join(tmpdir(), 'cc-test-dovecot-'));
  private child?: ChildProcess;
  port = 0;

  async start(): Promise<this> {
    if (!this.port) this.port = await freePort();
    this.writeConfig();
    this.child = spawn(DOVECOT, ['-F', '-c', join(this.dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const deadline = Date.now() + 15_000;
    while (!(await this.answers())) {
      if (this.child.exitCode !== null) throw new Error(`Dovecot stopped at once: ${stderr}${this.log()}`);
      if (Date.now() > deadline) throw new Error(`Dovecot did not answer on ${this.port}: ${stderr}${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return this;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** INBOUND_IMAP_URL for this server's mailbox. */
  url(query = ''): string {
    return `imap://${IMAP_USER}:${IMAP_PASSWORD}@127.0.0.1:${this.port}/INBOX${query}`;
  }

  /** The test's own IMAP session (as a mail server delivering, or a person looking). */
  async session<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({ host: '127.0.0.1', port: this.port, secure: false, auth: { user: IMAP_USER, pass: IMAP_PASSWORD }, logger: false, disableAutoIdle: true });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  /** Appends messages to a mailbox, as a mail server delivering them. */
  append(raws: Array<string | Buffer>, mailbox = 'INBOX'): Promise<void> {
    return this.session(async (client) => {
      for (const raw of raws) await client.append(mailbox, typeof raw === 'string' ? Buffer.from(raw) : raw);
    });
  }

  /** The messages in a mailbox with their Message-IDs and flags ([] when the mailbox does not exist). */
  messages(mailbox = 'INBOX'): Promise<Array<{ uid: number; messageId: string; flags: string[] }>> {
    return this.session(async (client) => {
      const exists = (await client.list()).some((m) => m.path === mailbox);
      if (!exists) return [];
      const lock = await client.getMailboxLock(mailbox);
      try {
        const out: Array<{ uid: number; messageId: string; flags: string[] }> = [];
        for await (const m of client.fetch('1:*', { uid: true, flags: true, envelope: true }) as AsyncIterable<FetchMessageObject>) {
          out.push({ uid: m.uid, messageId: (m.envelope?.messageId ?? '').replace(/^<|>$/g, ''), flags: [...(m.flags ?? [])] });
        }
        return out;
      } catch (err) {
        // An empty mailbox answers 1:* with nothing (or a "no messages" error on some servers).
        if (/no matching messages|Invalid messageset/i.test(String(err))) return [];
        throw err;
      } finally {
        lock.release();
      }
    });
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.setTimeout(1_000);
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
  }

  private writeConfig(): void {
    const asRoot = process.getuid?.() === 0;
    const me = userInfo();
    const owner = asRoot ? idOf('dovecot') : { uid: me.uid, gid: me.gid };
    const mail = join(this.dir, 'mail');
    for (const sub of ['run', 'state', 'mail']) mkdirSync(join(this.dir, sub), { recursive: true });
    // Dovecot's own processes must reach their folders when it drops root.
    chmodSync(this.dir, 0o755);
    if (asRoot) chownSync(mail, owner.uid, owner.gid);
    const asUser = asRoot
      ? ''
      : `default_login_user = ${me.username}\ndefault_internal_user = ${me.username}\nservice anvil {\n  chroot =\n}\n`;
    writeFileSync(
      join(this.dir, 'dovecot.conf'),
      `# A test's own Dovecot: nothing here is read from /etc/dovecot.
base_dir = ${join(this.dir, 'run')}
state_dir = ${join(this.dir, 'state')}
log_path = ${join(this.dir, 'dovecot.log')}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:${mail}/%n
passdb {
  driver = static
  args = password=${IMAP_PASSWORD}
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${mail}/%n
}
service imap-login {
  ${asRoot ? '' : 'chroot ='}
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    port = 0
  }
}
${asUser}`,
    );
  }
}
