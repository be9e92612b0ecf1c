import { PlatformOptions, platformControllers } from '@imagery/nest-platform';
import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { WorkerConfig } from './config/worker-config';
import { SqsPushController } from './push/sqs-push.controller';
import { workerProviders } from './worker.providers';

@Module({})
export class WorkerModule {
  /** With `http`, also serves /health and the push endpoint; without, a standalone consumer. */
  static register(config: WorkerConfig, options: PlatformOptions = {}, http = config.WORKER_HTTP_PORT > 0): DynamicModule {
    return {
      module: WorkerModule,
      imports: http ? [TerminusModule.forRoot({ logger: false })] : [],
      controllers: http ? [...platformControllers(config), SqsPushController] : [],
      providers: workerProviders(config, options),
    };
  }
}
