import { FaultInjector, FaultRule, parseFaultRules } from '@imagery/aws-adapters';
import { BadRequestException, Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { LoopbackOnlyGuard } from './loopback-only.guard';

/** The instance's API-layer fault rules, replaced as a whole by the FIS simulator. */
@ApiExcludeController()
@UseGuards(LoopbackOnlyGuard)
@Controller('_chaos/faults')
export class FaultsController {
  constructor(private readonly injector: FaultInjector) {}

  @Get()
  list(): FaultRule[] {
    return this.injector.rules();
  }

  @Put()
  replace(@Body() body: unknown): FaultRule[] {
    let rules: FaultRule[];
    try {
      rules = parseFaultRules(body);
    } catch (err) {
      throw new BadRequestException(`invalid fault rules: ${(err as Error).message}`);
    }
    this.injector.setRules(rules);
    return this.injector.rules();
  }
}
