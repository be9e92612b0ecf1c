/**
 * The focus guess for the journeys (ShrinkTarget.isFocusJourney): the journeys that touched an
 * image the recorded violations name. A run that loses or duplicates an image usually needs only
 * that image's journey, so trying those alone first can save most of the journeys' ddmin runs;
 * when the guess is wrong it costs one run.
 */
export function focusOnImages<J>(
  imageIdsOf: (journey: J) => readonly string[],
  violatedImageIds: Iterable<string>,
): (journey: J) => boolean {
  const violated = new Set(violatedImageIds);
  return (journey) => imageIdsOf(journey).some((id) => violated.has(id));
}
