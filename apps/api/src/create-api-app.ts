import { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DomainErrorFilter, InputGuardInterceptor, StructuredLogger, createPino, createValidationPipe } from '@cc/common';
import type { AppConfig } from '@cc/config';
import { ReadAudit } from '@cc/audit';
import type { Caller } from '@cc/identity';
import { mountWebAssets, webUrlRewrite } from '@cc/web';
import { ApiModule, ApiOptions } from './app.module';
import { mountQueueDashboard } from './queue-dashboard';
import { registerSecurityHeaders } from './security-headers';

/** Largest JSON body accepted; documents are uploaded separately. */
export const BODY_LIMIT_BYTES = 256 * 1024;
/** A local Compact as CSV: thousands of commitments fit well within this. */
export const CSV_IMPORT_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * Builds the HTTP application; main.ts and the end-to-end tests share it, so tests run what ships.
 * Fastify rather than Express: on this 2-core target the framework's own cost per request is a
 * large share of a case event, and Fastify's is about half of Express's.
 */
export async function createApiApp(config: AppConfig, options: ApiOptions = {}): Promise<INestApplication> {
  const logger = createPino(config.LOG_LEVEL);
  // Fastify logs each request (id, method, url, status, time) through the same pino instance.
  // Pages are served at the site root; rewriting their URLs keeps them apart from the API's routes.
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, loggerInstance: logger, trustProxy: config.TRUST_PROXY, rewriteUrl: (req: { url?: string }) => webUrlRewrite(req.url ?? '/') });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forConfig(config, options), adapter, {
    logger: new StructuredLogger(logger),
  });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  // Before any pipe: NUL, broken characters, absurd nesting and non-object bodies are a 400 (libs/common/src/input-guards.ts).
  app.useGlobalInterceptors(new InputGuardInterceptor());
  app.useGlobalFilters(new DomainErrorFilter(app.get(HttpAdapterHost)));

  // Compact imports may come as CSV; the import checks and parses the text itself.
  adapter.getInstance().addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_IMPORT_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  // Pages keep their session in a cookie. (Their form posts are parsed by @fastify/formbody, which Nest registers itself.)
  await app.register(fastifyCookie);
  // Before any route is added: pages, assets, the API, the docs and 404s all carry the headers.
  await registerSecurityHeaders(adapter.getInstance(), config);
  await mountWebAssets(adapter.getInstance());

  // Evidence uploads: streamed (never buffered) and cut off at the configured size; the JSON limit above still applies elsewhere.
  await app.register(fastifyMultipart, { limits: { fileSize: config.EVIDENCE_MAX_BYTES, files: 1 } });

  // Once the server is closing, no connection is kept for another request: without this a
  // keep-alive client's connection outlives the request in flight and holds the process open.
  let closing = false;
  adapter.getInstance().addHook('preClose', (done) => {
    closing = true;
    done();
  });
  adapter.getInstance().addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  // Staff reads of a case and administrators' every request (isAudited), once the response has gone: kept in
  // memory and written in batches (@cc/audit), so recording never slows or fails a request. On the
  // response's "close" rather than in onResponse: Fastify runs onResponse on "finish", which a
  // streamed document never reaches when the client hangs up as soon as it has every byte, and
  // such a download is a read all the same. The last entries are written once the server has
  // answered its last request.
  const audit = app.get(ReadAudit);
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    reply.raw.once('close', () => audit.recordRequest((request as { caller?: Caller }).caller, request.method, request.url, request.originalUrl, reply.statusCode));
    done();
  });
  adapter.getInstance().addHook('onClose', () => audit.close());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Compact Cases API')
      .setDescription('Breaches of the Compact between public bodies and the voluntary and community sector: report, triage, advocacy, negotiation, mediation.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  if (config.REDIS_URL) await mountQueueDashboard(app, adapter.getInstance());
  await app.init();
  await adapter.getInstance().ready();
  return app;
}
