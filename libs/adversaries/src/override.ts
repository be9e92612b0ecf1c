/**
 * A port with some methods replaced and the rest delegated to the real one: how a mutant puts
 * its one defect in front of the real adapters without copying them.
 */
export function override<T extends object>(inner: T, replaced: Partial<T>): T {
  return new Proxy(inner, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(replaced, prop)) return (replaced as Record<PropertyKey, unknown>)[prop];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
