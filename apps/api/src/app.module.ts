import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Logger } from 'pino';
import { systemClock } from '@imagery/domain';
import { ApiConfig } from './config/api-config';
import { SlidingWindowThrottlerStorage } from './http/sliding-window-throttler-storage';
import { PlatformOptions, platformControllers, platformLoggerModule } from '@imagery/nest-platform';
import { ImageController } from './images/image.controller';
import { UploadFormController } from './images/upload-form.controller';
import { apiProviders } from './platform.providers';

@Module({})
export class AppModule {
  static register(config: ApiConfig, options: PlatformOptions, rootLogger: Logger): DynamicModule {
    const rateLimited = config.RATE_LIMIT_REQUESTS > 0;
    return {
      module: AppModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        platformLoggerModule(rootLogger),
        ...(rateLimited
          ? [
              ThrottlerModule.forRoot({
                throttlers: [{ ttl: config.RATE_LIMIT_WINDOW_SECONDS * 1000, limit: config.RATE_LIMIT_REQUESTS }],
                storage: new SlidingWindowThrottlerStorage(systemClock),
              }),
            ]
          : []),
      ],
      controllers: [ImageController, UploadFormController, ...platformControllers(config)],
      providers: [...apiProviders(config, options), ...(rateLimited ? [{ provide: APP_GUARD, useClass: ThrottlerGuard }] : [])],
    };
  }
}
