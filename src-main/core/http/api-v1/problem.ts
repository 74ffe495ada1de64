// Errors of /api/v1 as RFC 9457 problem details: a JSON object a client can branch on (`code`)
// and a sentence a person can read (`detail`), sent as application/problem+json.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ContractError } from '../../../../src-shared/contract';
import { httpStatusOf } from '../error-status';

export const ProblemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem (urn:airdeck:problem:<code>).'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('The same kind as a short code to branch on.'),
    instance: z.string().optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof ProblemSchema>;

export const PROBLEM_TYPE = 'application/problem+json';

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Unavailable',
};

export function problem(status: number, code: string, detail: string, instance?: string): Problem {
  return {
    type: `urn:airdeck:problem:${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    ...(instance ? { instance } : {}),
  };
}

export function problemOf(error: ContractError, instance?: string): Problem {
  return problem(httpStatusOf[error.code], error.code, error.message, instance);
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).header('content-type', PROBLEM_TYPE).send(body);
}

/** Thrown by a handler; the API's error handler sends it as is. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}
