import { Controller, Get, Inject, Logger, Res, ServiceUnavailableException } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { PLATFORM_ADAPTERS } from './platform-adapters.token';
import type { PlatformAdapters } from '@imagery/aws-adapters';
import { ShutdownState } from './shutdown-state';

const PING_TIMEOUT_MS = 2_000;

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(PLATFORM_ADAPTERS) private readonly adapters: PlatformAdapters,
  ) {}

  /** Readiness: DynamoDB, S3 and SQS reachable, and not draining. Load balancers route on this. */
  @Get()
  async readiness(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult | object> {
    const checks = [
      ...Object.entries(this.adapters.reachability).map(
        ([name, ping]) =>
          () =>
            this.ping(name, ping),
      ),
      () => this.drainCheck(),
    ];
    try {
      return await this.health.check(checks);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(503);
      return err.getResponse() as object;
    }
  }

  /**
   * What load balancers check: serving and not draining. Deliberately shallow: every instance shares
   * DynamoDB, S3 and SQS, so a deep check would take the whole fleet out of rotation during one
   * dependency's outage — turning a partial outage (uploads queued late) into a total one (even a
   * malformed id got 503). The sqs-outage experiment caught exactly that.
   */
  @Get('ready')
  ready(@Res({ passthrough: true }) res: Response): { status: 'ok' | 'draining' } {
    if (!this.shutdown.draining) return { status: 'ok' };
    res.status(503);
    return { status: 'draining' };
  }

  /** Liveness: the process answers. */
  @Get('live')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  private async ping(name: string, ping: () => Promise<void>): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(name);
    try {
      await Promise.race([ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), PING_TIMEOUT_MS).unref())]);
      return indicator.up();
    } catch (err) {
      // The AWS error text (endpoints, account details) goes to the log, never to the client.
      this.logger.warn(`health: ${name} unreachable: ${(err as Error).message}`);
      return indicator.down({ message: 'unreachable' });
    }
  }

  private drainCheck(): HealthIndicatorResult {
    const indicator = this.indicators.check('serving');
    return this.shutdown.draining ? indicator.down({ message: 'draining for shutdown' }) : indicator.up();
  }
}
