/**
 * Sets `key` as an own property even when it is `__proto__`, which plain assignment would take as
 * the object's prototype: map keys come from users' files.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
