import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { Request } from 'express';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Fault control is for the local chaos tooling only: refuse anything not from this machine. */
@Injectable()
export class LoopbackOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (LOOPBACK.test(req.socket.remoteAddress ?? '')) return true;
    throw new ForbiddenException('fault control is only served to loopback clients');
  }
}
