import { focusOnImages } from './focus-journeys';

describe('focusOnImages', () => {
  it('picks the journeys that touched a violated image', () => {
    const journeys = [{ ids: ['a'] }, { ids: ['b', 'c'] }, { ids: [] }, { ids: ['d'] }];
    const focus = focusOnImages((j: { ids: string[] }) => j.ids, ['c', 'd', 'zz']);
    expect(journeys.filter(focus)).toEqual([{ ids: ['b', 'c'] }, { ids: ['d'] }]);
  });
});
