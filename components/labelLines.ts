/** Labels typed as `name=value` lines (blank lines ignored), for the forms that take labels. */
export function parseLabelLines(text: string): { labels: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return { error: `"${line}" is not name=value` };
    labels[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { labels };
}

/** The other way round: `{ pool: "main" }` → "pool=main", for tables. */
export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

/** Label lines to an object, or, when they do not parse, {} and the message for the field they were typed in. */
export function labelsOrError(text: string, field: string, errors: Record<string, string>): Record<string, string> {
  const parsed = parseLabelLines(text);
  if ("labels" in parsed) return parsed.labels;
  errors[field] = `Write one label per line as name=value: ${parsed.error}`;
  return {};
}
