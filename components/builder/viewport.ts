/** The canvas viewport as pure functions: the semantic-zoom tier and the view a flow opens at. */

/**
 * The zoom step the canvas is drawn at (semantic zoom, see builder.css): below 50 % cards show
 * their compact face, sized per step so titles stay readable on screen.
 */
export function zoomTier(zoom: number): "near" | "far" | "farther" | "farthest" | "tiny" {
  if (zoom >= 0.5) return "near";
  if (zoom >= 0.35) return "far";
  if (zoom >= 0.25) return "farther";
  if (zoom >= 0.16) return "farthest";
  return "tiny";
}

/** True when cards show their compact face (below 50 %, above the plain tiles). */
export function isCompactZoom(zoom: number): boolean {
  const tier = zoomTier(zoom);
  return tier !== "near" && tier !== "tiny";
}

/** On-screen size of a compact card's words, in px: at least this at any compact zoom. */
export const COMPACT_TEXT_PX = 12;
const ZOOM_STEP = 1.1;

/**
 * The zoom rounded down to a 10 % step. Compact faces are counter-scaled by its inverse, so
 * their words stay between 12 and 13.2 px on screen while the styles change only when the
 * zoom crosses a step, not on every frame of a zoom gesture.
 */
export function zoomStep(zoom: number): number {
  const step = Math.pow(ZOOM_STEP, Math.floor(Math.log(zoom) / Math.log(ZOOM_STEP) + 1e-9));
  return Math.round(step * 10000) / 10000;
}

/** The least zoom a flow opens at: whole cards with every word (Fit View goes further, to compact cards). */
export const OPEN_MIN_ZOOM = 0.5;
/** The analytics canvas opens no smaller than this, so every card's numbers read in full. */
export const ANALYTICS_OPEN_MIN_ZOOM = 0.5;
const OPEN_MARGIN = 32;

/**
 * The view a flow opens at: the whole flow when it fits at a readable zoom (at most 100 %),
 * else the readable zoom; in both cases its first steps at the top, centred across when it
 * fits the width, else on the trigger. Pure, for the tests.
 */
export function openingViewport(
  bounds: { x: number; y: number; width: number; height: number },
  start: { x: number; width: number },
  view: { width: number; height: number; rightInset?: number },
  minZoom = OPEN_MIN_ZOOM,
): { x: number; y: number; zoom: number } {
  const width = Math.max(1, view.width - 2 * OPEN_MARGIN - (view.rightInset ?? 0));
  const height = Math.max(1, view.height - 2 * OPEN_MARGIN);
  const fit = Math.min(width / Math.max(1, bounds.width), height / Math.max(1, bounds.height), 1);
  const zoom = Math.max(fit, minZoom);
  const centreX = bounds.width * zoom <= width ? bounds.x + bounds.width / 2 : start.x + start.width / 2;
  return {
    x: Math.round(OPEN_MARGIN + width / 2 - centreX * zoom),
    y: Math.round(OPEN_MARGIN - bounds.y * zoom),
    zoom,
  };
}
