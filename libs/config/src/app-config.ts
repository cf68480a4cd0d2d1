import { isIP } from 'node:net';
import { z } from 'zod';

/** proxy-addr's names for address ranges, which Fastify's trustProxy also takes. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY as Fastify's `trustProxy` option: false (the default: the client is whoever
 * connected), true (trust every X-Forwarded-For: only when nothing can reach the app but the
 * proxy), a number of proxy hops, or a comma-separated list of proxy addresses or ranges.
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((value, ctx): boolean | number | string[] => {
    const v = value.trim();
    if (v === '' || v === 'false') return false;
    if (v === 'true') return true;
    if (/^\d+$/.test(v)) {
      const hops = Number(v);
      if (hops >= 1 && hops <= 10) return hops;
    }
    const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
    const bad = entries.filter((e) => {
      if (PROXY_RANGE_NAMES.includes(e)) return false;
      const [address, bits, extra] = e.split('/');
      if (extra !== undefined || !isIP(address)) return true;
      return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
    });
    if (bad.length || !entries.length) {
      ctx.addIssue({ code: 'custom', message: 'must be false, true, a number of proxies (1 to 10), or proxy addresses or ranges separated by commas, like 10.0.0.1,192.168.0.0/16' });
      return z.NEVER;
    }
    return entries;
  });

function parsedUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * Every setting the processes read, validated once at boot so that a bad value stops the process
 * with a message naming the variable, instead of failing later in the middle of a request.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** PostgreSQL URL. Absent: an embedded PGlite database under DATA_DIR is started. */
  DATABASE_URL: z.string().url('must be a postgres:// URL').optional(),
  /** Connections per process; the embedded database takes one connection at a time. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  DATA_DIR: z.string().default('./data'),
  /** HTTP processes sharing the port; Node runs each on one core. Forced to 1 on the embedded database. */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Secret that signs bearer tokens. Absent outside production: a random one is stored in the
   * database on first start, so every API process of one installation shares it.
   */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_TOKEN_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(8 * 60),
  /** Web pages: a session ends after this long without a request. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Web pages: mark the session cookie Secure. Default: when PUBLIC_BASE_URL is https. */
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public base URL used in links (e-mails, Location headers). */
  PUBLIC_BASE_URL: z.string().url().default('http://localhost:3000'),
  /** Redis for BullMQ. Absent: 127.0.0.1:6379 if it answers, else a redis-server started under DATA_DIR. */
  REDIS_URL: z.string().optional(),
  /** Prefix of every BullMQ key, so several installations (or test runs) can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]+$/, 'letters, digits, : _ - only').default('cc'),
  /** SMTP server, e.g. smtp://user:pass@mail.example.org:587. Absent: e-mails are written as .eml files under DATA_DIR/mail. */
  SMTP_URL: z.string().url('must be an smtp:// or smtps:// URL').optional(),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  MAIL_FROM: z.string().default('Compact Cases <no-reply@compact-cases.example>'),
  /**
   * How long an e-mail that meets temporary failures (4xx, connection errors) is retried before it is
   * marked failed, as mail servers do (48 hours). A permanent refusal (5xx) fails it at once.
   */
  EMAIL_RETRY_HOURS: z.coerce.number().positive().max(24 * 30).default(48),
  /** First retry delay; each later one doubles, up to EMAIL_MAX_BACKOFF_MS. */
  EMAIL_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
  /** Longest wait between two attempts at one e-mail. */
  EMAIL_MAX_BACKOFF_MS: z.coerce.number().int().min(10).max(24 * 3_600_000).default(300_000),
  /**
   * The lease on an e-mail being sent: the worker sending it renews it (every third of this) while
   * the send is in progress; only a claim left unrenewed this long (a dead worker's) is taken over.
   */
  EMAIL_CLAIM_TIMEOUT_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  /** Longest wait for one Redis call before the caller gives up and leaves the work in the database. */
  REDIS_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3_000),
  /** On SIGTERM, how long a worker waits for the jobs it has before it exits anyway. */
  WORKER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** How often the worker moves new e-mails and deadlines from the database to the queues. */
  RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** How often the sweeper fires anything due that was missed (a lost job, a flushed Redis). */
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Deadline jobs a worker runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  /** E-mails a worker sends at once; lower than the deadlines' so a mail backlog never delays a deadline. */
  EMAIL_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
  /** How often a worker brings the statistics rollups up to date with changed cases. */
  STATS_REFRESH_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** Largest evidence file accepted, in bytes (20 MiB by default). */
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1).default(20 * 1024 * 1024),
  /**
   * Which proxies in front of the app to believe about the client's address (X-Forwarded-For):
   * sign-in throttling counts attempts per client address. Default false. See trustProxy above.
   */
  TRUST_PROXY: trustProxy,
  /**
   * The address replies go to: every case e-mail gets Reply-To `<local>+<token>@<domain>` of it.
   * Absent: replies@ the domain of MAIL_FROM. The local part is kept short so the token fits SMTP's 64.
   */
  REPLY_TO_ADDRESS: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,21}@[a-zA-Z0-9.-]+\.[a-zA-Z0-9-]+$/, 'must be a plain address like replies@example.org, its part before the @ at most 21 letters, digits, dots, dashes or underscores (no +)')
    .optional(),
  /** Run the SMTP receiver for replies in the worker: smtp://host:port (e.g. smtp://0.0.0.0:2525). Absent: no receiver. */
  INBOUND_SMTP_URL: z
    .string()
    .refine((v) => {
      const url = parsedUrl(v);
      return !!url && url.protocol === 'smtp:' && !!url.hostname && /^\d+$/.test(url.port) && !url.username && url.pathname.replace(/^\/$/, '') === '' && !url.search;
    }, 'must be smtp://host:port, like smtp://0.0.0.0:2525')
    .optional(),
  /**
   * Poll an IMAP mailbox for replies: imap://user:password@host:port/mailbox (imaps:// for TLS; user and
   * password URL-encoded; mailbox default INBOX), optionally ?filed=<folder> (default Filed) or ?filed=delete.
   */
  INBOUND_IMAP_URL: z
    .string()
    .refine((v) => {
      const url = parsedUrl(v);
      return !!url && ['imap:', 'imaps:'].includes(url.protocol) && !!url.hostname && !!url.username && !!url.password && [...url.searchParams.keys()].every((k) => k === 'filed');
    }, 'must be imap://user:password@host:port/mailbox or imaps://..., user and password URL-encoded, optionally ending ?filed=<folder> or ?filed=delete')
    .optional(),
  /** How often the IMAP mailbox is looked at for new replies. */
  INBOUND_IMAP_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How long after a worker starts it first asks whether the day's retention run is due (then every 15 minutes). */
  RETENTION_FIRST_CHECK_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  /** Rows the retention run changes in one transaction: a run stopped part-way keeps every batch it finished. */
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
  /** A reply to an e-mail older than this many days waits in "mail to sort" instead of landing on the case. */
  REPLY_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
});

export type AppConfig = Omit<z.infer<typeof schema>, 'REPLY_TO_ADDRESS'> & { embeddedDatabase: boolean; REPLY_TO_ADDRESS: string };

export class InvalidConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new InvalidConfigError(`Invalid configuration; fix these environment variables and start again:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && !config.AUTH_SECRET) {
    throw new InvalidConfigError('Invalid configuration: AUTH_SECRET must be set in production (at least 32 random characters).');
  }
  let replyTo = config.REPLY_TO_ADDRESS;
  if (!replyTo) {
    const domain = /@([a-zA-Z0-9.-]+\.[a-zA-Z0-9-]+)>?\s*$/.exec(config.MAIL_FROM)?.[1];
    if (!domain) throw new InvalidConfigError('Invalid configuration: MAIL_FROM has no domain to take a reply address from; set REPLY_TO_ADDRESS (like replies@example.org).');
    replyTo = `replies@${domain}`;
  }
  return { ...config, REPLY_TO_ADDRESS: replyTo.toLowerCase(), embeddedDatabase: !config.DATABASE_URL };
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
