/** {{concat a "-" b}}: strings joined, for ids and message keys built from a loop's values. */
export function concat(...args: unknown[]): string {
  // Handlebars passes its options object last.
  return args
    .slice(0, -1)
    .map((a) => (a === undefined || a === null ? '' : String(a)))
    .join('');
}
