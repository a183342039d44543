/**
 * A stable colour per service name (FNV-1a hash → palette), so that a service keeps its
 * colour across traces, pages and reloads.
 */

// Saturated enough to read as a bar and as a dot; no red, which marks errors.
const PALETTE = [
  "#3b6fd8", // blue
  "#e8802a", // orange
  "#1f9e94", // teal
  "#4c9a3f", // green
  "#c9a00c", // gold
  "#8e5bb5", // purple
  "#9c6b4e", // brown
  "#c0398e", // magenta
  "#2f4b7c", // navy
  "#7a8a1f", // olive
] as const;

export function serviceColor(service: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) {
    h ^= service.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return PALETTE[h % PALETTE.length];
}
