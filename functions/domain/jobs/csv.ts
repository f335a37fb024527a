export type CsvValue = string | number | boolean | null | undefined;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; CRLF line ends. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
