/**
 * Props equality for the fleet's cards and rows (`React.memo`): the same values, where callbacks
 * count as the same whatever their identity. The grid builds its callbacks inline on every render,
 * but each one does the same thing for the same device (functional state updates, the store's
 * actions), so a card whose device object is unchanged (the store keeps it when no delta touched
 * it) need not render again when a neighbour changes.
 */
export function sameProps<P extends object>(a: Readonly<P>, b: Readonly<P>): boolean {
  const keys = Object.keys(a) as (keyof P)[];
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k] || (typeof a[k] === 'function' && typeof b[k] === 'function'));
}
