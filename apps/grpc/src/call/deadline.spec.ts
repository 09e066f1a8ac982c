import { status } from '@grpc/grpc-js';
import { withinDeadline, type DeadlineBoundCall } from './deadline';
import { GrpcStatusError } from './grpc-status-error';

const callWithDeadline = (deadline: number): DeadlineBoundCall => ({ getDeadline: () => deadline, getPath: () => '/lemo.recommender.v1.ItemService/GetItem', cancelled: false });

describe('withinDeadline', () => {
  it('runs the work as is when the call has no deadline', async () => {
    await expect(withinDeadline(callWithDeadline(Infinity), async () => 'done')).resolves.toBe('done');
  });

  it('does no work for a call that arrives after its deadline', async () => {
    const work = jest.fn(async () => 'done');
    const failure = withinDeadline(callWithDeadline(Date.now() - 1), work);
    await expect(failure).rejects.toBeInstanceOf(GrpcStatusError);
    await expect(failure).rejects.toMatchObject({ grpcCode: status.DEADLINE_EXCEEDED });
    expect(work).not.toHaveBeenCalled();
  });

  it('fails with DEADLINE_EXCEEDED when the work outlasts the deadline', async () => {
    const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve('late'), 500));
    await expect(withinDeadline(callWithDeadline(Date.now() + 30), slow)).rejects.toMatchObject({ grpcCode: status.DEADLINE_EXCEEDED });
  });

  it('returns the result of work that finishes in time', async () => {
    await expect(withinDeadline(callWithDeadline(Date.now() + 5_000), async () => 'done')).resolves.toBe('done');
  });
});
