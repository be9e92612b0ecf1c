import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ApiConfig } from './config/api-config';
import { PlatformOptions, platformControllers } from '@imagery/nest-platform';
import { ImageController } from './images/image.controller';
import { UploadFormController } from './images/upload-form.controller';
import { apiProviders } from './platform.providers';

@Module({})
export class AppModule {
  static register(config: ApiConfig, options: PlatformOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [ImageController, UploadFormController, ...platformControllers(config)],
      providers: apiProviders(config, options),
    };
  }
}
