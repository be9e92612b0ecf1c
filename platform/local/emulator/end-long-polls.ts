/**
 * Ends the SQS long polls waiting now in the lean emulator (sqs_long_polls.py): those of a fleet just
 * killed would otherwise take the next run's first messages and hide them for a visibility timeout.
 * A harness control between runs, not an AWS call: experiments keep a killed worker's open poll.
 */
export async function endLongPolls(sqsEndpoint: string): Promise<void> {
  const res = await fetch(new URL('/_lean_moto/end-long-polls', sqsEndpoint), { method: 'POST' });
  if (!res.ok) throw new Error(`ending the emulator's long polls: HTTP ${res.status} ${await res.text()}`);
}

/** The SQS receives open now in the lean emulator (long polls waiting among them): whether a poll has reached it. */
export async function openReceives(sqsEndpoint: string): Promise<number> {
  const res = await fetch(new URL('/_lean_moto/long-polls', sqsEndpoint));
  if (!res.ok) throw new Error(`counting the emulator's open receives: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { open: number }).open;
}
