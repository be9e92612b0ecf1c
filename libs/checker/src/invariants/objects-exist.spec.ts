import { IDS, cleanRun, finalState, object, processedItem, uploadedItem } from '@imagery/testing/checker/run-builder';
import { objectsExist } from './objects-exist';

describe('objects-exist', () => {
  const [A, B] = IDS;

  it('passes a clean run', () => {
    const { history, state } = cleanRun();
    expect(objectsExist({ history, state, options: {} })).toEqual([]);
  });

  it('false PASS fixed: a processed item whose object is missing is a violation, whatever the clients saw', () => {
    const { history } = cleanRun([A]);
    const item = processedItem(A);
    expect(objectsExist({ history: [], state: finalState([item], [object(item.rawS3Key!)]), options: {} })).toEqual([
      {
        invariant: 'objects-exist',
        ids: [A],
        message: `\`processed\` (v2) but its processed object ${item.processedS3Key} does not exist`,
      },
    ]);
    expect(objectsExist({ history, state: finalState([item], [object(item.rawS3Key!)]), options: {} })).toHaveLength(1);
  });

  it('flags a missing raw object of an uploaded or processed item, not of a failed one', () => {
    const uploaded = uploadedItem(A);
    const failed = processedItem(B, { state: 'failed', processedS3Key: undefined, failureReason: 'raw object gone' });
    expect(objectsExist({ history: [], state: finalState([uploaded, failed], []), options: {} }).map((v) => v.ids)).toEqual([[A]]);
  });
});
