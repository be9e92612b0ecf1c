/**
 * The named recovery paths: the branches where the system recovers from a fault, each marked with
 * `reached(path)` on the line that takes it (like Antithesis's "sometimes" assertions). A run's
 * report counts how often each was reached; the matrix names those no experiment reached, i.e. the
 * recovery code the chaos experiments never exercised.
 */
export const RECOVERY_PATHS = {
  'create-found-existing':
    'a create with a client id found the item stored (a client retry, or the SDK retrying a PutItem that landed) and returned it',
  'upload-retry-found-uploaded':
    'an upload retried with the same id and bytes found the image uploaded (its first try landed, its answer lost): re-sent its message',
  'ambiguous-write-found-applied':
    'a conditional write lost its version condition and the re-read found that very transition stored: an ambiguous write that landed',
  'version-conflict-reread': 'a write decided on a fresh read lost to another writer (ConditionalCheckFailed): re-read and decided again',
  'stale-copy-reread':
    "a write decided on a copy of the item (the message's, or the caller's read) found it stale (ConditionalCheckFailed): decided again",
  'rival-upload-orphan-discarded': "an upload lost the race to a rival upload of the same id: its raw object, nobody's, was deleted",
  'send-failed-left-to-sweep':
    'SendMessage failed after the image was recorded uploaded: the upload is acknowledged, the repair sweep enqueues it',
  'stuck-upload-re-enqueued':
    'the repair sweep found an image stuck in uploaded (SendMessage lost, or its sender crashed between update and send): re-enqueued it',
  'repair-claim-lost': 'the repair sweep lost its claim on a stuck image (processed meanwhile, or another sweeper won) and left it',
  'repair-attempts-exhausted': 'the repair sweep found a stuck image out of attempts and ended it failed instead of re-enqueuing it again',
  'message-redelivered':
    'a message came back (receive count > 1: its worker was killed mid-job, failed, or could not delete it): the job read the item afresh',
  'duplicate-message-already-done':
    'a message for an image already processed or failed (a duplicate, redelivered or repaired message) was dropped without work',
  'render-discarded-image-failed': "a job rendered an image that meanwhile ended failed: its rendering, nobody's, was deleted",
  'job-attempts-exhausted': 'a job found its image out of attempts (failed transiently too often) and ended it failed',
  'raw-object-missing-failed': 'a job found the raw object gone and ended the image failed instead of retrying forever',
  'undecodable-image-failed': 'a job could not decode the raw image and ended it failed with the reason instead of looping',
  'job-error-retried-later': 'a job failed transiently: its message was handed back with a backoff that grows with its receive count',
  'poison-message-to-dlq': 'a message no consumer can handle was handed back at once, bound for the dead-letter queue',
  'delete-failed-message-returns':
    "a finished job's DeleteMessageBatch (or its entry) failed: the message comes back and its next delivery finds the job done",
  'receive-failed-backoff': 'ReceiveMessage failed (SQS unreachable or erroring): the poller backed off and tried again',
  'visibility-extended':
    'a message held past half its visibility timeout (a long job, or one waiting for a slot) had it renewed: no second worker took it',
  'sdk-retry-succeeded': "an AWS call failed (5xx, throttling, a reset or lost response) and the SDK's own retry succeeded",
} as const satisfies Record<string, string>;

export type RecoveryPath = keyof typeof RECOVERY_PATHS;

/** Every named path, in catalogue order. */
export const RECOVERY_PATH_NAMES = Object.keys(RECOVERY_PATHS) as RecoveryPath[];

export const isRecoveryPath = (name: string): name is RecoveryPath => Object.hasOwn(RECOVERY_PATHS, name);
