/** What `fn` throws (undefined when it returns): for asserting on the error's fields. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
