import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { StructuredLogger, createPino } from '@cc/common';
import type { AppConfig } from '@cc/config';
import { WorkerModule } from './worker.module';

/** The worker as its own application context (no HTTP); main.ts and the tests share it. */
export async function createWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forConfig(config), {
    logger: new StructuredLogger(createPino(config.LOG_LEVEL)),
  });
  await app.init();
  return app;
}
